import { mockFillerText } from '../test/mock-upstream/tokens.ts';
import { BENCH_MODELS, GATEWAY_CLIENT_KEY } from './start-gateway.ts';
import { MOCK_FAILING_KEY, MOCK_UPSTREAM_KEY } from './start-mock.ts';

/** One HTTP request as the load generator sends it, over and over. */
export interface RequestSpec {
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** The status a correct answer has (default 200): the direct call to the failing primary expects 500. */
  expectStatus?: number;
}

export type TargetKind = 'direct' | 'nginx' | 'ceiling' | 'switchyard' | 'peer';

export interface BenchTarget {
  id: string;
  label: string;
  kind: TargetKind;
  /** The direct target with the same upstream route: "added" figures subtract its figures. */
  baseline: string;
  /** Switchyard decodes and re-encodes (client dialect differs from the upstream's). */
  translates: boolean;
  /** Only measured to be subtracted from others, not a row of its own in the summary. */
  baselineOnly?: boolean;
  /**
   * The Switchyard that serves it when not the main one: the failover gateway (cooldowns off),
   * the accounting gateway (usage recording on) or its twin (recording off).
   */
  otherGateway?: 'failover' | 'accounting' | 'twin';
  /** Measured in the serial phase only (no closed loop, no streams). */
  serialOnly?: boolean;
  /** Measured in the serial phase and the closed loop, not streamed. */
  unstreamed?: boolean;
  request: RequestSpec;
  streamRequest: RequestSpec;
  /**
   * The same stream paced 1 ms apart, to warm the streaming code paths quickly: each chunk still
   * comes in a read of its own, as in the measured streams (see WARM_STREAM_DELAY_MS).
   */
  warmStreamRequest: RequestSpec;
  /** The same stream without the mock's pacing: it comes in a few large reads. */
  unpacedStreamRequest: RequestSpec;
}

const SYSTEM = 'You are a concise assistant for a platform team. Answer in plain prose.';
const QUESTION = 'Summarise, in two sentences, why a team would put one local gateway in front of several AI providers.';
const MAX_TOKENS = 256;
/** Makes the mock answer 500 to the primary credential only; the fallback gets the usual answer. */
const FAIL_PRIMARY = `[[mock:error 500 key=${MOCK_FAILING_KEY}]]`;

export interface StreamShape {
  /** Content chunks per stream (one token each). */
  chunks: number;
  /** Milliseconds the mock waits between chunks. */
  delayMs: number;
}

/**
 * Matches one content chunk in any dialect: with one token per chunk, every chunk of the mock's
 * filler text is a single word, so it shows up as the JSON string `"word "`.
 */
export function streamContentPattern(shape: StreamShape): string {
  const words = new Set(mockFillerText(shape.chunks).trim().split(' '));
  return `"(?:${[...words].join('|')}) "`;
}

/**
 * Pacing of the warm-up streams. Unpaced, a stream reaches the proxy in one or two reads, so the
 * per-read code (socket reads, the HTTP parser's body callbacks, stream writes) stays cold and V8
 * compiles it during the measured streams, on the proxy's one core: 68 compile jobs in 40 rounds
 * of a passthrough stream, against 19 after warm-up streams paced 1 ms apart.
 */
const WARM_STREAM_DELAY_MS = 1;

function streamPrompt(shape: StreamShape, delayMs: number | undefined, prefix = ''): string {
  return `${prefix}${delayMs === undefined ? '' : `[[mock:slow ${delayMs}]] `}[[mock:long ${shape.chunks}]] ${QUESTION}`;
}

function openaiChat(origin: string, key: string, model: string, text: string, stream: boolean, system = SYSTEM): RequestSpec {
  const body = {
    model,
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: text },
    ],
    max_tokens: MAX_TOKENS,
    temperature: 0.2,
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  };
  return { origin, path: '/v1/chat/completions', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) };
}

