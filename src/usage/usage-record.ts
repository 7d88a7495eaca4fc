/**
 * One upstream attempt, as accounting keeps it. Token figures are the upstream's own (never
 * inflated or invented); `estimated` marks a local estimate made only when the upstream reported
 * nothing. Keys never appear: clients by a digest id, credentials by id and auth index.
 */
export interface UsageRecord {
  /** Unique per attempt: `${requestId}:${attempt}`. */
  id: string;
  requestId: string;
  /** 1 for the first credential tried, 2 for the next, ... */
  attempt: number;
  /** Epoch ms when the request arrived. */
  timestamp: number;
  /** Stable, non-reversible id of the client key (`''` when none was needed); see `clientKeyId`. */
  clientKeyId: string;
  /** The client key masked for display (`sk-a…wxyz`). */
  clientKeyLabel: string;
  provider: string;
  credentialId: string;
  /** CLIProxyAPI's auth index of the credential. */
  authIndex: string;
  authType: 'api-key' | 'oauth';
  modelRequested: string;
  modelServed: string;
  /** The route, e.g. `/v1/messages`. */
  endpoint: string;
  clientDialect: string;
  upstreamDialect: string;
  stream: boolean;
  /** HTTP status of the attempt (the upstream's on failure; 200 when served). */
  status: number;
  failed: boolean;
  errorCode?: string;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  estimated: boolean;
  /** Whole attempt, ms. */
  latencyMs: number;
  /** Time to the first byte of the answer, ms. */
  ttftMs?: number;
  costUsd: number;
  /** Subscription (OAuth) accounts: the cost is what the same tokens would cost at API prices. */
  subscription: boolean;
}
