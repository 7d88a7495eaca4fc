import { configSettingRoutes, parseBoolean, type ConfigSetting } from './config-setting-routes.ts';

/** An integer like Go's `*int` binding takes; a negative one becomes `negative` (CLIProxyAPI's clamp). */
function parseCount(negative: number) {
  return (value: unknown) => (typeof value === 'number' && Number.isSafeInteger(value) ? (value < 0 ? negative : value) : undefined);
}

const requestLog: ConfigSetting<boolean> = { key: 'request-log', read: (config) => config.requestLog, parse: parseBoolean };
const loggingToFile: ConfigSetting<boolean> = { key: 'logging-to-file', read: (config) => config.loggingToFile, parse: parseBoolean };
const logsMaxTotalSizeMb: ConfigSetting<number> = { key: 'logs-max-total-size-mb', read: (config) => config.logsMaxTotalSizeMb, parse: parseCount(0) };
const errorLogsMaxFiles: ConfigSetting<number> = { key: 'error-logs-max-files', read: (config) => config.errorLogsMaxFiles, parse: parseCount(10) };

export const requestLogRoutes = configSettingRoutes(requestLog);
export const loggingToFileRoutes = configSettingRoutes(loggingToFile);
export const logsMaxTotalSizeMbRoutes = configSettingRoutes(logsMaxTotalSizeMb);
export const errorLogsMaxFilesRoutes = configSettingRoutes(errorLogsMaxFiles);
