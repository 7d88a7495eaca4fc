import type { MockUsage } from '../../mock-upstream/index.ts';

/** The client dialects the gateway accepts: four through their official SDKs, legacy Completions over raw HTTP. */
export type ClientDialect = 'openai-chat' | 'openai-responses' | 'anthropic-messages' | 'gemini' | 'openai-completions';

export type UserPart =
  | { type: 'text'; text: string }
  | { type: 'image'; mediaType: string; data: string }
  | { type: 'image-url'; url: string };

export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface Sampling {
  temperature: number;
  topP: number;
  maxTokens: number;
  /** Left out by dialects without stop sequences. */
  stop: readonly string[];
}

export interface TurnOptions {
  model: string;
  stream: boolean;
  system?: string;
  sampling?: Sampling;
  /** Ask for reasoning the way this dialect's users do (see each adapter's `reasoningRequest`). */
  reasoning?: boolean;
  tools?: ToolSpec[];
}

export interface ToolCallSeen {
  /** Absent only when the dialect has no call ids (Gemini may omit them). */
  id?: string;
  name: string;
  args: unknown;
}

export interface ClientReply {
  text: string;
  reasoningText: string;
  /** The signature / thoughtSignature / encrypted_content that came with the reasoning, as the client holds it. */
  reasoningSignature?: string;
  /** The finish reason in the client's own terms. */
  finish: string;
  /** The usage object exactly as the dialect reported it. */
  usage: Record<string, unknown> | undefined;
  toolCalls: ToolCallSeen[];
}

/** What the HTTP layer saw of the last response (every adapter routes its SDK's fetch through a recorder). */
export interface HttpCapture {
  status: number;
  headers: Headers;
  /** Body of a non-2xx answer. */
  errorBody?: string;
}

/** A conversation held in the dialect's own wire form, replayed in full on every turn as SDK users do. */
export interface Conversation {
  user(parts: string | UserPart[]): void;
  toolResults(results: Array<{ call: ToolCallSeen; output: string }>): void;
  /** Sends the conversation; the assistant turn is appended to it exactly as the SDK returned it. */
  send(options: TurnOptions): Promise<ClientReply>;
  /**
   * Streams (or, with `stream: false`, waits for) an answer and aborts it: after the first content
   * delta, or once `ready()` resolves for a plain request. Resolves with `performance.now()` at the abort.
   */
  abort(options: TurnOptions, ready: () => Promise<void>): Promise<number>;
}

export interface ErrorExpectation {
  /** The error body in the dialect's own shape for a 429 and a 500. */
  assertRateLimited(capture: HttpCapture, body: any, retryAfterSeconds: number): void;
  assertServerError(capture: HttpCapture, body: any): void;
  /** A client error (4xx) in this dialect's shape. */
  assertClientError(capture: HttpCapture, body: any, status: number): void;
}

export interface FinishTerms {
  stop: string;
  toolCalls: string;
  length: string;
}

/** A client SDK pointed at a gateway. */
export interface ClientConnection {
  conversation(): Conversation;
  /** The last HTTP exchange of this SDK. */
  lastHttp(): HttpCapture;
}

/** Everything the suite knows about one client dialect; `connect` builds its SDK client. */
export interface ClientAdapter extends ErrorExpectation {
  dialect: ClientDialect;
  connect(baseUrl: string, apiKey: string): ClientConnection;
  finishTerms: FinishTerms;
  /** The usage this dialect must report for what the mock reported (its own inclusive/exclusive rules). */
  expectedUsage(mock: MockUsage): Record<string, unknown>;
  /** The output limit this dialect sends on every request (Anthropic requires one). */
  maxTokens?: number;
  /** How this dialect asked for reasoning: an effort level or a token budget (drives what the upstream must receive). */
  reasoningRequest: { effort: 'high' } | { budget: number };
  /** Why the dialect cannot express a part of a scenario (the rest is still tested). */
  limits: {
    stopSequences?: string;
    reasoningSignature?: string;
  };
  /** Scenarios this dialect cannot express at all, with the reason (shown as n/a in the matrix). */
  unsupported?: Partial<Record<ScenarioId, string>>;
}

export type ScenarioId = 'text' | 'system' | 'sampling' | 'tools' | 'reasoning' | 'image' | 'errors' | 'abort' | 'alias';

/** A fetch that records status, headers and error bodies of every response, for SDKs that hide them. */
export function recordingFetch(into: { last?: HttpCapture }): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const capture: HttpCapture = { status: response.status, headers: response.headers };
    if (!response.ok) capture.errorBody = await response.clone().text();
    into.last = capture;
    return response;
  };
}

export function lastCapture(holder: { last?: HttpCapture }): HttpCapture {
  if (!holder.last) throw new Error('no HTTP exchange recorded yet');
  return holder.last;
}

export function parseJsonOr(text: string | undefined): any {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
