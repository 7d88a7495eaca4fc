import pino, { type DestinationStream, type Logger } from 'pino';
import type { MainLogFile } from './main-log-file.ts';
import type { SecretRedactor } from './secret-redactor.ts';

export type { Logger };

/** Header names whose values are secrets; pino censors them wherever they appear in a logged object. */
const REDACTED_PATHS = [
  '*.authorization',
  '*["x-api-key"]',
  '*["x-goog-api-key"]',
  '*["x-management-key"]',
  '*.apiKey',
  '*["api-key"]',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers["x-goog-api-key"]',
];

export interface LoggerOptions {
  debug?: boolean;
  /** Where lines go (stdout by default). */
  destination?: NodeJS.WritableStream;
  /** Masks live secrets in every line, whatever field or message they hide in, before any destination sees it. */
  redactor?: SecretRedactor;
  /** Also receives every line; it writes them only while `logging-to-file` is on. */
  file?: MainLogFile;
}

/** Both outputs get the same line, already redacted by pino's streamWrite hook. */
function teeDestination(primary: DestinationStream, file: MainLogFile): DestinationStream {
  return {
    write(line: string) {
      primary.write(line);
      file.write(line);
    },
  };
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const { redactor, file } = options;
  const primary = (options.destination ?? pino.destination({ dest: 1, sync: false })) as DestinationStream;
  return pino(
    {
      level: process.env.SWITCHYARD_LOG_LEVEL ?? (options.debug ? 'debug' : 'info'),
      base: undefined,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      ...(redactor ? { hooks: { streamWrite: (line: string) => redactor.redact(line) } } : {}),
    },
    file ? teeDestination(primary, file) : primary,
  );
}
