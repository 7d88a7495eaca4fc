import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatRequestLog } from './format-request-log.ts';
import type { RequestFinishedEvent, RequestObserver } from './request-events.ts';
import { requestLogFileName } from './request-log-file-name.ts';
import type { SecretRedactor } from './secret-redactor.ts';

/**
 * Files waiting to be written, and the bodies they hold. A disk slower than the traffic must not
 * grow memory without bound: past either, new files are dropped (and counted) rather than queued.
 */
const MAX_QUEUED_FILES = 1000;
const MAX_QUEUED_BYTES = 64 * 1024 * 1024;

/** What an event keeps alive while it waits: its bodies, by far its largest part. */
function retainedBytes(event: RequestFinishedEvent): number {
  let bytes = event.requestBody.length + (event.responseBody?.length ?? 0);
  for (const attempt of event.attempts) bytes += attempt.upstreamRequestBody.length + (attempt.upstreamErrorBody?.length ?? 0);
  return bytes;
}

export interface RequestLogWriterOptions {
  directory: string;
  /** Shown as `Version:` in every file. */
  version: string;
  redactor: SecretRedactor;
  /** Told after every file written, so it can keep the directory within its caps. */
  onWritten?: () => void;
}

interface PendingFile {
  name: string;
  event: RequestFinishedEvent;
  bytes: number;
}

/**
 * CLIProxyAPI's request and error log files. With `request-log` on, every request gets a file;
 * with it off, only failed ones (status >= 400) do, named `error-…` (which is what
 * `/request-error-logs` lists and CCS reads). Formatting and writing happen on a queue drained
 * off the request path, one file at a time, with fs/promises.
 */
export class RequestLogWriter implements RequestObserver {
  private readonly directory: string;
  private readonly version: string;
  private readonly redactor: SecretRedactor;
  private readonly onWritten: (() => void) | undefined;
  private requestLog = false;
  private readonly queue: PendingFile[] = [];
  private queuedBytes = 0;
  private draining: Promise<void> | undefined;
  /** Files not written because the queue was full or the write failed. */
  dropped = 0;

  constructor(options: RequestLogWriterOptions) {
    this.directory = options.directory;
    this.version = options.version;
    this.redactor = options.redactor;
    this.onWritten = options.onWritten;
  }

  configure(settings: { requestLog: boolean }): void {
    this.requestLog = settings.requestLog;
  }

  requestFinished(event: RequestFinishedEvent): void {
    const failed = event.status >= 400;
    if (!this.requestLog && !failed) return;
    const bytes = retainedBytes(event);
    if (this.queue.length >= MAX_QUEUED_FILES || (this.queue.length > 0 && this.queuedBytes + bytes > MAX_QUEUED_BYTES)) {
      this.dropped++;
      return;
    }
    this.queuedBytes += bytes;
    this.queue.push({ name: requestLogFileName(event.url, event.requestId, new Date(), !this.requestLog), event, bytes });
    this.draining ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.drain());
  }

  /** Resolves once every file queued so far is on disk. */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      for (let file = this.queue.shift(); file; file = this.queue.shift()) {
        await this.write(file);
        this.queuedBytes -= file.bytes;
      }
    } finally {
      this.draining = undefined;
    }
  }

  /** Never throws: a log file that cannot be written is counted and reported, the queue goes on. */
  private async write(file: PendingFile): Promise<void> {
    const path = join(this.directory, file.name);
    try {
      const text = this.redactor.redact(formatRequestLog(file.event, this.version));
      try {
        await writeFile(path, text);
      } catch (error) {
        // First file, or someone removed the directory: create it once and retry.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        await mkdir(this.directory, { recursive: true });
        await writeFile(path, text);
      }
    } catch (error) {
      this.dropped++;
      process.stderr.write(`switchyard: could not write request log ${path}: ${(error as Error).message}\n`);
      return;
    }
    this.onWritten?.();
  }
}
