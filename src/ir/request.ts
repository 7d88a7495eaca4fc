import type { Extensions } from './dialect-id.ts';
import type { CanonicalMessage } from './message.ts';
import type { ReasoningConfig } from './reasoning.ts';
import type { JsonSchema, ToolChoice, ToolDefinition } from './tool.ts';

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json' }
  | { type: 'json-schema'; name?: string; description?: string; schema: JsonSchema; strict?: boolean };

/** The canonical request every client dialect decodes into and every upstream dialect encodes from. */
export interface CanonicalRequest {
  /** The model name as the client asked for it; routing replaces it with the upstream's name. */
  model: string;
  messages: CanonicalMessage[];
  stream: boolean;
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stopSequences?: string[];
  responseFormat?: ResponseFormat;
  reasoning?: ReasoningConfig;
  /** End-user identifier (OpenAI `user`, Anthropic `metadata.user_id`). */
  user?: string;
  extensions?: Extensions;
}
