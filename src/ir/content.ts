import type { DialectId, Extensions } from './dialect-id.ts';

export interface TextPart {
  type: 'text';
  text: string;
  extensions?: Extensions;
}

export type ImageSource =
  | { kind: 'base64'; mediaType: string; data: string }
  | { kind: 'url'; url: string };

export interface ImagePart {
  type: 'image';
  source: ImageSource;
  /** OpenAI `detail` hint; other dialects ignore it. */
  detail?: 'auto' | 'low' | 'high';
  extensions?: Extensions;
}

/** A non-image attachment (PDF and other documents). */
export interface FilePart {
  type: 'file';
  source: ImageSource;
  filename?: string;
  extensions?: Extensions;
}

export interface ToolCallPart {
  type: 'tool-call';
  /** The id the model gave the call; preserved end to end (Gemini, which has none, gets a synthetic one). */
  id: string;
  name: string;
  /** JSON text of the arguments, exactly as produced; `"{}"` when the model gave none. */
  arguments: string;
  extensions?: Extensions;
}

export interface ToolResultPart {
  type: 'tool-result';
  toolCallId: string;
  /** Name of the tool that was called, when the client dialect carries it (Gemini needs it). */
  name?: string;
  content: Array<TextPart | ImagePart>;
  isError?: boolean;
  extensions?: Extensions;
}

export interface ReasoningPart {
  type: 'reasoning';
  text: string;
  /** Anthropic thinking signature / Gemini thoughtSignature, needed to continue multi-turn thinking. */
  signature?: string;
  /** Opaque reasoning the client cannot read (Anthropic redacted_thinking data, Responses encrypted_content). */
  redactedData?: string;
  /**
   * The dialect whose upstream issued `signature` / `redactedData`; only that dialect's upstream may
   * receive them. Set by every decoder that yields either (a client's own values are its dialect's;
   * other dialects' come back wrapped, see src/dialects/shared/reasoning-envelope.ts).
   */
  origin?: DialectId;
  extensions?: Extensions;
}

export type UserContentPart = TextPart | ImagePart | FilePart;
export type AssistantContentPart = TextPart | ReasoningPart | ToolCallPart;

export type MessagePart = TextPart | ImagePart | FilePart | ToolCallPart | ToolResultPart | ReasoningPart;
