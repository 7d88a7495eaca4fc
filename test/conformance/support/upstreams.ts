import type { ClientDialect } from './client.ts';
import { SAMPLING } from './fixtures.ts';

type Json = Record<string, any>;

export type UpstreamId = 'openai-compatibility' | 'claude' | 'gemini' | 'vertex' | 'codex';

export type ImageSeen = { kind: 'base64'; mediaType: string; data: string } | { kind: 'url'; url: string };

export interface SamplingSeen {
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: string[];
}

export interface ToolExchangeSeen {
  call: { id?: string; name: string; args: unknown };
  result: { callId?: string; name?: string; output: unknown };
}

/** How a client asked for reasoning: a level, or a token budget. */
export type ReasoningAsked = { effort: 'high' } | { budget: number };

/**
 * One upstream provider type as the conformance suite sees it: how the config routes a model to
 * the mock, and how to read, in the upstream's own wire terms, what the gateway sent it.
 */
export interface UpstreamCase {
  id: UpstreamId;
  /** The model name clients use: an alias in the config. */
  alias: string;
  /** The name the upstream knows the model by. */
  model: string;
  /** The provider label the gateway reports in `x-switchyard-provider`. */
  provider: string;
  /** Whether the upstream signs its reasoning (signature, thoughtSignature, encrypted_content). */
  signsReasoning: boolean;
  configYaml(mockUrl: string): string;
  /** Path and query a generation request must arrive at. */
  generationTarget(stream: boolean): { path: string; query: Record<string, string> };
  /** The model named in the upstream request (body or path). */
  modelOf(path: string, body: Json): string | undefined;
  /** The system prompt where this wire format keeps it (undefined when it is not there). */
  nativeSystem(body: Json): string | undefined;
  sampling(body: Json): SamplingSeen;
  /** What must arrive of the suite's sampling parameters; `note` says what is dropped by design. */
  expectedSampling(client: ClientDialect, clientSentStop: boolean): { seen: SamplingSeen; note?: string };
  reasoning(body: Json): unknown;
  /** `clientMaxTokens`: the output limit the client sent, which reasoning must fit in. */
  expectedReasoning(asked: ReasoningAsked, clientMaxTokens?: number): unknown;
  /** The assistant's tool call and the tool result that ends the conversation. */
  toolExchange(body: Json): ToolExchangeSeen | undefined;
  /** The tool result in the form the mock answers with `tool result: …`. */
  toolResultPayload(output: string): unknown;
  /** Call ids the mock issued in an answer (Gemini issues none). */
  issuedCallIds(answer: string): string[];
  /** Images of the last user turn. */
  images(body: Json): ImageSeen[];
  /** The reasoning signature / encrypted content the mock issued in an answer. */
  issuedSignature(answer: string): string | undefined;
  /** Signatures / encrypted contents that the request carries back in its history. */
  replayedSignatures(body: Json): string[];
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part: Json) => (typeof part?.text === 'string' ? part.text : '')).join('');
}

function dataUrlImage(url: string): ImageSeen {
  const match = /^data:([^;,]+);base64,(.*)$/.exec(url);
  return match ? { kind: 'base64', mediaType: match[1]!, data: match[2]! } : { kind: 'url', url };
}

