import type { RoutingStateStore } from './state/routing-state-store.ts';

const PREFIX = 'affinity:';

/**
 * Sticky credentials per client session (routing.session-affinity): a conversation keeps hitting
 * the credential that served it, which keeps upstream prompt caches warm. Failover still moves
 * a session when its credential is unavailable, and the new one becomes sticky.
 */
export class SessionAffinity {
  private readonly store: RoutingStateStore;

  constructor(store: RoutingStateStore) {
    this.store = store;
  }

  preferred(session: string, model: string): string | undefined {
    return this.store.get<string>(`${PREFIX}${session}\u0000${model}`);
  }

  remember(session: string, model: string, credentialId: string, ttlMs: number): void {
    this.store.set(`${PREFIX}${session}\u0000${model}`, credentialId, ttlMs);
  }
}

/** `1h`, `30m`, `90s`, `500ms`, or plain seconds; CLIProxyAPI writes Go durations. */
export function parseDurationMs(text: string | undefined, fallbackMs: number): number {
  if (!text) return fallbackMs;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) return fallbackMs;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * unit;
}
