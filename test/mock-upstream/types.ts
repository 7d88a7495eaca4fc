import type { IncomingHttpHeaders } from 'node:http';

export type MockJsonSchema = Record<string, unknown>;

export type MockProviderName = 'openai-chat' | 'openai-responses' | 'anthropic' | 'gemini';

/** Every request the mock received, as tests assert on it. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
  /** Which wire format answered, when the route was known. */
  provider?: MockProviderName;
  /** `performance.now()` when the request arrived. */
  receivedAt: number;
  /** `performance.now()` when the response closed: answered in full, cut by the mock, or dropped by the client. */
  closedAt?: number;
  /** Whether the whole answer was written before the response closed (false: the client went away first). */
  completed?: boolean;
  /** The token usage the mock reported in a generated answer. */
  usage?: MockUsage;
  /** The generated answer as rendered: the JSON body, or every frame of the stream. */
  answer?: string;
  /** The format-neutral summary of a generation request (what `[[mock:json]]` answers with). */
  summarize?: () => RequestSummary;
}

/**
 * A canned behaviour that replaces the directive logic for one request. Fields combine:
 * `delayMs` then one of `drop`, `status`/`body`, `error`, `prompt` (or the normal answer).
 */
export interface CannedResponse {
  /** Only requests whose path contains this string consume the entry (default: generation requests). */
  path?: string;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Destroy the connection without answering. */
  drop?: boolean;
  /** Exact HTTP answer; an object body is sent as JSON. */
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A provider-shaped error (body, headers and status as the real API renders them). */
  error?: MockErrorSpec;
  /** Answer as if the last user text were this (it may carry directives). */
  prompt?: string;
}

export interface MockErrorSpec {
  status: number;
  message?: string;
  /** Seconds; rendered the provider's way (Retry-After header, RetryInfo, resets_in_seconds). */
  retryAfter?: number;
}

export interface MockUpstreamOptions {
  port?: number;
  host?: string;
  /** Accepted API keys (any credential: API key, bearer token); default: every key starting with `test-`. */
  apiKeys?: string[] | ((key: string) => boolean);
  /** Record requests in `requests` (default true; turn off for load tests). */
  record?: boolean;
  /** Delay before the first byte of every answer. */
  latencyMs?: number;
  /** Tokens per streamed content delta (a token is 4 characters). Default 1. */
  tokensPerChunk?: number;
  /** Delay between streamed chunks. Default 0. */
  chunkDelayMs?: number;
  /**
   * Mean of a random extra delay added to `latencyMs` for every answer, drawn from an exponential
   * distribution: most answers close to `latencyMs`, a long tail, as real upstreams answer.
   */
  latencyJitterMs?: number;
  /** Share (0 to 1) of generation requests answered with the provider's 500 error, at random. */
  errorRate?: number;
  /** Share (0 to 1) of generation requests answered with the provider's 429 (retry after 1 s), at random. */
  rateLimitRate?: number;
  /** Random source for the rates and the jitter (tests make it deterministic). Default Math.random. */
  random?: () => number;
}

/** Facts of a decoded request that the reply depends on, the same for every wire format. */
export interface RequestFacts {
  /** The parsed request body, for format-specific rendering choices. */
  body: Record<string, any>;
  model: string;
  stream: boolean;
  /** All text of the last user message that has text: the directive source. */
  directiveText: string;
  /** The last text part of that message: what `echo:` repeats. */
  echoText: string;
  /** Contents of the tool results that end the conversation; undefined when it does not end with any. */
  toolResults?: string[];
  tools: MockTool[];
  /** `true`: the client requires some tool call; a string: that tool. */
  forcedTool?: true | string;
  /** The JSON schema the answer must follow (structured outputs). */
  responseSchema?: MockJsonSchema;
  /** JSON mode without a schema. */
  jsonMode: boolean;
  maxOutputTokens?: number;
  /** Characters of the request body; input tokens are a quarter of it. */
  inputChars: number;
  /** Lazily builds the format-neutral summary `[[mock:json]]` replies with. */
  summarize(): RequestSummary;
}

export interface MockTool {
  name: string;
  schema: MockJsonSchema;
  /** `custom`: free-form input (Responses custom tools); `local_shell`: the Responses built-in shell. */
  kind: 'function' | 'custom' | 'local_shell';
}

/** A format-neutral view of the request, so a test can check what survived translation. */
export interface RequestSummary {
  model: string;
  stream: boolean;
  system: string;
  /** One line per turn: `user: text`, `assistant: text`, `assistant: [tool Name {args}]`, `tool: content`. */
  turns: string[];
  tools: string[];
  toolChoice?: string;
  maxOutputTokens?: number;
  temperature?: number;
  reasoning?: unknown;
}

export interface MockToolCall {
  name: string;
  kind: MockTool['kind'];
  /** JSON text for functions, raw input for custom tools, the shell command for local_shell. */
  input: string;
}

export interface MockUsage {
  /** All input tokens, cached ones included. */
  input: number;
  cacheRead: number;
  cacheWrite: number;
  /** All output tokens, reasoning included. */
  output: number;
  reasoning: number;
}

/** What the mock model "generated"; each wire format renders it its own way. */
export interface MockReply {
  reasoning?: { text: string; signature: string };
  text: string;
  toolCalls: MockToolCall[];
  finish: 'stop' | 'length' | 'tool';
  usage: MockUsage;
}

/** How a streamed answer misbehaves. */
export interface MockStreamFault {
  /** Destroy the socket after this many frames. */
  cutAfter?: number;
  /** Send the provider's in-stream error after this many frames. */
  errorAfter?: number;
  error?: MockErrorSpec;
}

export interface MockHttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface MockStreamAnswer {
  headers: Record<string, string>;
  frames: string[];
  /** The provider's in-stream error, sent after `framesSent` frames (it may refer to ids of the stream). */
  errorFrame(error: MockErrorSpec, framesSent: number): string;
}
