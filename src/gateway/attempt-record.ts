import { createHash } from 'node:crypto';
import type { GatewayError } from '../ir/gateway-error.ts';
import type { Usage } from '../ir/usage.ts';
import { maskSecret } from '../observability/mask-secret.ts';
import type { RouteTarget } from '../routing/model-registry.ts';
import type { UsageRecord } from '../usage/usage-record.ts';
import type { GenerationContext } from './generation-context.ts';

const clientKeyIds = new Map<string, string>();

/** A stable, non-reversible id for a client key (memoised: the set of keys is small). */
export function clientKeyIdOf(clientKey: string): string {
  if (clientKey === '') return '';
  let id = clientKeyIds.get(clientKey);
  if (id === undefined) {
    id = createHash('sha256').update(clientKey).digest('base64url').slice(0, 16);
    if (clientKeyIds.size > 10_000) clientKeyIds.clear();
    clientKeyIds.set(clientKey, id);
  }
  return id;
}

export interface AttemptFacts {
  attempt: number;
  target: RouteTarget;
  requestedModel: string;
  stream: boolean;
  /** Epoch ms when the attempt started and ended. */
  startedAt: number;
  endedAt: number;
  firstByteMs?: number;
  status: number;
  error?: GatewayError;
  usage?: Usage;
  costUsd: number;
}

/** The accounting record of one attempt. */
export function attemptRecord(context: GenerationContext, facts: AttemptFacts): UsageRecord {
  const { credential, provider } = facts.target;
  const usage = facts.usage;
  return {
    id: `${context.requestId}:${facts.attempt}`,
    requestId: context.requestId,
    attempt: facts.attempt,
    timestamp: facts.startedAt,
    clientKeyId: clientKeyIdOf(context.clientKey),
    clientKeyLabel: context.clientKey ? maskSecret(context.clientKey) : '',
    provider: credential.provider,
    credentialId: credential.id,
    authIndex: credential.authIndex,
    authType: 'api-key',
    modelRequested: facts.requestedModel,
    modelServed: facts.target.upstreamModel,
    endpoint: context.pathname,
    clientDialect: context.clientCodec.id,
    upstreamDialect: provider.dialect,
    stream: facts.stream,
    status: facts.status,
    failed: facts.error !== undefined,
    ...(facts.error ? { errorCode: facts.error.code } : {}),
    inputTokens: usage?.inputTokens ?? 0,
    outputTokens: usage?.outputTokens ?? 0,
    cachedInputTokens: usage?.cachedInputTokens ?? 0,
    cacheWriteTokens: usage?.cacheWriteTokens ?? 0,
    reasoningTokens: usage?.reasoningTokens ?? 0,
    estimated: usage?.estimated ?? false,
    latencyMs: facts.endedAt - facts.startedAt,
    ...(facts.firstByteMs !== undefined ? { ttftMs: facts.firstByteMs } : {}),
    costUsd: facts.costUsd,
    subscription: false,
  };
}