function anthropicMessages(origin: string, key: string, model: string, text: string, stream: boolean, system = SYSTEM): RequestSpec {
  const body = { model, max_tokens: MAX_TOKENS, system, messages: [{ role: 'user', content: text }], temperature: 0.2, ...(stream ? { stream: true } : {}) };
  return {
    origin,
    path: '/v1/messages',
    headers: { 'content-type': 'application/json', 'x-api-key': key, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(body),
  };
}

function openaiResponses(origin: string, key: string, model: string, text: string, stream: boolean, system = SYSTEM): RequestSpec {
  const body = { model, instructions: system, input: text, max_output_tokens: MAX_TOKENS, temperature: 0.2, ...(stream ? { stream: true } : {}) };
  return { origin, path: '/v1/responses', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) };
}

function gemini(origin: string, key: string, model: string, text: string, stream: boolean, system = SYSTEM): RequestSpec {
  const body = {
    systemInstruction: { parts: [{ text: system }] },
    contents: [{ role: 'user', parts: [{ text }] }],
    generationConfig: { maxOutputTokens: MAX_TOKENS, temperature: 0.2 },
  };
  const path = stream ? `/v1beta/models/${model}:streamGenerateContent?alt=sse` : `/v1beta/models/${model}:generateContent`;
  return { origin, path, headers: { 'content-type': 'application/json', 'x-goog-api-key': key }, body: JSON.stringify(body) };
}

type Encoder = (origin: string, key: string, model: string, text: string, stream: boolean, system?: string) => RequestSpec;

function both(
  encode: Encoder,
  origin: string,
  key: string,
  model: string,
  shape: StreamShape,
  streamOrigin = origin,
  prefix = '',
): Pick<BenchTarget, 'request' | 'streamRequest' | 'warmStreamRequest' | 'unpacedStreamRequest'> {
  return {
    request: encode(origin, key, model, `${prefix}${QUESTION}`, false),
    streamRequest: encode(streamOrigin, key, model, streamPrompt(shape, shape.delayMs, prefix), true),
    warmStreamRequest: encode(streamOrigin, key, model, streamPrompt(shape, WARM_STREAM_DELAY_MS, prefix), true),
    unpacedStreamRequest: encode(streamOrigin, key, model, streamPrompt(shape, undefined, prefix), true),
  };
}

/** The failing primary's answer, called directly: the cost of the extra upstream call a failover makes. */
function failingCall(origin: string, shape: StreamShape): Pick<BenchTarget, 'request' | 'streamRequest' | 'warmStreamRequest' | 'unpacedStreamRequest'> {
  const requests = both(openaiChat, origin, MOCK_FAILING_KEY, 'gpt-4o-mini', shape, origin, `${FAIL_PRIMARY} `);
  return {
    request: { ...requests.request, expectStatus: 500 },
    streamRequest: { ...requests.streamRequest, expectStatus: 500 },
    warmStreamRequest: { ...requests.warmStreamRequest, expectStatus: 500 },
    unpacedStreamRequest: { ...requests.unpacedStreamRequest, expectStatus: 500 },
  };
}

/** Prompt sizes of the large-prompt targets, in KB (the whole request is a little larger). */
export const LARGE_PROMPT_KB = [10, 50] as const;

/**
 * A system prompt of `kb` KB: the instructions plus a code-review document, as coding agents send
 * (varied lines, quotes, backslashes and non-ASCII to escape, so JSON handling is really exercised).
 * The question stays short, so the mock's echo, and the answer, stay small.
 */
export function largeSystemPrompt(kb: number): string {
  const lines = [SYSTEM, 'Review the following module and list its defects.', '```ts'];
  for (let index = 0; lines.join('\n').length < kb * 1024; index++) {
    lines.push(
      `export function step${index}(input: string, limit = ${index * 7 + 3}): string {`,
      `  // Normalises "${index}" — caf\u00e9 → café, tabs\tand back\\slashes stay as they are.`,
      `  return input.length > limit ? input.slice(0, limit) + '…' : input.padEnd(limit, '·');`,
      '}',
    );
  }
  lines.push('```');
  return lines.join('\n').slice(0, kb * 1024);
}

