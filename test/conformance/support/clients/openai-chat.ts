import { performance } from 'node:perf_hooks';
import OpenAI from 'openai';
import type { ClientAdapter, ClientReply, Conversation, HttpCapture, ToolCallSeen, TurnOptions, UserPart } from '../client.ts';
import { lastCapture, recordingFetch } from '../client.ts';
import { openaiErrorExpectation } from './openai-errors.ts';
import { abortAtFirstContent, abortWhilePending } from '../abort-request.ts';

type Json = Record<string, any>;

function wirePart(part: UserPart): Json {
  if (part.type === 'text') return { type: 'text', text: part.text };
  if (part.type === 'image') return { type: 'image_url', image_url: { url: `data:${part.mediaType};base64,${part.data}` } };
  return { type: 'image_url', image_url: { url: part.url } };
}

function parseArguments(text: string): unknown {
  return text === '' ? {} : JSON.parse(text);
}

class ChatConversation implements Conversation {
  private readonly messages: Json[] = [];
  private readonly client: OpenAI;

  constructor(client: OpenAI) {
    this.client = client;
  }

  user(parts: string | UserPart[]): void {
    this.messages.push({ role: 'user', content: typeof parts === 'string' ? parts : parts.map(wirePart) });
  }

  toolResults(results: Array<{ call: ToolCallSeen; output: string }>): void {
    for (const { call, output } of results) this.messages.push({ role: 'tool', tool_call_id: call.id, content: output });
  }

  private body(options: TurnOptions): Json {
    const body: Json = {
      model: options.model,
      messages: options.system ? [{ role: 'system', content: options.system }, ...this.messages] : [...this.messages],
    };
    if (options.sampling) {
      body.temperature = options.sampling.temperature;
      body.top_p = options.sampling.topP;
      body.max_completion_tokens = options.sampling.maxTokens;
      body.stop = [...options.sampling.stop];
    }
    if (options.reasoning) body.reasoning_effort = 'high';
    if (options.tools) {
      body.tools = options.tools.map((tool) => ({ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } }));
    }
    if (options.stream) {
      body.stream = true;
      body.stream_options = { include_usage: true };
    }
    return body;
  }

  async send(options: TurnOptions): Promise<ClientReply> {
    const body = this.body(options);
    let reply: ClientReply;
    let wireCalls: Json[];
    if (!options.stream) {
      const completion = (await this.client.chat.completions.create(body as any)) as Json;
      const choice = completion.choices[0];
      const message = choice.message;
      wireCalls = message.tool_calls ?? [];
      reply = {
        text: message.content ?? '',
        reasoningText: message.reasoning_content ?? '',
        finish: choice.finish_reason,
        usage: completion.usage,
        toolCalls: wireCalls.map((call) => ({ id: call.id, name: call.function.name, args: parseArguments(call.function.arguments) })),
      };
    } else {
      const stream = (await this.client.chat.completions.create(body as any)) as unknown as AsyncIterable<Json>;
      let text = '';
      let reasoningText = '';
      let finish = '';
      let usage: Json | undefined;
      const calls: Json[] = [];
      for await (const chunk of stream) {
        if (chunk.usage) usage = chunk.usage;
        for (const choice of chunk.choices ?? []) {
          const delta = choice.delta ?? {};
          if (typeof delta.content === 'string') text += delta.content;
          if (typeof delta.reasoning_content === 'string') reasoningText += delta.reasoning_content;
          for (const piece of delta.tool_calls ?? []) {
            const call = (calls[piece.index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } });
            if (piece.id) call.id = piece.id;
            if (piece.function?.name) call.function.name += piece.function.name;
            if (piece.function?.arguments) call.function.arguments += piece.function.arguments;
          }
          if (choice.finish_reason) finish = choice.finish_reason;
        }
      }
      wireCalls = calls;
      reply = {
        text,
        reasoningText,
        finish,
        usage,
        toolCalls: calls.map((call) => ({ id: call.id, name: call.function.name, args: parseArguments(call.function.arguments) })),
      };
    }
    const assistant: Json = { role: 'assistant', content: reply.text === '' ? null : reply.text };
    if (wireCalls.length > 0) assistant.tool_calls = wireCalls;
    this.messages.push(assistant);
    return reply;
  }

  async abort(options: TurnOptions, ready: () => Promise<void>): Promise<number> {
    const controller = new AbortController();
    const body = this.body(options);
    if (options.stream) {
      const stream = (await this.client.chat.completions.create(body as any, { signal: controller.signal })) as unknown as AsyncIterable<Json>;
      return abortAtFirstContent(controller, stream, (chunk) => Boolean(chunk.choices?.[0]?.delta?.content));
    }
    return abortWhilePending(controller, this.client.chat.completions.create(body as any, { signal: controller.signal }), ready);
  }
}

export const openaiChatAdapter: ClientAdapter = {
  dialect: 'openai-chat',
  connect(baseUrl, apiKey) {
    const http: { last?: HttpCapture } = {};
    const client = new OpenAI({ apiKey, baseURL: `${baseUrl}/v1`, maxRetries: 0, fetch: recordingFetch(http) });
    return { conversation: () => new ChatConversation(client), lastHttp: () => lastCapture(http) };
  },
  finishTerms: { stop: 'stop', toolCalls: 'tool_calls', length: 'length' },
  expectedUsage: (u) => ({
    prompt_tokens: u.input,
    completion_tokens: u.output,
    total_tokens: u.input + u.output,
    prompt_tokens_details: { cached_tokens: u.cacheRead },
    completion_tokens_details: { reasoning_tokens: u.reasoning },
  }),
  reasoningRequest: { effort: 'high' },
  limits: {
    reasoningSignature: 'Chat Completions has no field for reasoning signatures or encrypted reasoning',
  },
  ...openaiErrorExpectation,
};
