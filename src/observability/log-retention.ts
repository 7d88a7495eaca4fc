import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { MAIN_LOG_NAME } from './main-log-file.ts';
import { ERROR_LOG_PREFIX } from './request-log-file-name.ts';

export interface RetentionLimits {
  /** Every `*.log`/`*.log.gz` in the directory together; the live main.log is never deleted. */
  maxTotalBytes: number;
  /** Newest `error-*.log` files kept; 0 keeps all (CLIProxyAPI's meaning). */
  errorLogsMaxFiles: number;
}

interface LogFileInfo {
  name: string;
  size: number;
  mtimeMs: number;
}

/** A burst of failed requests triggers one directory scan, not one per file. */
const MIN_PASS_INTERVAL_MS = 1000;

function isLogFile(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.endsWith('.log') || lower.endsWith('.log.gz');
}

/** Newest first; names break ties so the order is stable within one second of mtime resolution. */
function newestFirst(a: LogFileInfo, b: LogFileInfo): number {
  return b.mtimeMs - a.mtimeMs || (a.name < b.name ? 1 : a.name > b.name ? -1 : 0);
}

/**
 * Keeps the log directory bounded like CLIProxyAPI: at most `errorLogsMaxFiles` error logs (the
 * oldest go first), and all log files together under `maxTotalBytes` (oldest first, main.log
 * spared). Passes run off the request path, never overlap, and coalesce while one is running.
 */
export class LogRetention {
  private readonly directory: string;
  private limits: RetentionLimits;
  private running: Promise<void> | undefined;
  private pending = false;
  private timer: NodeJS.Timeout | undefined;
  private lastPassAt = 0;

  constructor(directory: string, limits: RetentionLimits) {
    this.directory = directory;
    this.limits = limits;
  }

  configure(limits: RetentionLimits): void {
    this.limits = limits;
    this.schedule();
  }

  /** Asks for a pass soon; several requests before it starts make one pass. */
  schedule(): void {
    if (this.running) {
      this.pending = true;
      return;
    }
    if (this.timer) return;
    const wait = Math.max(0, this.lastPassAt + MIN_PASS_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, wait);
    this.timer.unref();
  }

  /** Runs a pass now (after the one in progress, if any) and resolves when the directory is within its limits. */
  async enforce(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.running) await this.running;
    await this.run();
  }

  private run(): Promise<void> {
    this.pending = false;
    this.lastPassAt = Date.now();
    const pass = this.pass()
      .catch((error: unknown) => {
        process.stderr.write(`switchyard: log retention failed in ${this.directory}: ${(error as Error).message}\n`);
      })
      .finally(() => {
        this.running = undefined;
        if (this.pending) this.schedule();
      });
    this.running = pass;
    return pass;
  }

  private async pass(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const files: LogFileInfo[] = [];
    for (const name of names) {
      if (!isLogFile(name)) continue;
      try {
        const info = await stat(join(this.directory, name));
        if (info.isFile()) files.push({ name, size: info.size, mtimeMs: info.mtimeMs });
      } catch {
        // Deleted between readdir and stat: nothing to keep bounded.
      }
    }
    files.sort(newestFirst);
    const removed = new Set<string>();
    const { errorLogsMaxFiles, maxTotalBytes } = this.limits;
    if (errorLogsMaxFiles > 0) {
      const errorLogs = files.filter((file) => file.name.startsWith(ERROR_LOG_PREFIX) && file.name.endsWith('.log'));
      for (const file of errorLogs.slice(errorLogsMaxFiles)) {
        if (await this.remove(file.name)) removed.add(file.name);
      }
    }
    let total = 0;
    for (const file of files) if (!removed.has(file.name)) total += file.size;
    for (let index = files.length - 1; index >= 0 && total > maxTotalBytes; index--) {
      const file = files[index]!;
      if (file.name === MAIN_LOG_NAME || removed.has(file.name)) continue;
      if (await this.remove(file.name)) total -= file.size;
    }
  }

  private async remove(name: string): Promise<boolean> {
    try {
      await unlink(join(this.directory, name));
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ENOENT';
    }
  }
}
