import { expect, vi } from 'vitest';
import type { RecordedRequest } from '../../mock-upstream/index.ts';
import { mockFillerText } from '../../mock-upstream/tokens.ts';
import type { ClientAdapter, ClientConnection, ClientReply, ScenarioId, TurnOptions } from './client.ts';
import { parseJsonOr } from './client.ts';
import { CONFORMANCE_TOOL, IMAGE_URL, PNG_BASE64, RETRY_AFTER_SECONDS, SAMPLING } from './fixtures.ts';
import type { ConformanceHarness } from './harness.ts';
import type { UpstreamCase } from './upstreams.ts';

export interface CellContext {
  harness: ConformanceHarness;
  client: ClientAdapter;
  connection: ClientConnection;
  upstream: UpstreamCase;
  stream: boolean;
  /** Unique to this cell; every prompt carries it so the cell finds its own upstream requests. */
  tag: string;
  /** Records how this cell covers the scenario differently (a footnote in the matrix). */
  note(text: string): void;
  /** Runs a named check; a failure listed in KNOWN_GAPS marks the cell `gap` instead of failing it. */
  check(name: string, assertion: () => void): void;
}

export interface Scenario {
  id: ScenarioId;
  title: string;
  run(cell: CellContext): Promise<void>;
}

/** A mock thought of this many tokens; its text is what reasoning-capable clients must receive. */
const THOUGHT_TOKENS = 16;
const ABORT_BUDGET_MS = 100;

/** Every figure the dialect must report equals the expected one; a missing detail counts as 0. */
function expectUsage(actual: unknown, expected: Record<string, unknown>, path = 'usage'): void {
  expect(actual, `${path} is missing`).toBeTypeOf('object');
  for (const [key, value] of Object.entries(expected)) {
    const got = (actual as Record<string, unknown> | undefined)?.[key];
    if (typeof value === 'object' && value !== null) expectUsage(got ?? {}, value as Record<string, unknown>, `${path}.${key}`);
    else expect(got ?? 0, `${path}.${key}`).toBe(value);
  }
}

/** The one upstream request a single-turn cell caused, after checking it hit the right endpoint and model. */
function singleUpstreamRequest({ harness, upstream, stream }: CellContext, tag: string): RecordedRequest {
  const requests = harness.upstreamRequests(tag);
  expect(requests, 'upstream requests of this cell').toHaveLength(1);
  const request = requests[0]!;
  const target = upstream.generationTarget(stream);
  expect(request.path).toBe(target.path);
  expect(request.query).toEqual(target.query);
  expect(upstream.modelOf(request.path, request.body as Record<string, unknown>)).toBe(upstream.model);
  return request;
}

function bodyOf(request: RecordedRequest): Record<string, any> {
  return request.body as Record<string, any>;
}

function expectRoutingHeaders({ connection, upstream }: CellContext): void {
  const headers = connection.lastHttp().headers;
  expect(headers.get('x-switchyard-provider')).toBe(upstream.provider);
  expect(headers.get('x-switchyard-model')).toBe(upstream.model);
  expect(headers.get('x-request-id')).toEqual(expect.stringMatching(/\S/));
}

