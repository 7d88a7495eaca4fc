import { createStream, type RotatingFileStream } from 'rotating-file-stream';

/** The live application log; CCS and CLIProxyAPI's management API read this exact name. */
export const MAIN_LOG_NAME = 'main.log';

/** Rotation size of main.log (CLIProxyAPI rotates at the same size); smaller when the cap is small. */
export const DEFAULT_ROTATE_BYTES = 10 * 1024 * 1024;

/** The smallest rotation size; a cap below four times this still rotates, just often. */
const MIN_ROTATE_BYTES = 1024;

export interface MainLogFileSettings {
  enabled: boolean;
  /** Cap of the whole log directory; main.log rotates at a quarter of it so it never fills it alone. */
  maxTotalBytes: number;
}

export interface MainLogFileOptions {
  /** Largest rotation size (tests use a small one). */
  maxRotateBytes?: number;
  /** Called after main.log was renamed away, so the directory cap can be enforced. */
  onRotated?: () => void;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/**
 * `main-2006-01-02T15-04-05.000.log` (local time), the name lumberjack gives CLIProxyAPI's rotated
 * logs, so its management API and tools that know it find them; `.2`, `.3` separate rotations
 * within one millisecond.
 */
export function rotatedMainLogName(time: Date, index = 1): string {
  const stamp =
    `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())}` +
    `T${pad(time.getHours())}-${pad(time.getMinutes())}-${pad(time.getSeconds())}.${pad(time.getMilliseconds(), 3)}`;
  return `main-${stamp}${index > 1 ? `.${index}` : ''}.log`;
}

/**
 * `logs/main.log`, rotated by size, written asynchronously. It can be switched on and off and
 * resized while running (the management API edits `logging-to-file` and `logs-max-total-size-mb`);
 * lines arriving while it is off are dropped. The directory-wide cap is LogRetention's job.
 */
export class MainLogFile {
  private readonly directory: string;
  private readonly maxRotateBytes: number;
  private readonly onRotated: (() => void) | undefined;
  private stream: RotatingFileStream | undefined;
  private rotateBytes = 0;
  private readonly closing = new Set<Promise<void>>();

  constructor(directory: string, options: MainLogFileOptions = {}) {
    this.directory = directory;
    this.maxRotateBytes = options.maxRotateBytes ?? DEFAULT_ROTATE_BYTES;
    this.onRotated = options.onRotated;
  }

  get enabled(): boolean {
    return this.stream !== undefined;
  }

  configure(settings: MainLogFileSettings): void {
    const rotateBytes = settings.enabled ? Math.max(MIN_ROTATE_BYTES, Math.min(this.maxRotateBytes, Math.floor(settings.maxTotalBytes / 4))) : 0;
    if (rotateBytes === this.rotateBytes) return;
    this.endStream();
    this.rotateBytes = rotateBytes;
    if (rotateBytes > 0) this.stream = this.openStream(rotateBytes);
  }

  write(line: string): void {
    this.stream?.write(line);
  }

  /** Resolves once every line written so far is in the file. */
  flush(): Promise<void> {
    const stream = this.stream;
    if (!stream) return Promise.all(this.closing).then(() => undefined);
    // Writable runs writes in order, so an empty write's callback comes after all earlier lines.
    return new Promise((resolve) => stream.write('', () => resolve()));
  }

  async close(): Promise<void> {
    this.endStream();
    this.rotateBytes = 0;
    await Promise.all(this.closing);
  }

  private openStream(rotateBytes: number): RotatingFileStream {
    const name = (time: number | Date, index?: number) => (time ? rotatedMainLogName(time instanceof Date ? time : new Date(time), index) : MAIN_LOG_NAME);
    const stream = createStream(name, {
      path: this.directory,
      size: `${rotateBytes}B`,
    });
    stream.on('rotated', () => this.onRotated?.());
    stream.on('error', (error: Error) => {
      // The logger cannot report its own failure through itself.
      process.stderr.write(`switchyard: writing ${MAIN_LOG_NAME} in ${this.directory} failed, file logging stopped: ${error.message}\n`);
      if (this.stream === stream) {
        this.stream = undefined;
        this.rotateBytes = 0;
      }
    });
    return stream;
  }

  private endStream(): void {
    const stream = this.stream;
    if (!stream) return;
    this.stream = undefined;
    const closed = new Promise<void>((resolve) => {
      stream.once('error', () => resolve());
      stream.end(() => resolve());
    });
    this.closing.add(closed);
    void closed.then(() => this.closing.delete(closed));
  }
}
