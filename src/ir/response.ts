import type { AssistantContentPart } from './content.ts';
import type { Extensions } from './dialect-id.ts';
import type { FinishReason } from './finish-reason.ts';
import type { Usage } from './usage.ts';

export interface CanonicalResponse {
  id: string;
  model: string;
  /** Unix seconds. */
  created: number;
  content: AssistantContentPart[];
  finishReason: FinishReason;
  usage: Usage;
  extensions?: Extensions;
}
