import type { RouteHandler } from '../http-context.ts';
import { deleteLogsRoute, getLogsRoute, getRequestErrorLogRoute, getRequestLogByIdRoute, listRequestErrorLogsRoute } from './log-file-routes.ts';
import { errorLogsMaxFilesRoutes, loggingToFileRoutes, logsMaxTotalSizeMbRoutes, requestLogRoutes } from './log-setting-routes.ts';

export interface LogRoute {
  method: 'GET' | 'PUT' | 'PATCH' | 'DELETE';
  /** Exact, or with one `:param` segment. */
  path: string;
  handler: RouteHandler;
}

const settings: Array<[string, { get: RouteHandler; put: RouteHandler }]> = [
  ['/v0/management/request-log', requestLogRoutes],
  ['/v0/management/logging-to-file', loggingToFileRoutes],
  ['/v0/management/logs-max-total-size-mb', logsMaxTotalSizeMbRoutes],
  ['/v0/management/error-logs-max-files', errorLogsMaxFilesRoutes],
];

/** CLIProxyAPI's log management routes (all behind the management key). */
export const logRoutes: LogRoute[] = [
  { method: 'GET', path: '/v0/management/logs', handler: getLogsRoute },
  { method: 'DELETE', path: '/v0/management/logs', handler: deleteLogsRoute },
  { method: 'GET', path: '/v0/management/request-error-logs', handler: listRequestErrorLogsRoute },
  { method: 'GET', path: '/v0/management/request-error-logs/:name', handler: getRequestErrorLogRoute },
  { method: 'GET', path: '/v0/management/request-log-by-id/:id', handler: getRequestLogByIdRoute },
  ...settings.flatMap(([path, routes]): LogRoute[] => [
    { method: 'GET', path, handler: routes.get },
    { method: 'PUT', path, handler: routes.put },
    { method: 'PATCH', path, handler: routes.put },
  ]),
];
