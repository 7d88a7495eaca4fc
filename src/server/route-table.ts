import { anthropicMessagesCodec } from '../dialects/anthropic-messages/index.ts';
import { geminiCodec } from '../dialects/gemini/index.ts';
import { openaiChatCodec } from '../dialects/openai-chat/index.ts';
import { openaiCompletionsCodec } from '../dialects/openai-chat/completions/index.ts';
import { openaiResponsesCodec } from '../dialects/openai-responses/index.ts';
import type { ClientCodec } from '../ir/codec.ts';
import type { HttpContext, RouteHandler } from './http-context.ts';
import { GatewayError } from '../ir/gateway-error.ts';
import { logRoutes } from './management/log-routes.ts';
import { usageApiRoutes } from '../usage/api/usage-api-routes.ts';
import { usageManagementRoutes } from '../usage/management/usage-management-routes.ts';
import { anthropicCountTokensRoute } from './routes/anthropic-count-tokens-route.ts';
import { geminiActionRoute } from './routes/gemini-action-route.ts';
import { generationRoute } from './routes/generation-route.ts';
import { geminiModelRoute, geminiModelsRoute, openaiModelsRoute } from './routes/models-route.ts';
import { responsesCompactRoute } from './routes/responses-compact-route.ts';
import { healthRoute, serviceInfoRoute } from './routes/service-info-route.ts';
import { comboMetricsRoute } from './management/combo-metrics-route.ts';
import { comboTestRoute } from './management/combo-test-route.ts';
import { createComboRoute, deleteComboRoute, listCombosRoute, updateComboRoute } from './management/combos-route.ts';
import { deleteFallbackChainRoute, listFallbackChainsRoute, saveFallbackChainRoute } from './management/fallback-chains-route.ts';
import { monitoringHealthRoute } from './management/monitoring-health-route.ts';
import { rateLimitsRoute } from './management/rate-limits-route.ts';
import { getResilienceRoute, patchResilienceRoute, resetResilienceRoute } from './management/resilience-route.ts';

export interface Route {
  handler: RouteHandler;
  /** Dialect for errors (auth failures, bad bodies) on this route. */
  codec: ClientCodec;
  /** Public routes need no client key. */
  public?: boolean;
  /** Management routes need the management key instead of a client key (and do not exist without one). */
  management?: boolean;
}

export interface MatchedRoute {
  route: Route;
  params: Record<string, string>;
}

const exact = new Map<string, Route>([
  ['GET /', { handler: serviceInfoRoute, codec: openaiChatCodec, public: true }],
  ['GET /healthz', { handler: healthRoute, codec: openaiChatCodec, public: true }],
  ['HEAD /healthz', { handler: healthRoute, codec: openaiChatCodec, public: true }],
  ['GET /keep-alive', { handler: healthRoute, codec: openaiChatCodec, public: true }],
  ['GET /v1/models', { handler: openaiModelsRoute, codec: openaiChatCodec }],
  ['POST /v1/chat/completions', { handler: generationRoute(openaiChatCodec), codec: openaiChatCodec }],
  ['POST /v1/completions', { handler: generationRoute(openaiCompletionsCodec), codec: openaiCompletionsCodec }],
  ['POST /v1/responses', { handler: generationRoute(openaiResponsesCodec), codec: openaiResponsesCodec }],
  ['POST /v1/responses/compact', { handler: responsesCompactRoute, codec: openaiResponsesCodec }],
  ['POST /backend-api/codex/responses', { handler: generationRoute(openaiResponsesCodec), codec: openaiResponsesCodec }],
  ['POST /backend-api/codex/responses/compact', { handler: responsesCompactRoute, codec: openaiResponsesCodec }],
  ['POST /v1/messages', { handler: generationRoute(anthropicMessagesCodec), codec: anthropicMessagesCodec }],
  ['POST /v1/messages/count_tokens', { handler: anthropicCountTokensRoute, codec: anthropicMessagesCodec }],
  ['GET /v1beta/models', { handler: geminiModelsRoute, codec: geminiCodec }],
  ['GET /api/combos', { handler: listCombosRoute, codec: openaiChatCodec, management: true }],
  ['POST /api/combos', { handler: createComboRoute, codec: openaiChatCodec, management: true }],
  ['GET /api/combos/metrics', { handler: comboMetricsRoute, codec: openaiChatCodec, management: true }],
  ['POST /api/combos/test', { handler: comboTestRoute, codec: openaiChatCodec, management: true }],
  ['GET /api/fallback/chains', { handler: listFallbackChainsRoute, codec: openaiChatCodec, management: true }],
  ['POST /api/fallback/chains', { handler: saveFallbackChainRoute, codec: openaiChatCodec, management: true }],
  ['DELETE /api/fallback/chains', { handler: deleteFallbackChainRoute, codec: openaiChatCodec, management: true }],
  ['GET /api/resilience', { handler: getResilienceRoute, codec: openaiChatCodec, management: true }],
  ['PATCH /api/resilience', { handler: patchResilienceRoute, codec: openaiChatCodec, management: true }],
  ['POST /api/resilience/reset', { handler: resetResilienceRoute, codec: openaiChatCodec, management: true }],
  ['GET /api/rate-limits', { handler: rateLimitsRoute, codec: openaiChatCodec, management: true }],
  ['GET /metrics', { handler: metricsRoute, codec: openaiChatCodec, public: true }],
  ['GET /api/monitoring/health', { handler: monitoringHealthRoute, codec: openaiChatCodec, management: true }],
]);