function allMatches(text: string, pattern: RegExp): string[] {
  return [...text.matchAll(pattern)].map((match) => match[1]!);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function lastMatch(text: string, pattern: RegExp): string | undefined {
  return allMatches(text, pattern).at(-1);
}

function parseArgs(text: unknown): unknown {
  return typeof text === 'string' && text !== '' ? JSON.parse(text) : {};
}

const geminiSampling = (body: Json): SamplingSeen => {
  const config = body.generationConfig ?? {};
  return { temperature: config.temperature, topP: config.topP, maxTokens: config.maxOutputTokens, stop: config.stopSequences };
};

/** The suite's sampling parameters, as they must arrive when nothing is dropped. */
const fullSampling = (stop: boolean): SamplingSeen => ({
  temperature: SAMPLING.temperature,
  topP: SAMPLING.topP,
  maxTokens: SAMPLING.maxTokens,
  ...(stop ? { stop: [...SAMPLING.stop] } : {}),
});

function geminiToolExchange(body: Json): ToolExchangeSeen | undefined {
  let call: ToolExchangeSeen['call'] | undefined;
  for (const content of body.contents ?? []) {
    for (const part of content.parts ?? []) {
      if (content.role === 'model' && part.functionCall) {
        call = { ...(part.functionCall.id ? { id: part.functionCall.id } : {}), name: part.functionCall.name, args: part.functionCall.args ?? {} };
      }
    }
  }
  const last = body.contents?.at(-1);
  const response = (last?.parts ?? []).find((part: Json) => part.functionResponse)?.functionResponse;
  if (!call || !response) return undefined;
  return { call, result: { ...(response.id ? { callId: response.id } : {}), name: response.name, output: response.response } };
}

function geminiImages(body: Json): ImageSeen[] {
  const last = (body.contents ?? []).filter((content: Json) => content.role !== 'model').at(-1);
  const images: ImageSeen[] = [];
  for (const part of last?.parts ?? []) {
    if (part.inlineData) images.push({ kind: 'base64', mediaType: part.inlineData.mimeType, data: part.inlineData.data });
    else if (part.fileData) images.push({ kind: 'url', url: part.fileData.fileUri });
  }
  return images;
}

function geminiCase(options: {
  id: 'gemini' | 'vertex';
  model: string;
  section: string;
  prefix: string;
  reasoning: (asked: ReasoningAsked) => unknown;
}): UpstreamCase {
  const { id, model, prefix } = options;
  return {
    id,
    alias: `conf-${id}`,
    model,
    provider: id,
    signsReasoning: true,
    configYaml: (mockUrl) => `${options.section}:\n  - api-key: test-${id}\n    base-url: ${mockUrl}\n    models: [{name: ${model}, alias: conf-${id}}]\n`,
    generationTarget: (stream) => ({
      path: `${prefix}/${model}:${stream ? 'streamGenerateContent' : 'generateContent'}`,
      query: stream ? { alt: 'sse' } : ({} as Record<string, string>),
    }),
    modelOf: (path) => /models\/([^:/]+):/.exec(path)?.[1],
    nativeSystem: (body) => (body.systemInstruction ? textOf(body.systemInstruction.parts) : undefined),
    sampling: geminiSampling,
    expectedSampling: (_client, stop) => ({ seen: fullSampling(stop) }),
    reasoning: (body) => body.generationConfig?.thinkingConfig,
    expectedReasoning: options.reasoning,
    toolExchange: geminiToolExchange,
    toolResultPayload: (output) => ({ output }),
    issuedCallIds: () => [],
    images: geminiImages,
    issuedSignature: (answer) => lastMatch(answer, /"thoughtSignature":\s*"([^"]+)"/g),
    replayedSignatures: (body) =>
      (body.contents ?? []).flatMap((content: Json) => (content.parts ?? []).map((part: Json) => part.thoughtSignature).filter(Boolean)),
  };
}

