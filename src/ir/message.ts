import type { AssistantContentPart, TextPart, ToolResultPart, UserContentPart } from './content.ts';
import type { Extensions } from './dialect-id.ts';

/**
 * One turn of the conversation. System/developer instructions are messages too, wherever the
 * client put them (Claude Code sends system entries inside `messages`); encoders for dialects
 * with a separate system field hoist them.
 */
export type CanonicalMessage =
  | { role: 'system'; content: TextPart[]; extensions?: Extensions }
  | { role: 'user'; content: UserContentPart[]; extensions?: Extensions }
  | { role: 'assistant'; content: AssistantContentPart[]; extensions?: Extensions }
  | { role: 'tool'; content: ToolResultPart[]; extensions?: Extensions };
