import pino, { type Logger } from 'pino';

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

export function createLogger(options: { debug?: boolean; destination?: NodeJS.WritableStream } = {}): Logger {
  return pino(
    {
      level: process.env.SWITCHYARD_LOG_LEVEL ?? (options.debug ? 'debug' : 'info'),
      base: undefined,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    (options.destination ?? pino.destination({ dest: 1, sync: false })) as pino.DestinationStream,
  );
}