/** Plain requests with a large prompt: direct (the baseline), passthrough and one translation. */
function largePromptTargets(urls: TargetUrls): BenchTarget[] {
  const targets: BenchTarget[] = [];
  for (const kb of LARGE_PROMPT_KB) {
    const system = largeSystemPrompt(kb);
    const plain = (encode: Encoder, origin: string, key: string, model: string): Pick<BenchTarget, 'request' | 'streamRequest' | 'warmStreamRequest' | 'unpacedStreamRequest'> => {
      const request = encode(origin, key, model, QUESTION, false, system);
      return { request, streamRequest: request, warmStreamRequest: request, unpacedStreamRequest: request };
    };
    const baseline = `direct-${kb}k`;
    targets.push({
      id: baseline,
      label: `direct → mock (OpenAI chat), ${kb} KB prompt`,
      kind: 'direct',
      baseline,
      translates: false,
      baselineOnly: true,
      serialOnly: true,
      ...plain(openaiChat, urls.mock, MOCK_UPSTREAM_KEY, 'gpt-4o-mini'),
    });
    if (!urls.gateway) continue;
    targets.push(
      {
        id: `passthrough-${kb}k`,
        label: `Switchyard OpenAI → OpenAI (passthrough), ${kb} KB prompt`,
        kind: 'switchyard',
        baseline,
        translates: false,
        serialOnly: true,
        ...plain(openaiChat, urls.gateway, GATEWAY_CLIENT_KEY, BENCH_MODELS.openai),
      },
      {
        id: `anthropic-to-openai-${kb}k`,
        label: `Switchyard Anthropic → OpenAI, ${kb} KB prompt`,
        kind: 'switchyard',
        baseline,
        translates: true,
        serialOnly: true,
        ...plain(anthropicMessages, urls.gateway, GATEWAY_CLIENT_KEY, BENCH_MODELS.openai),
      },
    );
  }
  return targets;
}

export interface TargetUrls {
  mock: string;
  nginx?: { url: string; streamUrl: string };
  gateway?: string;
  /** The gateway with cooldowns off, serving only the failover model. */
  failoverGateway?: string;
  /** The gateway with usage recording on, otherwise the main one's twin. */
  accountingGateway?: string;
  /** The accounting gateway's twin with recording and main.log off: its baseline, as rarely used as it. */
  twinGateway?: string;
  /** The bare node:http + undici proxy (bench/ceiling/node-proxy.js). */
  nodeCeiling?: string;
  /** Other gateways on the same mock (bench/peers), each with the request it is sent. */
  peers?: readonly PeerTargetSource[];
}

export interface PeerTargetSource {
  id: string;
  label: string;
  /** The peer translates between dialects (the client's is not the mock route's). */
  translates: boolean;
  /** The bench's chat request in the peer's client dialect, with `text` as the user turn. */
  request: (stream: boolean, text: string) => RequestSpec;
}

/**
 * Every target of one run. The upstream model names are the mock's; Switchyard is asked for its
 * aliases. `only` keeps a subset (the CI guard needs direct, nginx and passthrough).
 */