export const UPSTREAMS: readonly UpstreamCase[] = [
  {
    id: 'openai-compatibility',
    alias: 'conf-openai',
    model: 'gpt-4o-mini',
    provider: 'mockai',
    signsReasoning: false,
    configYaml: (mockUrl) =>
      `openai-compatibility:\n  - name: mockai\n    base-url: ${mockUrl}/v1\n    api-key-entries: [{api-key: test-openai}]\n    models: [{name: gpt-4o-mini, alias: conf-openai}]\n`,
    generationTarget: () => ({ path: '/v1/chat/completions', query: {} }),
    modelOf: (_path, body) => body.model,
    nativeSystem: (body) => (body.messages?.[0]?.role === 'system' ? textOf(body.messages[0].content) : undefined),
    sampling: (body) => ({ temperature: body.temperature, topP: body.top_p, maxTokens: body.max_completion_tokens ?? body.max_tokens, stop: body.stop }),
    expectedSampling: (_client, stop) => ({ seen: fullSampling(stop) }),
    reasoning: (body) => body.reasoning_effort,
    // OpenAI has levels only: a budget becomes the smallest level that covers it.
    expectedReasoning: (asked) => ('effort' in asked ? asked.effort : asked.budget <= 1024 ? 'low' : asked.budget <= 8192 ? 'medium' : 'high'),
    toolExchange(body) {
      const messages: Json[] = body.messages ?? [];
      const assistant = messages.findLast((m) => m.role === 'assistant' && m.tool_calls?.length);
      const tool = messages.at(-1);
      if (!assistant || tool?.role !== 'tool') return undefined;
      const call = assistant.tool_calls[0];
      return {
        call: { id: call.id, name: call.function.name, args: parseArgs(call.function.arguments) },
        result: { callId: tool.tool_call_id, output: textOf(tool.content) },
      };
    },
    toolResultPayload: (output) => output,
    issuedCallIds: (answer) => unique(allMatches(answer, /"id":\s*"(call_[A-Za-z0-9]+)"/g)),
    images(body) {
      const last = (body.messages ?? []).findLast((m: Json) => m.role === 'user');
      return (Array.isArray(last?.content) ? last.content : []).filter((p: Json) => p.type === 'image_url').map((p: Json) => dataUrlImage(p.image_url.url));
    },
    issuedSignature: () => undefined,
    replayedSignatures: () => [],
  },
  {
    id: 'claude',
    alias: 'conf-claude',
    model: 'claude-sonnet-4-5-20250929',
    provider: 'claude',
    signsReasoning: true,
    configYaml: (mockUrl) => `claude-api-key:\n  - api-key: test-claude\n    base-url: ${mockUrl}\n    models: [{name: claude-sonnet-4-5-20250929, alias: conf-claude}]\n`,
    generationTarget: () => ({ path: '/v1/messages', query: {} }),
    modelOf: (_path, body) => body.model,
    nativeSystem: (body) => (body.system === undefined ? undefined : textOf(body.system)),
    sampling: (body) => ({ temperature: body.temperature, topP: body.top_p, maxTokens: body.max_tokens, stop: body.stop_sequences }),
    expectedSampling(client, stop) {
      if (client === 'anthropic-messages') return { seen: fullSampling(stop) };
      const { topP: _dropped, ...seen } = fullSampling(stop);
      return { seen, note: 'top_p dropped: Claude 4.1+ rejects temperature together with top_p' };
    },
    reasoning: (body) => body.thinking,
    // Claude counts thinking in max_tokens and wants budget_tokens below it: a client's limit caps the budget.
    expectedReasoning(asked, clientMaxTokens) {
      const budget = 'effort' in asked ? 24576 : asked.budget;
      return { type: 'enabled', budget_tokens: clientMaxTokens !== undefined && budget >= clientMaxTokens ? clientMaxTokens - 1 : budget };
    },
    toolExchange(body) {
      const messages: Json[] = body.messages ?? [];
      const assistant = messages.findLast((m) => m.role === 'assistant' && Array.isArray(m.content) && m.content.some((b: Json) => b.type === 'tool_use'));
      const last = messages.at(-1);
      const result = Array.isArray(last?.content) ? last.content.find((b: Json) => b.type === 'tool_result') : undefined;
      if (!assistant || !result) return undefined;
      const use = assistant.content.find((b: Json) => b.type === 'tool_use');
      return { call: { id: use.id, name: use.name, args: use.input }, result: { callId: result.tool_use_id, output: textOf(result.content) } };
    },
    toolResultPayload: (output) => output,
    issuedCallIds: (answer) => unique(allMatches(answer, /"id":\s*"(toolu_[A-Za-z0-9]+)"/g)),
    images(body) {
      const last = (body.messages ?? []).findLast((m: Json) => m.role === 'user');
      return (Array.isArray(last?.content) ? last.content : [])
        .filter((b: Json) => b.type === 'image')
        .map((b: Json): ImageSeen => (b.source.type === 'base64' ? { kind: 'base64', mediaType: b.source.media_type, data: b.source.data } : { kind: 'url', url: b.source.url }));
    },
    issuedSignature: (answer) => lastMatch(answer, /"signature":\s*"([^"]+)"/g),
    replayedSignatures: (body) =>
      (body.messages ?? []).flatMap((m: Json) => (Array.isArray(m.content) ? m.content : []).filter((b: Json) => b.type === 'thinking').map((b: Json) => b.signature)),
  },
  geminiCase({
    id: 'gemini',
    model: 'gemini-2.5-flash',
    section: 'gemini-api-key',
    prefix: '/v1beta/models',
    // Gemini 2.5 takes a budget; Flash tops out at 24576, which is also the `high` level's budget.
    reasoning: (asked) => ({ thinkingBudget: 'effort' in asked ? 24576 : asked.budget, includeThoughts: true }),
  }),
  geminiCase({
    id: 'vertex',
    model: 'gemini-3-pro-preview',
    section: 'vertex-api-key',
    prefix: '/v1/publishers/google/models',
    // Gemini 3 takes a level; an explicit budget is still passed as a budget.
    reasoning: (asked) => ('effort' in asked ? { thinkingLevel: 'HIGH', includeThoughts: true } : { thinkingBudget: asked.budget, includeThoughts: true }),
  }),
  {
    id: 'codex',
    alias: 'conf-codex',
    model: 'gpt-5-codex',
    provider: 'codex',
    signsReasoning: true,
    configYaml: (mockUrl) => `codex-api-key:\n  - api-key: test-codex\n    base-url: ${mockUrl}/backend-api/codex\n    models: [{name: gpt-5-codex, alias: conf-codex}]\n`,
    // The ChatGPT backend only streams; a plain client request is collected from a stream.
    generationTarget: () => ({ path: '/backend-api/codex/responses', query: {} }),
    modelOf: (_path, body) => body.model,
    nativeSystem: (body) => body.instructions,
    sampling: (body) => ({ temperature: body.temperature, topP: body.top_p, maxTokens: body.max_output_tokens, stop: body.stop }),
    expectedSampling: () => ({ seen: {}, note: 'dropped by design: the ChatGPT Codex backend rejects temperature, top_p and max_output_tokens' }),
    reasoning: (body) => body.reasoning?.effort,
    expectedReasoning: (asked) => ('effort' in asked ? asked.effort : asked.budget <= 1024 ? 'low' : asked.budget <= 8192 ? 'medium' : 'high'),
    toolExchange(body) {
      const items: Json[] = body.input ?? [];
      const call = items.findLast((item) => item.type === 'function_call');
      const output = items.at(-1);
      if (!call || output?.type !== 'function_call_output') return undefined;
      return { call: { id: call.call_id, name: call.name, args: parseArgs(call.arguments) }, result: { callId: output.call_id, output: textOf(output.output) } };
    },
    toolResultPayload: (output) => output,
    issuedCallIds: (answer) => unique(allMatches(answer, /"call_id":\s*"(call_[A-Za-z0-9]+)"/g)),
    images(body) {
      const last = (body.input ?? []).findLast((item: Json) => item.role === 'user');
      return (Array.isArray(last?.content) ? last.content : []).filter((p: Json) => p.type === 'input_image').map((p: Json) => dataUrlImage(p.image_url));
    },
    issuedSignature: (answer) => lastMatch(answer, /"encrypted_content":\s*"([^"]+)"/g),
    replayedSignatures: (body) => (body.input ?? []).filter((item: Json) => item.type === 'reasoning' && item.encrypted_content).map((item: Json) => item.encrypted_content),
  },
];

/**
 * The config every conformance gateway runs with: one credential per upstream type, all pointing
 * at the mock. The 429/500 scenarios would otherwise cool the single credential of an upstream for
 * the scenarios after them; cooldowns and breakers have their own tests (test/gateway/resilience.test.ts).
 */
export function conformanceConfig(mockUrl: string, apiKey: string, extra = ''): string {
  return `port: 0\nhost: 127.0.0.1\napi-keys: [${apiKey}]\ndisable-cooling: true\ncircuit-breaker: {failure-threshold: 1000}\n${extra}${UPSTREAMS.map((upstream) => upstream.configYaml(mockUrl)).join('')}`;
}
