import type { GatewayConfig } from '../../config/types.ts';
import { sendJson, type HttpContext, type RouteHandler } from '../http-context.ts';
import { readBody } from '../read-body.ts';
import { editRunningConfig, ManagementError, managementRoute } from './management-route.ts';

/** `{"value": ...}` is all these bodies hold. */
const SETTING_BODY_LIMIT_BYTES = 64 * 1024;

interface LogSetting<T> {
  /** The config.yaml key, also the key of the GET answer. */
  key: string;
  read: (config: GatewayConfig) => T;
  /** The value to store, or undefined when the body's value has the wrong type. */
  parse: (value: unknown) => T | undefined;
}

const parseBoolean = (value: unknown) => (typeof value === 'boolean' ? value : undefined);

/** An integer like Go's `*int` binding takes; a negative one becomes `negative` (CLIProxyAPI's clamp). */
function parseCount(negative: number) {
  return (value: unknown) => (typeof value === 'number' && Number.isSafeInteger(value) ? (value < 0 ? negative : value) : undefined);
}

const requestLog: LogSetting<boolean> = { key: 'request-log', read: (config) => config.requestLog, parse: parseBoolean };
const loggingToFile: LogSetting<boolean> = { key: 'logging-to-file', read: (config) => config.loggingToFile, parse: parseBoolean };
const logsMaxTotalSizeMb: LogSetting<number> = { key: 'logs-max-total-size-mb', read: (config) => config.logsMaxTotalSizeMb, parse: parseCount(0) };
const errorLogsMaxFiles: LogSetting<number> = { key: 'error-logs-max-files', read: (config) => config.errorLogsMaxFiles, parse: parseCount(10) };

async function readSettingValue<T>(context: HttpContext, setting: LogSetting<T>): Promise<T> {
  const raw = await readBody(context.req, SETTING_BODY_LIMIT_BYTES);
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ManagementError(400, 'invalid body');
  }
  const value = body !== null && typeof body === 'object' && !Array.isArray(body) ? setting.parse((body as { value?: unknown }).value) : undefined;
  if (value === undefined) throw new ManagementError(400, 'invalid body');
  return value;
}

function settingRoutes<T>(setting: LogSetting<T>): { get: RouteHandler; put: RouteHandler } {
  return {
    get: managementRoute((context: HttpContext) => {
      sendJson(context, 200, { [setting.key]: setting.read(context.snapshot.config) });
    }),
    // CLIProxyAPI's scalar convention: `{"value": v}` in, `{"status":"ok"}` out, written to config.yaml and applied.
    put: managementRoute(async (context: HttpContext) => {
      const value = await readSettingValue(context, setting);
      await editRunningConfig(context, (document) => document.set(setting.key, value));
      sendJson(context, 200, { status: 'ok' });
    }),
  };
}

export const requestLogRoutes = settingRoutes(requestLog);
export const loggingToFileRoutes = settingRoutes(loggingToFile);
export const logsMaxTotalSizeMbRoutes = settingRoutes(logsMaxTotalSizeMb);
export const errorLogsMaxFilesRoutes = settingRoutes(errorLogsMaxFiles);
