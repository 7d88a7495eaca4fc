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

const GEMINI_TEXT_SIGNATURE =
  'Gemini puts the thoughtSignature of an answer without tool calls on its text part; Anthropic thinking blocks and Responses reasoning items do not carry it, so the follow-up reaches Gemini without it (accepted, as Gemini only requires signatures on function calls)';

export const KNOWN_GAPS: readonly KnownGap[] = [
  {
    clients: ['anthropic-messages'],
    upstreams: ['gemini', 'vertex'],
    scenario: 'reasoning',
    check: 'signature-returned',
    reason: GEMINI_TEXT_SIGNATURE,
  },
  {
    clients: ['anthropic-messages', 'openai-responses'],
    upstreams: ['gemini', 'vertex'],
    scenario: 'reasoning',
    check: 'signature-replayed',
    reason: GEMINI_TEXT_SIGNATURE,
  },
  {
    clients: ['gemini'],
    upstreams: ['claude', 'codex'],
    scenario: 'reasoning',
    check: 'signature-returned',
    reason:
      'Gemini clients get only Gemini’s own thoughtSignatures: a Claude signature or OpenAI encrypted reasoning in thoughtSignature could not be told apart from a Gemini one later, so the follow-up continues without the earlier reasoning',
  },
  {
    clients: ['gemini'],
    upstreams: ['claude', 'codex'],
    scenario: 'reasoning',
    check: 'signature-replayed',
    reason: 'follows from the Gemini client not receiving the foreign signature',
  },
  {
    clients: ['anthropic-messages'],
    upstreams: ['codex'],
    scenario: 'reasoning',
    check: 'signature-replayed',
    reason:
      'OpenAI encrypted reasoning reaches an Anthropic client as redacted_thinking, but coming back it cannot be told apart from Claude’s own redacted thinking, so it is not sent to the Codex upstream',
  },
];

export function findKnownGap(client: ClientDialect, upstream: UpstreamId, scenario: ScenarioId, check: string): KnownGap | undefined {
  return KNOWN_GAPS.find(
    (gap) => gap.scenario === scenario && gap.check === check && gap.clients.includes(client) && gap.upstreams.includes(upstream),
  );
}
