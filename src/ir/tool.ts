import type { Extensions } from './dialect-id.ts';

export type JsonSchema = Record<string, unknown>;

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object, as the client sent it; encoders clean it for their target. */
  parameters: JsonSchema;
  strict?: boolean;
  extensions?: Extensions;
}

export type ToolChoice = { type: 'auto' } | { type: 'none' } | { type: 'required' } | { type: 'tool'; name: string };
