import { performance } from 'node:perf_hooks';
import OpenAI from 'openai';
import type { ClientAdapter, ClientReply, Conversation, HttpCapture, ToolCallSeen, TurnOptions, UserPart } from '../client.ts';
import { lastCapture, recordingFetch } from '../client.ts';
import { openaiErrorExpectation } from './openai-errors.ts';
import { abortAtFirstContent, abortWhilePending } from '../abort-request.ts';

type Json = Record<string, any>;

function wirePart(part: UserPart): Json {
  if (part.type === 'text') return { type: 'input_text', text: part.text };
  if (part.type === 'image') return { type: 'input_image', image_url: `data:${part.mediaType};base64,${part.data}`, detail: 'auto' };
  return { type: 'input_image', image_url: part.url, detail: 'auto' };
}

function finishOf(response: Json): string {
  return response.status === 'incomplete' ? `incomplete:${response.incomplete_details?.reason}` : response.status;
}

/** The parts of a final response object a test looks at. */
function replyOf(response: Json): ClientReply {
  let text = '';
  let reasoningText = '';
  let reasoningSignature: string | undefined;
  const toolCalls: ToolCallSeen[] = [];
  for (const item of response.output ?? []) {
    if (item.type === 'message') {
      for (const part of item.content ?? []) if (part.type === 'output_text') text += part.text;
    } else if (item.type === 'reasoning') {
      for (const part of item.summary ?? []) reasoningText += part.text;
      for (const part of item.content ?? []) reasoningText += part.text;
      if (typeof item.encrypted_content === 'string') reasoningSignature = item.encrypted_content;
    } else if (item.type === 'function_call') {
      toolCalls.push({ id: item.call_id, name: item.name, args: item.arguments === '' ? {} : JSON.parse(item.arguments) });
    }
  }
  return { text, reasoningText, reasoningSignature, finish: finishOf(response), usage: response.usage, toolCalls };
}

class ResponsesConversation implements Conversation {
  private readonly input: Json[] = [];
  private readonly client: OpenAI;

  constructor(client: OpenAI) {
    this.client = client;
  }

  user(parts: string | UserPart[]): void {
    this.input.push({ role: 'user', content: typeof parts === 'string' ? parts : parts.map(wirePart) });
  }

  toolResults(results: Array<{ call: ToolCallSeen; output: string }>): void {
    for (const { call, output } of results) this.input.push({ type: 'function_call_output', call_id: call.id, output });
  }

  private body(options: TurnOptions): Json {
    // Stateless use, as Codex does it: nothing stored, every item (encrypted reasoning included) sent back.
    const body: Json = { model: options.model, input: [...this.input], store: false };
    if (options.system) body.instructions = options.system;
    if (options.sampling) {
      body.temperature = options.sampling.temperature;
      body.top_p = options.sampling.topP;
      body.max_output_tokens = options.sampling.maxTokens;
    }
    if (options.reasoning) {
      body.reasoning = { effort: 'high', summary: 'auto' };
      body.include = ['reasoning.encrypted_content'];
    }
    if (options.tools) {
      body.tools = options.tools.map((tool) => ({ type: 'function', name: tool.name, description: tool.description, parameters: tool.parameters, strict: false }));
    }
    if (options.stream) body.stream = true;
    return body;
  }

  async send(options: TurnOptions): Promise<ClientReply> {
    const body = this.body(options);
    let response: Json;
    let streamedText: string | undefined;
    let streamedReasoning: string | undefined;
    if (!options.stream) {
      response = (await this.client.responses.create(body as any)) as Json;
    } else {
      const stream = (await this.client.responses.create(body as any)) as unknown as AsyncIterable<Json>;
      let final: Json | undefined;
      streamedText = '';
      streamedReasoning = '';
      for await (const event of stream) {
        if (event.type === 'response.output_text.delta') streamedText += event.delta;
        else if (event.type === 'response.reasoning_summary_text.delta' || event.type === 'response.reasoning_text.delta') streamedReasoning += event.delta;
        else if (event.type === 'response.completed' || event.type === 'response.incomplete' || event.type === 'response.failed') final = event.response;
      }
      if (!final) throw new Error('the Responses stream ended without a terminal response event');
      response = final;
    }
    const reply = replyOf(response);
    // A stream's deltas and its final response object must tell the same story.
    if (streamedText !== undefined && streamedText !== reply.text) throw new Error(`streamed text ${JSON.stringify(streamedText)} != final ${JSON.stringify(reply.text)}`);
    if (streamedReasoning !== undefined && streamedReasoning !== reply.reasoningText) {
      throw new Error(`streamed reasoning ${JSON.stringify(streamedReasoning)} != final ${JSON.stringify(reply.reasoningText)}`);
    }
    this.input.push(...(response.output ?? []));
    return reply;
  }

  async abort(options: TurnOptions, ready: () => Promise<void>): Promise<number> {
    const controller = new AbortController();
    const body = this.body(options);
    if (options.stream) {
      const stream = (await this.client.responses.create(body as any, { signal: controller.signal })) as unknown as AsyncIterable<Json>;
      return abortAtFirstContent(controller, stream, (event) => event.type === 'response.output_text.delta');
    }
    return abortWhilePending(controller, this.client.responses.create(body as any, { signal: controller.signal }), ready);
  }
}

export const openaiResponsesAdapter: ClientAdapter = {
  dialect: 'openai-responses',
  connect(baseUrl, apiKey) {
    const http: { last?: HttpCapture } = {};
    const client = new OpenAI({ apiKey, baseURL: `${baseUrl}/v1`, maxRetries: 0, fetch: recordingFetch(http) });
    return { conversation: () => new ResponsesConversation(client), lastHttp: () => lastCapture(http) };
  },
  finishTerms: { stop: 'completed', toolCalls: 'completed', length: 'incomplete:max_output_tokens' },
  expectedUsage: (u) => ({
    input_tokens: u.input,
    output_tokens: u.output,
    total_tokens: u.input + u.output,
    input_tokens_details: { cached_tokens: u.cacheRead },
    output_tokens_details: { reasoning_tokens: u.reasoning },
  }),
  reasoningRequest: { effort: 'high' },
  limits: {
    stopSequences: 'the Responses API has no stop sequences',
  },
  ...openaiErrorExpectation,
};
