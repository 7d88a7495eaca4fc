import type { DialectId, Extensions } from './dialect-id.ts';
import type { FinishReason } from './finish-reason.ts';
import type { GatewayError } from './gateway-error.ts';
import type { Usage } from './usage.ts';

/**
 * Canonical stream events. Content blocks are strictly sequential: a block's `-end` comes before
 * the next block's `-start`, and `index` counts blocks from 0 within one response. Decoders that
 * receive interleaved upstream blocks must serialise them. Every stream starts with
 * `response-start` and ends with exactly one `finish` or `error`.
 */
export type StreamPart =
  | { type: 'response-start'; id: string; model: string; created: number; extensions?: Extensions }
  | { type: 'text-start'; index: number; extensions?: Extensions }
  | { type: 'text-delta'; index: number; delta: string }
  | { type: 'text-end'; index: number; extensions?: Extensions }
  | { type: 'reasoning-start'; index: number; extensions?: Extensions }
  | { type: 'reasoning-delta'; index: number; delta: string }
  /**
   * The signature that closes a thinking block (Anthropic signature_delta, Gemini thoughtSignature).
   * `origin`: the dialect whose upstream issued this signature; only that dialect's upstream may receive it.
   */
  | { type: 'reasoning-signature'; index: number; signature: string; origin?: DialectId }
  /**
   * Opaque reasoning data (Anthropic redacted_thinking, Responses encrypted_content).
   * `origin`: the dialect whose upstream issued this data; only that dialect's upstream may receive it.
   */
  | { type: 'reasoning-redacted'; index: number; data: string; origin?: DialectId }
  | { type: 'reasoning-end'; index: number; extensions?: Extensions }
  | { type: 'tool-call-start'; index: number; id: string; name: string; extensions?: Extensions }
  | { type: 'tool-call-delta'; index: number; argumentsDelta: string }
  | { type: 'tool-call-end'; index: number; extensions?: Extensions }
  /** Usage as far as known; may come several times, later reports refine earlier ones (see mergeUsage). */
  | { type: 'usage'; usage: Partial<Usage> }
  | { type: 'finish'; finishReason: FinishReason; usage: Usage; extensions?: Extensions }
  | { type: 'error'; error: GatewayError };

export type StreamPartType = StreamPart['type'];
