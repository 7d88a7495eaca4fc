import { GatewayError } from '../../ir/gateway-error.ts';
import { sendJson, type HttpContext, type RouteHandler } from '../../server/http-context.ts';
import type { ManagementAuthenticator } from '../../server/management/management-auth.ts';
import type { GatewayMetrics } from './gateway-metrics.ts';

export interface MetricsRoute {
  method: 'GET';
  path: '/metrics';
  handler: RouteHandler;
  /**
   * No client key: the handler applies the management guard itself, because whether it applies
   * depends on the running config (`metrics.public`).
   */
  public: true;
}

/**
 * `GET /metrics`. Guarded by the management key, with the server's own guard so failures and bans
 * are shared with the management API, unless the running config says `metrics: {public: true}`.
 */
export function metricsRoutes(metrics: GatewayMetrics, managementAuth: ManagementAuthenticator): MetricsRoute[] {
  const handler = async (context: HttpContext): Promise<void> => {
    const config = context.snapshot.config;
    if (!config.metricsPublic) {
      const denial = await managementAuth.authorize(context.req, config.remoteManagement);
      // Management off: the route looks unregistered, exactly like the management API.
      if (denial === 'not-found') {
        throw new GatewayError({ status: 404, code: 'not_found', message: `no route for GET ${context.pathname}`, retryable: false });
      }
      if (denial) {
        sendJson(context, denial.status, { error: denial.error });
        return;
      }
    }
    const body = await metrics.scrape();
    context.res.writeHead(200, {
      'content-type': metrics.contentType,
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
      'x-request-id': context.requestId,
    });
    context.res.end(body);
  };
  return [{ method: 'GET', path: '/metrics', handler, public: true }];
}
