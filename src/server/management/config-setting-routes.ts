import type { GatewayConfig } from '../../config/types.ts';
import { sendJson, type HttpContext, type RouteHandler } from '../http-context.ts';
import { editRunningConfig, ManagementError, managementRoute, readJsonObjectBody } from './management-route.ts';

/** `{"value": ...}` is all these bodies hold. */
const SETTING_BODY_LIMIT_BYTES = 64 * 1024;

/** One scalar config.yaml key that CLIProxyAPI's management API reads and writes on its own route. */
export interface ConfigSetting<T> {
  /** The config.yaml key, also the key of the GET answer. */
  key: string;
  read: (config: GatewayConfig) => T;
  /** The value to store, or undefined when the body's value has the wrong type. */
  parse: (value: unknown) => T | undefined;
}

export const parseBoolean = (value: unknown) => (typeof value === 'boolean' ? value : undefined);

async function readSettingValue<T>(context: HttpContext, setting: ConfigSetting<T>): Promise<T> {
  const body = await readJsonObjectBody(context, SETTING_BODY_LIMIT_BYTES, 'invalid body');
  const value = setting.parse(body.value);
  if (value === undefined) throw new ManagementError(400, 'invalid body');
  return value;
}

/** GET answers `{key: value}`; PUT and PATCH take CLIProxyAPI's `{"value": v}`, write config.yaml, apply it, and answer `{"status":"ok"}`. */
export function configSettingRoutes<T>(setting: ConfigSetting<T>): { get: RouteHandler; put: RouteHandler } {
  return {
    get: managementRoute((context: HttpContext) => {
      sendJson(context, 200, { [setting.key]: setting.read(context.snapshot.config) });
    }),
    put: managementRoute(async (context: HttpContext) => {
      const value = await readSettingValue(context, setting);
      await editRunningConfig(context, (document) => document.set(setting.key, value));
      sendJson(context, 200, { status: 'ok' });
    }),
  };
}
