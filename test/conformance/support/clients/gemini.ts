import { performance } from 'node:perf_hooks';
import { GoogleGenAI } from '@google/genai';
import { expect } from 'vitest';
import type { ClientAdapter, ClientReply, Conversation, HttpCapture, ToolCallSeen, TurnOptions, UserPart } from '../client.ts';
import { lastCapture, recordingFetch } from '../client.ts';
import { abortAtFirstContent, abortWhilePending } from '../abort-request.ts';

type Json = Record<string, any>;

const THINKING_BUDGET = 2048;

function wirePart(part: UserPart): Json {
  if (part.type === 'text') return { text: part.text };
  if (part.type === 'image') return { inlineData: { mimeType: part.mediaType, data: part.data } };
  return { fileData: { fileUri: part.url, mimeType: 'image/png' } };
}

function replyOf(parts: Json[], finish: string, usage: Json | undefined): ClientReply {
  let text = '';
  let reasoningText = '';
  let reasoningSignature: string | undefined;
  const toolCalls: ToolCallSeen[] = [];
  for (const part of parts) {
    if (typeof part.thoughtSignature === 'string') reasoningSignature = part.thoughtSignature;
    if (part.functionCall) {
      const call: ToolCallSeen = { name: part.functionCall.name, args: part.functionCall.args ?? {} };
      if (part.functionCall.id) call.id = part.functionCall.id;
      toolCalls.push(call);
    } else if (typeof part.text === 'string') {
      if (part.thought === true) reasoningText += part.text;
      else text += part.text;
    }
  }
  return { text, reasoningText, reasoningSignature, finish, usage, toolCalls };
}

class GeminiConversation implements Conversation {
  private readonly contents: Json[] = [];
  private readonly client: GoogleGenAI;

  constructor(client: GoogleGenAI) {
    this.client = client;
  }

  user(parts: string | UserPart[]): void {
    this.contents.push({ role: 'user', parts: typeof parts === 'string' ? [{ text: parts }] : parts.map(wirePart) });
  }

  toolResults(results: Array<{ call: ToolCallSeen; output: string }>): void {
    this.contents.push({
      role: 'user',
      parts: results.map(({ call, output }) => ({
        functionResponse: { ...(call.id ? { id: call.id } : {}), name: call.name, response: { output } },
      })),
    });
  }

  private request(options: TurnOptions, signal?: AbortSignal): Json {
    const config: Json = {};
    if (options.system) config.systemInstruction = options.system;
    if (options.sampling) {
      config.temperature = options.sampling.temperature;
      config.topP = options.sampling.topP;
      config.maxOutputTokens = options.sampling.maxTokens;
      config.stopSequences = [...options.sampling.stop];
    }
    if (options.reasoning) config.thinkingConfig = { thinkingBudget: THINKING_BUDGET, includeThoughts: true };
    if (options.tools) {
      config.tools = [
        { functionDeclarations: options.tools.map((tool) => ({ name: tool.name, description: tool.description, parametersJsonSchema: tool.parameters })) },
      ];
    }
    if (signal) config.abortSignal = signal;
    return { model: options.model, contents: [...this.contents], config };
  }

  async send(options: TurnOptions): Promise<ClientReply> {
    const request = this.request(options);
    let parts: Json[];
    let finish = '';
    let usage: Json | undefined;
    if (!options.stream) {
      const response = (await this.client.models.generateContent(request as any)) as Json;
      const candidate = response.candidates?.[0];
      parts = candidate?.content?.parts ?? [];
      finish = candidate?.finishReason ?? '';
      usage = response.usageMetadata;
    } else {
      parts = [];
      for await (const chunk of (await this.client.models.generateContentStream(request as any)) as AsyncIterable<Json>) {
        const candidate = chunk.candidates?.[0];
        parts.push(...(candidate?.content?.parts ?? []));
        if (candidate?.finishReason) finish = candidate.finishReason;
        if (chunk.usageMetadata) usage = chunk.usageMetadata;
      }
    }
    // The model turn goes back exactly as it came, thought signatures included.
    this.contents.push({ role: 'model', parts });
    return replyOf(parts, finish, usage);
  }

  async abort(options: TurnOptions, ready: () => Promise<void>): Promise<number> {
    const controller = new AbortController();
    const request = this.request(options, controller.signal);
    if (options.stream) {
      const stream = (await this.client.models.generateContentStream(request as any)) as AsyncIterable<Json>;
      return abortAtFirstContent(controller, stream, (chunk) =>
        ((chunk.candidates?.[0]?.content?.parts ?? []) as Json[]).some((part) => typeof part.text === 'string' && part.text !== '' && part.thought !== true),
      );
    }
    return abortWhilePending(controller, this.client.models.generateContent(request as any), ready);
  }
}

/** Google's error shape: `{"error":{"code","message","status"}}` with the HTTP status as `code`. */
function assertGoogleError(capture: HttpCapture, body: any, status: number, name: string | RegExp): any {
  expect(capture.status).toBe(status);
  const error = (Array.isArray(body) ? body[0] : body)?.error;
  expect(error?.code).toBe(status);
  expect(error.status).toEqual(typeof name === 'string' ? name : expect.stringMatching(name));
  expect(error.message).toEqual(expect.stringMatching(/\S/));
  return error;
}

export const geminiAdapter: ClientAdapter = {
  dialect: 'gemini',
  connect(baseUrl, apiKey) {
    const http: { last?: HttpCapture } = {};
    const client = new GoogleGenAI({ apiKey, httpOptions: { baseUrl, fetch: recordingFetch(http) } });
    return { conversation: () => new GeminiConversation(client), lastHttp: () => lastCapture(http) };
  },
  finishTerms: { stop: 'STOP', toolCalls: 'STOP', length: 'MAX_TOKENS' },
  // candidatesTokenCount leaves the thoughts out; promptTokenCount includes the cached tokens.
  expectedUsage: (u) => ({
    promptTokenCount: u.input,
    cachedContentTokenCount: u.cacheRead,
    candidatesTokenCount: u.output - u.reasoning,
    thoughtsTokenCount: u.reasoning,
    totalTokenCount: u.input + u.output,
  }),
  reasoningRequest: { budget: THINKING_BUDGET },
  limits: {},
  assertRateLimited(capture, body, retryAfterSeconds) {
    const error = assertGoogleError(capture, body, 429, 'RESOURCE_EXHAUSTED');
    // Google clients read the delay from a RetryInfo detail, not from a header.
    expect(error.details ?? [], 'a RetryInfo detail').toContainEqual(
      expect.objectContaining({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryAfterSeconds}s` }),
    );
  },
  assertServerError(capture, body) {
    assertGoogleError(capture, body, 500, 'INTERNAL');
  },
  assertClientError(capture, body, status) {
    assertGoogleError(capture, body, status, /^[A-Z_]+$/);
  },
};
