import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate, zstdDecompress } from 'node:zlib';
import { type MockDirectives, parseMockDirectives } from './directives.ts';
import { planMockReply } from './plan-reply.ts';
import type { MockRoute } from './provider.ts';
import { matchMockRoute } from './routes.ts';
import { sendMockHttpAnswer, sendMockStream } from './send-answer.ts';
import type { CannedResponse, MockErrorSpec, MockUpstreamOptions, RecordedRequest, MockStreamFault } from './types.ts';

export interface MockUpstream {
  url: string;
  port: number;
  /** Every request received, oldest first (unless `record: false`). */
  requests: RecordedRequest[];
  /** Replaces the queue of canned behaviours; each matching request consumes one. */
  setNextResponses(responses: CannedResponse[]): void;
  /** Forgets recorded requests, queued behaviours and `times=` counters. */
  reset(): void;
  close(): Promise<void>;
}

const NO_DIRECTIVES: MockDirectives = Object.freeze({ tools: [], inspect: false, json: false, unknown: [] }) as MockDirectives;
const MAX_COUNTERS = 10_000;

export async function startMockUpstream(options: MockUpstreamOptions = {}): Promise<MockUpstream> {
  const requests: RecordedRequest[] = [];
  let queue: CannedResponse[] = [];
  const counters = new Map<string, number>();
  const accepts = keyCheck(options.apiKeys);
  const record = options.record !== false;
  const tokensPerChunk = options.tokensPerChunk ?? 1;
  const random = options.random ?? Math.random;
  /** The error-rate and 429-rate faults, drawn once per generation request. */
  const injectedFault = (): MockErrorSpec | undefined => {
    if (!options.errorRate && !options.rateLimitRate) return undefined;
    const roll = random();
    if (roll < (options.rateLimitRate ?? 0)) return { status: 429, message: 'Rate limit reached (mock rate-limit-rate).', retryAfter: 1 };
    if (roll < (options.rateLimitRate ?? 0) + (options.errorRate ?? 0)) return { status: 500, message: 'The server had an error (mock error-rate).' };
    return undefined;
  };

  /** `times=N`: true for the first N requests carrying the same text, then false. */
  const withinTimes = (kind: string, text: string, times: number | undefined): boolean => {
    if (times === undefined) return true;
    const key = `${kind}\u0000${text}`;
    const seen = counters.get(key) ?? 0;
    if (seen >= times) return false;
    if (counters.size >= MAX_COUNTERS) counters.clear();
    counters.set(key, seen + 1);
    return true;
  };

  const takeCanned = (path: string, route: MockRoute | undefined): CannedResponse | undefined => {
    const index = queue.findIndex((c) => (c.path === undefined ? route?.action === 'generate' : path.includes(c.path)));
    return index === -1 ? undefined : queue.splice(index, 1)[0];
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = performance.now();
    const url = new URL(req.url ?? '/', 'http://mock');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const raw = await readBody(req);
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const route = matchMockRoute(method, path, url.searchParams, req.headers);
    const seen: RecordedRequest = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      provider: route?.provider.name,
      receivedAt,
    };
    if (record) {
      requests.push(seen);
      // Tests measure how fast the gateway lets go of an upstream request its client abandoned.
      res.once('close', () => {
        seen.closedAt = performance.now();
        seen.completed = res.writableFinished;
      });
    }

    const canned = takeCanned(path, route);
    if (canned?.delayMs) await sleep(canned.delayMs);
    const latencyMs = (options.latencyMs ?? 0) + (options.latencyJitterMs ? -Math.log(1 - random()) * options.latencyJitterMs : 0);
    if (latencyMs > 0) await sleep(latencyMs);
    if (canned?.drop) {
      req.socket.destroy();
      return;
    }
    if (canned?.status !== undefined) {
      const text = typeof canned.body === 'string' ? canned.body : canned.body === undefined ? '' : JSON.stringify(canned.body);
      const headers: Record<string, string> = typeof canned.body === 'string' || canned.body === undefined ? {} : { 'content-type': 'application/json' };
      sendMockHttpAnswer(res, { status: canned.status, headers: { ...headers, ...canned.headers }, body: text });
      return;
    }
    if (!route) {
      const message = `Invalid URL (${method} ${path})`;
      const error = { message, type: 'invalid_request_error', param: null, code: null };
      sendMockHttpAnswer(res, { status: 404, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error }) });
      return;
    }
    const provider = route.provider;
    const credential = provider.credential(req.headers, url.searchParams, route);
    if (credential === undefined || !accepts(credential)) {
      sendMockHttpAnswer(res, provider.authError(credential, route, req.headers));
      return;
    }
    if (canned?.error) {
      sendMockHttpAnswer(res, provider.renderError(canned.error, route));
      return;
    }
    if (method !== 'POST') {
      sendMockHttpAnswer(res, provider.answerOther(route, {}, 0));
      return;
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      sendMockHttpAnswer(res, provider.renderError({ status: 400, message: 'The request body is not a valid JSON object.' }, route));
      return;
    }
    const json = body as Record<string, unknown>;
    if (route.model === undefined && typeof json.model === 'string') route.model = json.model;
    const rejection = provider.validate(json, req.headers, route);
    if (rejection) {
      sendMockHttpAnswer(res, rejection);
      return;
    }
    if (route.action !== 'generate') {
      sendMockHttpAnswer(res, provider.answerOther(route, json, raw.length));
      return;
    }

    const injected = injectedFault();
    if (injected) {
      sendMockHttpAnswer(res, provider.renderError(injected, route));
      return;
    }
    const facts = provider.readRequest(json, route, raw.length);
    if (record) seen.summarize = facts.summarize;
    if (canned?.prompt !== undefined) {
      facts.directiveText = canned.prompt;
      facts.echoText = canned.prompt;
      facts.toolResults = undefined;
    }
    const text = facts.directiveText;
    const directives = text.includes('[[mock:') ? parseMockDirectives(text) : NO_DIRECTIVES;
    const fault: MockStreamFault = {};
    const error = directives.error;
    if (error && (error.key === undefined || error.key === credential) && withinTimes('error', text, error.times)) {
      const spec = { status: error.status, message: error.message, retryAfter: error.retryAfter };
      if (error.after === undefined || !facts.stream) {
        sendMockHttpAnswer(res, provider.renderError(spec, route));
        return;
      }
      fault.error = spec;
      fault.errorAfter = error.after;
    }
    const cut = directives.cut !== undefined && withinTimes('cut', text, directives.cut.times);
    if (directives.delayMs) await sleep(directives.delayMs);

    const reply = planMockReply(facts, directives, {
      signatureOrigin: provider.name,
      inspect: () => JSON.stringify({ method, path, query: seen.query, headers: req.headers, body }),
    });
    seen.usage = reply.usage;
    if (!facts.stream) {
      const answer = provider.renderJson(reply, facts, route);
      if (record) seen.answer = answer.body;
      sendMockHttpAnswer(res, answer, cut);
      return;
    }
    const stream = provider.renderStream(reply, facts, route, tokensPerChunk);
    if (record) seen.answer = stream.frames.join('');
    if (cut) fault.cutAfter = directives.cut?.after ?? Math.max(1, Math.floor(stream.frames.length / 2));
    sendMockStream(res, stream, directives.slowMs ?? options.chunkDelayMs ?? 0, fault);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      sendMockHttpAnswer(res, { status: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { message } }) });
    });
  });
  // Load tests reuse connections; Node's 5 s default would close them under the client.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 0;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  return {
    url: `http://${host}:${port}`,
    port,
    requests,
    setNextResponses(responses) {
      queue = [...responses];
    },
    reset() {
      requests.length = 0;
      queue = [];
      counters.clear();
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function keyCheck(keys: MockUpstreamOptions['apiKeys']): (key: string) => boolean {
  if (typeof keys === 'function') return keys;
  if (Array.isArray(keys)) {
    const set = new Set(keys);
    return (key) => set.has(key);
  }
  return (key) => key.startsWith('test-');
}

const DECODERS: Record<string, (input: Buffer) => Promise<Buffer>> = {
  gzip: promisify(gunzip),
  deflate: promisify(inflate),
  br: promisify(brotliDecompress),
  zstd: promisify(zstdDecompress),
};

/** The body as text; compressed bodies (Codex sends zstd) are decoded like the real APIs do. */
async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return '';
  let data = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
  const encoding = req.headers['content-encoding']?.toLowerCase();
  const decode = encoding ? DECODERS[encoding] : undefined;
  if (decode) data = await decode(data);
  return data.toString('utf8');
}
