import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import type { ClientAdapter, ClientReply, Conversation, HttpCapture, TurnOptions, UserPart } from '../client.ts';
import { lastCapture } from '../client.ts';
import { openaiErrorExpectation } from './openai-errors.ts';
import { abortAtFirstContent, abortWhilePending } from '../abort-request.ts';

type Json = Record<string, any>;

/** The `data:` payloads of an SSE body, `[DONE]` included. */
export function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => block.slice(6));
}

class HttpStatusError extends Error {
  readonly status: number;

  constructor(status: number, body: string) {
    super(`HTTP ${status}: ${body.slice(0, 200)}`);
    this.status = status;
  }
}

/**
 * Legacy `/v1/completions` has no maintained SDK surface worth the name, so it is spoken over raw
 * HTTP: one prompt, no conversation.
 */
class CompletionsConversation implements Conversation {
  private prompt = '';
  private readonly url: string;
  private readonly apiKey: string;
  private readonly http: { last?: HttpCapture };

  constructor(url: string, apiKey: string, http: { last?: HttpCapture }) {
    this.url = url;
    this.apiKey = apiKey;
    this.http = http;
  }

  user(parts: string | UserPart[]): void {
    if (typeof parts !== 'string') throw new Error('legacy Completions prompts are text only');
    this.prompt = parts;
  }

  toolResults(): void {
    throw new Error('legacy Completions has no tools');
  }

  private body(options: TurnOptions): Json {
    if (options.system || options.tools || options.reasoning) throw new Error('legacy Completions cannot express this request');
    const body: Json = { model: options.model, prompt: this.prompt };
    if (options.sampling) {
      body.temperature = options.sampling.temperature;
      body.top_p = options.sampling.topP;
      body.max_tokens = options.sampling.maxTokens;
      body.stop = [...options.sampling.stop];
    }
    if (options.stream) {
      body.stream = true;
      body.stream_options = { include_usage: true };
    }
    return body;
  }

  private post(body: Json, signal?: AbortSignal) {
    return request(`${this.url}/v1/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.apiKey}` },
      body: JSON.stringify(body),
      signal,
    });
  }

  async send(options: TurnOptions): Promise<ClientReply> {
    const response = await this.post(this.body(options));
    const text = await response.body.text();
    const capture: HttpCapture = { status: response.statusCode, headers: new Headers(response.headers as Record<string, string>) };
    this.http.last = capture;
    if (response.statusCode >= 400) {
      capture.errorBody = text;
      throw new HttpStatusError(response.statusCode, text);
    }
    if (!options.stream) {
      const completion = JSON.parse(text) as Json;
      return { text: completion.choices[0].text, reasoningText: '', finish: completion.choices[0].finish_reason, usage: completion.usage, toolCalls: [] };
    }
    const events = sseData(text);
    if (events.at(-1) !== '[DONE]') throw new Error('the Completions stream did not end with [DONE]');
    let answer = '';
    let finish = '';
    let usage: Json | undefined;
    for (const data of events.slice(0, -1)) {
      const chunk = JSON.parse(data) as Json;
      if (chunk.object !== 'text_completion') throw new Error(`unexpected chunk object ${chunk.object}`);
      for (const choice of chunk.choices) {
        answer += choice.text;
        if (choice.finish_reason) finish = choice.finish_reason;
      }
      if (chunk.usage) usage = chunk.usage;
    }
    return { text: answer, reasoningText: '', finish, usage, toolCalls: [] };
  }

  async abort(options: TurnOptions, ready: () => Promise<void>): Promise<number> {
    const controller = new AbortController();
    if (options.stream) {
      const response = await this.post(this.body(options), controller.signal);
      return abortAtFirstContent(controller, response.body, (chunk) => /"text":"[^"]/.test(String(chunk)));
    }
    return abortWhilePending(controller, this.post(this.body(options), controller.signal).then((response) => response.body.text()), ready);
  }
}

export const openaiCompletionsAdapter: ClientAdapter = {
  dialect: 'openai-completions',
  connect(baseUrl, apiKey) {
    const http: { last?: HttpCapture } = {};
    return { conversation: () => new CompletionsConversation(baseUrl, apiKey, http), lastHttp: () => lastCapture(http) };
  },
  finishTerms: { stop: 'stop', toolCalls: 'tool_calls', length: 'length' },
  expectedUsage: (u) => ({ prompt_tokens: u.input, completion_tokens: u.output, total_tokens: u.input + u.output }),
  reasoningRequest: { effort: 'high' },
  limits: {},
  unsupported: {
    system: 'legacy Completions has a prompt only, no system role',
    tools: 'legacy Completions has no tools',
    reasoning: 'legacy Completions has no reasoning parameter (the alias scenario covers the model suffix)',
    image: 'legacy Completions prompts are text only',
  },
  ...openaiErrorExpectation,
};
