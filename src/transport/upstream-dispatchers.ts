import { createRequire } from 'node:module';
import type { Dispatcher } from 'undici';

// The three dispatchers come from undici's own files, not from its index, which also loads its
// fetch, WebSocket, cache and mock modules that the gateway never uses: 2.4 MB of heap and 10 MB
// of RSS in a bare process. undici declares no subpath exports, so the tests check that these
// are the very classes its index exports (upstream-dispatchers.test.ts) and that a gateway that
// served requests never loaded the index (test/gateway/cli.test.ts).
const requireUndici = createRequire(import.meta.url);
const Pool = requireUndici('undici/lib/dispatcher/pool.js') as typeof import('undici').Pool;
const ProxyAgent = requireUndici('undici/lib/dispatcher/proxy-agent.js') as typeof import('undici').ProxyAgent;
const Socks5ProxyAgent = requireUndici('undici/lib/dispatcher/socks5-proxy-agent.js') as typeof import('undici').Socks5ProxyAgent;

/**
 * What the gateway may call on a dispatcher. `request()`, `stream()` and the rest are added to
 * every dispatcher by undici's index, which the gateway does not load: they would be missing in
 * the CLI's process (though present in tests that import undici themselves), so they are left
 * out of the type too.
 */
export type UpstreamDispatcher = Pick<Dispatcher, 'dispatch' | 'close'>;

/** Connect, first-byte and idle limits for upstream calls. Reasoning models can think for minutes before the first byte. */
const CONNECT_TIMEOUT_MS = 10_000;
const HEADERS_TIMEOUT_MS = 600_000;
const BODY_IDLE_TIMEOUT_MS = 300_000;
const KEEP_ALIVE_TIMEOUT_MS = 30_000;

/**
 * Keep-alive connection pools, one per upstream origin and proxy. Pools live across config
 * reloads so a reload does not drop warm connections.
 */
export class UpstreamDispatchers {
  private readonly dispatchers = new Map<string, UpstreamDispatcher>();

  get(origin: string, proxyUrl: string | undefined): UpstreamDispatcher {
    const key = proxyUrl ? `${origin} via ${proxyUrl}` : origin;
    let dispatcher = this.dispatchers.get(key);
    if (!dispatcher) {
      dispatcher = createDispatcher(origin, proxyUrl);
      this.dispatchers.set(key, dispatcher);
    }
    return dispatcher;
  }

  async close(): Promise<void> {
    const all = [...this.dispatchers.values()];
    this.dispatchers.clear();
    await Promise.allSettled(all.map((dispatcher) => dispatcher.close()));
  }
}

function createDispatcher(origin: string, proxyUrl: string | undefined): UpstreamDispatcher {
  const timeouts = {
    headersTimeout: HEADERS_TIMEOUT_MS,
    bodyTimeout: BODY_IDLE_TIMEOUT_MS,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
  };
  if (!proxyUrl) {
    // No connection limit: a streamed answer holds its connection for minutes, so a cap would make
    // the streams beyond it wait for whole answers to end. Clients bound the concurrency.
    return new Pool(origin, { ...timeouts, connect: { timeout: CONNECT_TIMEOUT_MS }, connections: null, pipelining: 1 });
  }
  if (proxyUrl.startsWith('socks5://') || proxyUrl.startsWith('socks://')) {
    return new Socks5ProxyAgent(proxyUrl.replace(/^socks:/, 'socks5:'), { ...timeouts, connectTimeout: CONNECT_TIMEOUT_MS });
  }
  return new ProxyAgent({ uri: proxyUrl, ...timeouts, connect: { timeout: CONNECT_TIMEOUT_MS } });
}

/** `proxy-url` semantics: an entry's `direct`/`none` disables the global proxy. */
export function effectiveProxyUrl(entryProxy: string | undefined, globalProxy: string | undefined): string | undefined {
  if (entryProxy === 'direct' || entryProxy === 'none') return undefined;
  return entryProxy || globalProxy || undefined;
}