async function sendExpectingError(cell: CellContext, prompt: string): Promise<{ error: unknown; body: unknown }> {
  const conversation = cell.connection.conversation();
  conversation.user(prompt);
  const outcome = await conversation.send({ model: cell.upstream.alias, stream: cell.stream }).then(
    (reply: ClientReply) => ({ reply }),
    (error: unknown) => ({ error }),
  );
  if ('reply' in outcome) throw new Error(`expected an error, got the answer ${JSON.stringify(outcome.reply.text)}`);
  return { error: outcome.error, body: parseJsonOr(cell.connection.lastHttp().errorBody) };
}

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'text',
    title: 'plain text: answer, finish reason, usage equal to the upstream’s',
    async run(cell) {
      const { connection, client, upstream, stream, tag } = cell;
      const conversation = connection.conversation();
      // Cached tokens make the dialects' different usage rules (inclusive or not) matter.
      conversation.user(`[[mock:cache read=4]] hello ${tag}`);
      const reply = await conversation.send({ model: upstream.alias, stream });
      expect(reply.text).toBe(`echo: hello ${tag}`);
      expect(reply.finish).toBe(client.finishTerms.stop);
      expect(reply.toolCalls).toEqual([]);
      const request = singleUpstreamRequest(cell, tag);
      expect(request.usage?.cacheRead).toBe(4);
      expectUsage(reply.usage, client.expectedUsage(request.usage!));
      expectRoutingHeaders(cell);
    },
  },
  {
    id: 'system',
    title: 'system prompt reaches the upstream in its own form, nothing injected',
    async run(cell) {
      const { connection, upstream, stream, tag } = cell;
      const system = `You are terse. ${tag}`;
      const conversation = connection.conversation();
      conversation.user('hi');
      const reply = await conversation.send({ model: upstream.alias, stream, system });
      expect(reply.text).toBe('echo: hi');
      const request = singleUpstreamRequest(cell, tag);
      expect(upstream.nativeSystem(bodyOf(request))).toBe(system);
      const summary = request.summarize!();
      expect(summary.system).toBe(system);
      expect(summary.turns).toEqual(['user: hi']);
    },
  },
  {
    id: 'sampling',
    title: 'temperature, top_p, max tokens and stop sequences arrive translated; the length finish comes back',
    async run(cell) {
      const { connection, client, upstream, stream, tag, note } = cell;
      const canStop = client.limits.stopSequences === undefined;
      if (!canStop) note(`stop sequences n/a: ${client.limits.stopSequences}`);
      const conversation = connection.conversation();
      conversation.user(`[[mock:long 100]] ${tag}`);
      const reply = await conversation.send({ model: upstream.alias, stream, sampling: SAMPLING });
      const request = singleUpstreamRequest(cell, tag);
      const expected = upstream.expectedSampling(client.dialect, canStop);
      if (expected.note) note(`${upstream.id}: ${expected.note}`);
      expect(upstream.sampling(bodyOf(request))).toEqual(expected.seen);
      const limited = expected.seen.maxTokens !== undefined;
      const tokens = limited ? SAMPLING.maxTokens : 100;
      expect(reply.text).toBe(mockFillerText(100).slice(0, tokens * 4));
      expect(reply.finish).toBe(limited ? client.finishTerms.length : client.finishTerms.stop);
      expect(request.usage?.output).toBe(tokens);
      expectUsage(reply.usage, client.expectedUsage(request.usage!));
    },
  },
  {
    id: 'tools',
    title: 'tool call and tool result round trip, paired by call id',
    async run(cell) {
      const { connection, client, upstream, stream, tag, harness, note } = cell;
      const options: TurnOptions = { model: upstream.alias, stream, tools: [CONFORMANCE_TOOL] };
      const conversation = connection.conversation();
      conversation.user(`weather please [[mock:tool name=get_weather city=Paris]] ${tag}`);
      const first = await conversation.send(options);
      expect(first.finish).toBe(client.finishTerms.toolCalls);
      expect(first.toolCalls).toHaveLength(1);
      const call = first.toolCalls[0]!;
      expect(call).toMatchObject({ name: 'get_weather', args: { city: 'Paris' } });
      const issued = upstream.issuedCallIds(singleUpstreamRequest(cell, tag).answer ?? '');
      // Ids are kept end to end; an upstream without ids (Gemini) gets synthetic ones for id-based clients.
      // Gemini's call id is optional: a Gemini client may get none, and its result is then paired by name.
      const idless = client.dialect === 'gemini' && call.id === undefined;
      if (idless && issued.length > 0) note('gemini client: no call id given; the upstream’s id is replaced by a synthetic one, paired by name');
      if (!idless && issued.length > 0) expect(call.id).toBe(issued[0]);
      else if (!idless) expect(call.id).toEqual(expect.stringMatching(/\S/));

      const output = `sunny 21C ${tag}`;
      conversation.toolResults([{ call, output }]);
      const second = await conversation.send(options);
      const requests = harness.upstreamRequests(tag);
      expect(requests).toHaveLength(2);
      const exchange = upstream.toolExchange(bodyOf(requests[1]!));
      expect(exchange, 'the second upstream request ends with the tool result').toBeDefined();
      expect(exchange!.call).toMatchObject({ name: 'get_weather', args: { city: 'Paris' } });
      if (issued.length > 0 && !idless) {
        expect(exchange!.call.id).toBe(issued[0]);
        expect(exchange!.result.callId).toBe(issued[0]);
      } else if (issued.length > 0) {
        expect(exchange!.call.id).toEqual(expect.stringMatching(/\S/));
        expect(exchange!.result.callId).toBe(exchange!.call.id);
      } else {
        expect(exchange!.result.name).toBe('get_weather');
        expect(exchange!.result.callId).toBe(exchange!.call.id);
      }
      const payload = upstream.toolResultPayload(output);
      expect(exchange!.result.output).toEqual(payload);
      expect(second.text).toBe(`tool result: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}`);
      expect(second.finish).toBe(client.finishTerms.stop);
    },
  },
  {
    id: 'reasoning',
    title: 'reasoning asked in client terms arrives in upstream terms; text and signature come back; signed follow-up accepted',
    async run(cell) {
      const { connection, client, upstream, stream, tag, harness, note, check } = cell;
      const conversation = connection.conversation();
      conversation.user(`[[mock:think ${THOUGHT_TOKENS}]] ponder ${tag}`);
      const first = await conversation.send({ model: upstream.alias, stream, reasoning: true });
      const request = singleUpstreamRequest(cell, tag);
      expect(upstream.reasoning(bodyOf(request))).toEqual(upstream.expectedReasoning(client.reasoningRequest, client.maxTokens));
      expect(first.text).toBe(`echo: ponder ${tag}`);
      expect(first.reasoningText).toBe(mockFillerText(THOUGHT_TOKENS));
      expect(request.usage?.reasoning).toBe(THOUGHT_TOKENS);
      expectUsage(first.usage, client.expectedUsage(request.usage!));

      const issued = upstream.issuedSignature(request.answer ?? '');
      if (upstream.signsReasoning) expect(issued, 'the upstream was asked for a signed reasoning').toBeDefined();
      else note(`${upstream.id}: the upstream signs no reasoning (follow-up still checked)`);
      const carried = issued !== undefined && client.limits.reasoningSignature === undefined;
      if (issued !== undefined && !carried) note(`signature n/a: ${client.limits.reasoningSignature}`);
      if (carried) {
        check('signature-returned', () => expect(first.reasoningSignature, 'the client received the signature').toEqual(expect.stringMatching(/\S/)));
      }

      conversation.user(`again ${tag}`);
      const second = await conversation.send({ model: upstream.alias, stream, reasoning: true });
      expect(second.text).toBe(`echo: again ${tag}`);
      const followUp = harness.upstreamRequests(tag)[1]!;
      if (carried) {
        check('signature-replayed', () => expect(upstream.replayedSignatures(bodyOf(followUp)), 'the follow-up carries the signature back').toContain(issued));
      }
    },
  },
  {
    id: 'image',
    title: 'base64 and URL images reach the upstream in its image form',
    async run(cell) {
      const { connection, upstream, stream, tag } = cell;
      const conversation = connection.conversation();
      conversation.user([
        { type: 'text', text: `look ${tag}` },
        { type: 'image', mediaType: 'image/png', data: PNG_BASE64 },
        { type: 'image-url', url: IMAGE_URL },
      ]);
      const reply = await conversation.send({ model: upstream.alias, stream });
      expect(reply.text).toBe(`echo: look ${tag}`);
      const request = singleUpstreamRequest(cell, tag);
      expect(upstream.images(bodyOf(request))).toEqual([
        { kind: 'base64', mediaType: 'image/png', data: PNG_BASE64 },
        { kind: 'url', url: IMAGE_URL },
      ]);
    },
  },
  {
    id: 'errors',
    title: 'upstream 429 and 500 become the dialect’s rate-limit and server errors',
    async run(cell) {
      const { client, tag, harness } = cell;
      const limited = await sendExpectingError(cell, `[[mock:error 429 retry-after=${RETRY_AFTER_SECONDS}]] ${tag}r`);
      expect((limited.error as { status?: number }).status).toBe(429);
      client.assertRateLimited(cell.connection.lastHttp(), limited.body, RETRY_AFTER_SECONDS);
      // One credential: tried once, not retried.
      expect(harness.upstreamRequests(`${tag}r`)).toHaveLength(1);

      const failed = await sendExpectingError(cell, `[[mock:error 500]] ${tag}s`);
      expect((failed.error as { status?: number }).status).toBe(500);
      client.assertServerError(cell.connection.lastHttp(), failed.body);
      expect(harness.upstreamRequests(`${tag}s`)).toHaveLength(1);
    },
  },
  {
    id: 'abort',
    title: 'a client abort closes the upstream request within 100 ms',
    async run(cell) {
      const { connection, upstream, stream, tag, harness } = cell;
      const conversation = connection.conversation();
      // A stream long and slow enough to be cut in its middle; a plain request the upstream is still thinking about.
      conversation.user(stream ? `[[mock:slow 25]] [[mock:long 400]] ${tag}` : `[[mock:delay 5000]] ${tag}`);
      const abortedAt = await conversation.abort({ model: upstream.alias, stream }, async () => {
        await harness.waitForUpstream(tag);
      });
      const [request] = await harness.waitForUpstream(tag);
      await vi.waitFor(() => expect(request!.closedAt, 'the upstream request is closed').toBeDefined(), { timeout: 2000, interval: 5 });
      expect(request!.completed, 'the upstream answer was cut, not finished').toBe(false);
      expect(request!.closedAt!).toBeGreaterThan(abortedAt);
      expect(request!.closedAt! - abortedAt).toBeLessThan(ABORT_BUDGET_MS);
    },
  },
  {
    id: 'alias',
    title: 'a model alias with a (high) thinking suffix routes and applies reasoning',
    async run(cell) {
      const { connection, client, upstream, stream, tag } = cell;
      const conversation = connection.conversation();
      conversation.user(`hello ${tag}`);
      const reply = await conversation.send({ model: `${upstream.alias}(high)`, stream });
      expect(reply.text).toBe(`echo: hello ${tag}`);
      const request = singleUpstreamRequest(cell, tag);
      expect(upstream.reasoning(bodyOf(request))).toEqual(upstream.expectedReasoning({ effort: 'high' }, client.maxTokens));
      expectRoutingHeaders(cell);
    },
  },
];