/** `GET /metrics` guards itself (public or management, by config); absent until metrics are set up. */
function metricsRoute(context: HttpContext): Promise<void> | void {
  const handler = context.runtime.metricsHandler;
  if (!handler) throw new GatewayError({ status: 404, code: 'not_found', message: `no route for GET ${context.pathname}`, retryable: false });
  return handler(context);
}

/** A route with `:name` segments; each matches exactly one path segment. */
interface PatternRoute {
  method: string;
  segments: string[];
  route: Route;
}

const patterns: PatternRoute[] = [];

/** Registers a route given as `METHOD /path/:param` (exact when it has no parameter). */
export function registerRoute(method: string, path: string, route: Route): void {
  if (!path.includes('/:')) {
    exact.set(`${method} ${path}`, route);
    return;
  }
  patterns.push({ method, segments: path.split('/'), route });
}

/** Management routes contributed by a feature module, all behind management auth. */
export function registerManagementRoutes(routes: ReadonlyArray<{ method: string; path: string; handler: RouteHandler }>): void {
  for (const { method, path, handler } of routes) registerRoute(method, path, { handler, codec: openaiChatCodec, management: true });
}

registerManagementRoutes(logRoutes);
registerManagementRoutes(usageApiRoutes);
registerManagementRoutes(usageManagementRoutes);
registerRoute('PATCH', '/api/combos/:id', { handler: updateComboRoute, codec: openaiChatCodec, management: true });
registerRoute('DELETE', '/api/combos/:id', { handler: deleteComboRoute, codec: openaiChatCodec, management: true });

/** A client-chosen escape that is not valid UTF-8 is a path that matches nothing, not a crash. */
function decodePathSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function matchPattern(method: string, pathname: string): MatchedRoute | undefined {
  const segments = pathname.split('/');
  for (const pattern of patterns) {
    if (pattern.method !== method || pattern.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let matched = true;
    for (let i = 0; i < segments.length && matched; i++) {
      const expected = pattern.segments[i]!;
      if (expected.startsWith(':')) {
        const value = segments[i] ? decodePathSegment(segments[i]!) : undefined;
        if (value === undefined) matched = false;
        else params[expected.slice(1)] = value;
      } else if (expected !== segments[i]) matched = false;
    }
    if (matched) return { route: pattern.route, params };
  }
  return undefined;
}

const geminiAction: Route = { handler: geminiActionRoute, codec: geminiCodec };
const geminiModel: Route = { handler: geminiModelRoute, codec: geminiCodec };

/** `/v1beta/models/{model}:{action}`; model names may contain `/` or `:`, so the action is what follows the last `:`. */
function matchGeminiPath(method: string, pathname: string): MatchedRoute | undefined {
  const prefix = pathname.startsWith('/v1beta/models/') ? 15 : pathname.startsWith('/v1/models/') ? 11 : 0;
  if (prefix === 0) return undefined;
  const rest = decodePathSegment(pathname.slice(prefix));
  if (rest === undefined) return undefined;
  const colon = rest.lastIndexOf(':');
  if (method === 'POST' && colon > 0) {
    return { route: geminiAction, params: { model: rest.slice(0, colon), action: rest.slice(colon + 1) } };
  }
  if (method === 'GET' && colon === -1 && rest) return { route: geminiModel, params: { model: rest } };
  return undefined;
}

export function matchRoute(method: string, pathname: string): MatchedRoute | undefined {
  const route = exact.get(`${method} ${pathname}`);
  if (route) return { route, params: {} };
  return matchGeminiPath(method, pathname) ?? matchPattern(method, pathname);
}