export function benchTargets(urls: TargetUrls, shape: StreamShape, only?: readonly string[]): BenchTarget[] {
  const targets: BenchTarget[] = [
    { id: 'direct', label: 'direct → mock (OpenAI chat)', kind: 'direct', baseline: 'direct', translates: false, ...both(openaiChat, urls.mock, MOCK_UPSTREAM_KEY, 'gpt-4o-mini', shape) },
    {
      id: 'direct-anthropic',
      label: 'direct → mock (Anthropic messages)',
      kind: 'direct',
      baseline: 'direct-anthropic',
      translates: false,
      baselineOnly: true,
      ...both(anthropicMessages, urls.mock, MOCK_UPSTREAM_KEY, 'claude-sonnet-4-5', shape),
    },
  ];
  if (urls.nginx) {
    targets.push({
      id: 'nginx',
      label: 'nginx proxy_pass (keepalive)',
      kind: 'nginx',
      baseline: 'direct',
      translates: false,
      ...both(openaiChat, urls.nginx.url, MOCK_UPSTREAM_KEY, 'gpt-4o-mini', shape, urls.nginx.streamUrl),
    });
  }
  targets.push(...largePromptTargets(urls));
  if (urls.nodeCeiling) {
    targets.push({
      id: 'node-ceiling',
      label: 'bare node:http + undici proxy (the Node ceiling)',
      kind: 'ceiling',
      baseline: 'direct',
      translates: false,
      ...both(openaiChat, urls.nodeCeiling, MOCK_UPSTREAM_KEY, 'gpt-4o-mini', shape),
    });
  }
  if (urls.gateway) {
    const g = urls.gateway;
    const key = GATEWAY_CLIENT_KEY;
    targets.push(
      { id: 'passthrough', label: 'Switchyard OpenAI → OpenAI (passthrough)', kind: 'switchyard', baseline: 'direct', translates: false, ...both(openaiChat, g, key, BENCH_MODELS.openai, shape) },
      { id: 'anthropic-to-openai', label: 'Switchyard Anthropic → OpenAI', kind: 'switchyard', baseline: 'direct', translates: true, ...both(anthropicMessages, g, key, BENCH_MODELS.openai, shape) },
      {
        id: 'openai-to-anthropic',
        label: 'Switchyard OpenAI → Anthropic',
        kind: 'switchyard',
        baseline: 'direct-anthropic',
        translates: true,
        ...both(openaiChat, g, key, BENCH_MODELS.anthropic, shape),
      },
      { id: 'responses-to-chat', label: 'Switchyard Responses → OpenAI chat', kind: 'switchyard', baseline: 'direct', translates: true, ...both(openaiResponses, g, key, BENCH_MODELS.openai, shape) },
      { id: 'gemini-to-openai', label: 'Switchyard Gemini → OpenAI', kind: 'switchyard', baseline: 'direct', translates: true, ...both(gemini, g, key, BENCH_MODELS.openai, shape) },
      {
        id: 'failover-cooling',
        label: 'Switchyard failover, cooldown on (primary skipped while cooling)',
        kind: 'switchyard',
        baseline: 'direct',
        translates: false,
        serialOnly: true,
        ...both(openaiChat, g, key, BENCH_MODELS.failover, shape, g, `${FAIL_PRIMARY} `),
      },
    );
  }
  if (urls.failoverGateway) {
    targets.push(
      { id: 'direct-500', label: 'direct → mock answering 500 (the failing call)', kind: 'direct', baseline: 'direct-500', translates: false, serialOnly: true, ...failingCall(urls.mock, shape) },
      {
        id: 'failover',
        label: 'Switchyard failover: primary 500 → fallback (every request)',
        kind: 'switchyard',
        baseline: 'direct',
        translates: false,
        otherGateway: 'failover',
        ...both(openaiChat, urls.failoverGateway, GATEWAY_CLIENT_KEY, BENCH_MODELS.failover, shape, urls.failoverGateway, `${FAIL_PRIMARY} `),
      },
    );
  }
  if (urls.twinGateway) {
    targets.push({
      id: 'passthrough-twin',
      label: "Switchyard OpenAI → OpenAI (passthrough), the accounting gateway's twin (both off)",
      kind: 'switchyard',
      baseline: 'direct',
      translates: false,
      otherGateway: 'twin',
      unstreamed: true,
      ...both(openaiChat, urls.twinGateway, GATEWAY_CLIENT_KEY, BENCH_MODELS.openai, shape),
    });
  }
  if (urls.accountingGateway) {
    targets.push({
      id: 'passthrough-accounting',
      label: 'Switchyard OpenAI → OpenAI (passthrough), usage recording + main.log on',
      kind: 'switchyard',
      baseline: 'direct',
      translates: false,
      otherGateway: 'accounting',
      unstreamed: true,
      ...both(openaiChat, urls.accountingGateway, GATEWAY_CLIENT_KEY, BENCH_MODELS.openai, shape),
    });
  }
  for (const peer of urls.peers ?? []) {
    targets.push({
      id: peer.id,
      label: peer.label,
      kind: 'peer',
      baseline: 'direct',
      translates: peer.translates,
      request: peer.request(false, QUESTION),
      streamRequest: peer.request(true, streamPrompt(shape, shape.delayMs)),
      warmStreamRequest: peer.request(true, streamPrompt(shape, WARM_STREAM_DELAY_MS)),
      unpacedStreamRequest: peer.request(true, streamPrompt(shape, undefined)),
    });
  }
  return only ? targets.filter((target) => only.includes(target.id)) : targets;
}
