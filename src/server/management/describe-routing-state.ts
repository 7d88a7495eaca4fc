import type { BreakerSnapshot } from '../../routing/circuit-breaker.ts';
import type { CooldownEntry } from '../../routing/cooldowns.ts';
import { formatGoDuration } from './format-go-duration.ts';

/** Reset times three ways: ISO for people, seconds for programs, Go's format as CLIProxyAPI prints it. */
function resetFields(until: number, now: number): { resetAt: string; resetSeconds: number; resetTime: string } {
  const remaining = Math.max(0, until - now);
  return { resetAt: new Date(until).toISOString(), resetSeconds: Math.ceil(remaining / 1000), resetTime: formatGoDuration(remaining) };
}

/** A cooldown as the management API shows it: which credential (by id, never its key), why, and until when. */
export function describeCooldown(entry: CooldownEntry, now: number) {
  return {
    credentialId: entry.credentialId,
    provider: entry.provider,
    model: entry.model,
    status: entry.status,
    reason: entry.reason,
    reportedByUpstream: entry.reportedByUpstream,
    ...resetFields(entry.until, now),
  };
}

export function describeBreaker(breaker: BreakerSnapshot, now: number) {
  return {
    provider: breaker.provider,
    state: breaker.state,
    consecutiveFailures: breaker.consecutiveFailures,
    openSeconds: breaker.openMs / 1000,
    ...(breaker.openUntil !== undefined ? resetFields(breaker.openUntil, now) : {}),
  };
}
