import { join } from 'node:path';
import type { GatewayConfig } from '../config/types.ts';
import { LogRetention } from './log-retention.ts';
import { MainLogFile } from './main-log-file.ts';
import { RequestLogWriter } from './request-log-files.ts';
import { SecretRedactor } from './secret-redactor.ts';

/** `logs-max-total-size-mb: 0` means this cap (CLIProxyAPI's 0 means unbounded; a gateway's disk must not fill). */
export const DEFAULT_LOGS_MAX_TOTAL_BYTES = 100 * 1024 * 1024;

/** The config keys that drive the log files, as config.yaml names them. */
export interface LogSettings {
  /** `logging-to-file` */
  loggingToFile: boolean;
  /** `logs-max-total-size-mb`: cap of the whole logs directory; 0 = DEFAULT_LOGS_MAX_TOTAL_BYTES. */
  logsMaxTotalSizeMb: number;
  /** `request-log`: a file for every request, not only the failed ones. */
  requestLog: boolean;
  /** `error-logs-max-files`: newest error logs kept; 0 keeps all (within the size cap). */
  errorLogsMaxFiles: number;
}

export function logSettingsOf(config: GatewayConfig): LogSettings {
  return {
    loggingToFile: config.loggingToFile,
    logsMaxTotalSizeMb: config.logsMaxTotalSizeMb,
    requestLog: config.requestLog,
    errorLogsMaxFiles: config.errorLogsMaxFiles,
  };
}

/** `$WRITABLE_PATH/logs` (how CCS runs CLIProxyAPI), else `<data dir>/logs`. */
export function resolveLogDirectory(dataDirectory: string, env: NodeJS.ProcessEnv = process.env): string {
  const writable = env.WRITABLE_PATH?.trim();
  return join(writable || dataDirectory, 'logs');
}

export interface LogFilesOptions {
  directory: string;
  /** Shown as `Version:` in request log files. */
  version: string;
  /** The live secrets to mask; shared with the application logger. */
  redactor?: SecretRedactor;
  /** Largest main.log rotation size (tests use a small one). */
  maxRotateBytes?: number;
}

/**
 * Everything written under the logs directory: main.log (application log), the request and
 * error log files, and the retention that keeps the directory within its caps. `apply` takes
 * the settings of every config (startup, reload, management API edit).
 */
export class LogFiles {
  readonly directory: string;
  readonly redactor: SecretRedactor;
  readonly retention: LogRetention;
  readonly mainLog: MainLogFile;
  readonly requestLogs: RequestLogWriter;

  constructor(options: LogFilesOptions) {
    this.directory = options.directory;
    this.redactor = options.redactor ?? new SecretRedactor();
    this.retention = new LogRetention(this.directory, { maxTotalBytes: DEFAULT_LOGS_MAX_TOTAL_BYTES, errorLogsMaxFiles: 0 });
    this.mainLog = new MainLogFile(this.directory, {
      ...(options.maxRotateBytes !== undefined ? { maxRotateBytes: options.maxRotateBytes } : {}),
      onRotated: () => this.retention.schedule(),
    });
    this.requestLogs = new RequestLogWriter({
      directory: this.directory,
      version: options.version,
      redactor: this.redactor,
      onWritten: () => this.retention.schedule(),
    });
  }

  apply(settings: LogSettings): void {
    const maxTotalBytes = settings.logsMaxTotalSizeMb > 0 ? settings.logsMaxTotalSizeMb * 1024 * 1024 : DEFAULT_LOGS_MAX_TOTAL_BYTES;
    this.mainLog.configure({ enabled: settings.loggingToFile, maxTotalBytes });
    this.requestLogs.configure({ requestLog: settings.requestLog });
    this.retention.configure({ maxTotalBytes, errorLogsMaxFiles: Math.max(0, settings.errorLogsMaxFiles) });
  }

  /** Resolves once every queued line and file is on disk and the caps hold. */
  async flush(): Promise<void> {
    await Promise.all([this.mainLog.flush(), this.requestLogs.flush()]);
    await this.retention.enforce();
  }

  /** On shutdown: queued request logs and log lines are written, then main.log is closed. */
  async close(): Promise<void> {
    await this.requestLogs.flush();
    await this.mainLog.close();
  }
}
