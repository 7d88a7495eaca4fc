import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { GatewayConfig } from '../../config/types.ts';
import { sendJson, type HttpContext } from '../http-context.ts';
import { ManagementError, managementRoute, readManagementBody } from './management-route.ts';

const TARGET_TIMEOUT_MS = 20_000;
const PROBE_PROMPT = 'Reply with one short word.';

const testBody = z.strictObject({ comboName: z.string().trim().min(1, 'must not be empty') });

interface TargetResult {
  model: string;
  provider: string | null;
  status: 'ok' | 'error';
  statusCode?: number;
  latencyMs: number;
  responseText?: string;
  error?: string;
}

/**
 * Where the gateway can reach itself: the port this request came in on, on loopback when the
 * server listens on every interface (so no api-key is needed when none is configured).
 */
function selfUrl(context: HttpContext, config: GatewayConfig): string {
  const host = !config.host || config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${context.req.socket.localPort}`;
}

function errorMessageOf(body: unknown, fallback: string): string {
  const error = (body as { error?: unknown } | null)?.error;
  if (typeof error === 'string') return error;
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : fallback;
}

/** Sends one tiny Chat Completions request for `model` through the gateway's own front door. */
async function probeTarget(baseUrl: string, apiKey: string | undefined, model: string): Promise<TargetResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: PROBE_PROMPT }], max_tokens: 16, stream: false }),
      signal: AbortSignal.timeout(TARGET_TIMEOUT_MS),
    });
    const text = await response.text();
    const latencyMs = elapsed();
    const provider = response.headers.get('x-switchyard-provider');
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      // A non-JSON answer is reported through its status below.
    }
    if (!response.ok) return { model, provider, status: 'error', statusCode: response.status, latencyMs, error: errorMessageOf(body, response.statusText) };
    const content = (body as { choices?: Array<{ message?: { content?: unknown } }> } | null)?.choices?.[0]?.message?.content;
    if (typeof content !== 'string' || content === '') {
      return { model, provider, status: 'error', statusCode: response.status, latencyMs, error: 'the provider answered 200 without any text' };
    }
    return { model, provider, status: 'ok', statusCode: response.status, latencyMs, responseText: content };
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    return { model, provider: null, status: 'error', latencyMs: elapsed(), error: timedOut ? `timeout (${TARGET_TIMEOUT_MS / 1000}s)` : (error as Error).message };
  }
}

/**
 * `POST /api/combos/test {"comboName"}` (OmniRoute's shape): probes every target of the combo in
 * parallel through the gateway itself, so the answer covers routing, credentials and translation.
 */
export const comboTestRoute = managementRoute(async (context: HttpContext) => {
  const { comboName } = await readManagementBody(context, testBody);
  const config = context.runtime.snapshot.config;
  const combo = config.combos.find((candidate) => candidate.name === comboName);
  if (!combo) throw new ManagementError(404, `combo "${comboName}" not found`);
  const baseUrl = selfUrl(context, config);
  const results = await Promise.all(combo.targets.map((comboTarget) => probeTarget(baseUrl, config.apiKeys[0], comboTarget.model)));
  const resolved = results.find((result) => result.status === 'ok');
  sendJson(context, 200, {
    comboName,
    strategy: combo.strategy,
    resolvedBy: resolved?.model ?? null,
    results,
    testedAt: new Date().toISOString(),
  });
});
