import type { ClientDialect, ScenarioId } from './client.ts';
import type { UpstreamId } from './upstreams.ts';

/**
 * Checks that fail today because of a design limit of the gateway, not a bug a small change fixes.
 * A listed check that fails marks its cell `gap` (and the test skipped, with the reason); a listed
 * check that passes fails the test, so that a fixed gap is removed from this list.
 */
export interface KnownGap {
  clients: readonly ClientDialect[];
  upstreams: readonly UpstreamId[];
  scenario: ScenarioId;
  check: string;
  reason: string;
}

export const KNOWN_GAPS: readonly KnownGap[] = [];

export function findKnownGap(client: ClientDialect, upstream: UpstreamId, scenario: ScenarioId, check: string): KnownGap | undefined {
  return KNOWN_GAPS.find(
    (gap) => gap.scenario === scenario && gap.check === check && gap.clients.includes(client) && gap.upstreams.includes(upstream),
  );
}
