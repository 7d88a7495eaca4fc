import { createReadStream } from 'node:fs';
import { readdir, truncate, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { MAIN_LOG_NAME } from './main-log-file.ts';

export interface MainLogPage {
  /** The newest lines after the cutoff, oldest first, at most `limit`. */
  lines: string[];
  /** Every line of every file read. */
  lineCount: number;
  /** Unix seconds of the newest timestamped line (the cutoff when none is newer). */
  latestTimestamp: number;
}

const ROTATED_MAIN_LOG = /^main-(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})(?:\.[^.]*)*\.log$/;
const NUMBERED_MAIN_LOG = /^main\.log\.(\d+)$/;

/** Order of a rotated main log: larger is older. Timestamped (lumberjack) and numbered (`main.log.1`) names. */
function rotationAge(name: string): number | undefined {
  const numbered = NUMBERED_MAIN_LOG.exec(name);
  if (numbered) return Number(numbered[1]);
  const stamped = ROTATED_MAIN_LOG.exec(name);
  if (!stamped) return undefined;
  const [, year, month, day, hour, minute, second] = stamped.map(Number) as [number, number, number, number, number, number, number];
  // Older files carry smaller timestamps: negate so that, like numbered ones, older sorts larger.
  return Number.MAX_SAFE_INTEGER - new Date(year, month - 1, day, hour, minute, second).getTime() / 1000;
}

export function isRotatedMainLog(name: string): boolean {
  return rotationAge(name) !== undefined;
}

/** main.log and its rotations, oldest first (CLIProxyAPI's order for `/logs`). */
async function mainLogFiles(directory: string): Promise<string[]> {
  const names = await readdir(directory);
  const found: Array<{ name: string; age: number }> = [];
  for (const name of names) {
    if (name === MAIN_LOG_NAME) found.push({ name, age: 0 });
    else {
      const age = rotationAge(name);
      if (age !== undefined) found.push({ name, age });
    }
  }
  return found.sort((a, b) => b.age - a.age).map((file) => join(directory, file.name));
}

/**
 * Unix seconds of a log line: CLIProxyAPI's text lines start `[2006-01-02 15:04:05` (local time),
 * Switchyard's pino lines carry `"time":<epoch ms>` near the start. 0 when the line has neither.
 */
export function logLineTimestamp(line: string): number {
  const text = line.startsWith('[') ? line.slice(1) : line;
  const clock = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(text);
  if (clock) {
    const [, year, month, day, hour, minute, second] = clock.map(Number) as [number, number, number, number, number, number, number];
    return Math.floor(new Date(year, month - 1, day, hour, minute, second).getTime() / 1000);
  }
  const at = line.indexOf('"time":');
  if (at === -1 || at > 64) return 0;
  const millis = /^\d+/.exec(line.slice(at + 7, at + 27));
  return millis ? Math.floor(Number(millis[0]) / 1000) : 0;
}

/** Reads a file line by line without loading it whole or splitting a big string with a regex. */
async function forEachLine(path: string, onLine: (line: string) => void): Promise<void> {
  let rest = '';
  try {
    for await (const chunk of createReadStream(path, { encoding: 'utf8' })) {
      const text = rest + (chunk as string);
      let start = 0;
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        onLine(text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end));
        start = end + 1;
      }
      rest = text.slice(start);
    }
  } catch (error) {
    // Rotated away or cleared between listing and reading.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (rest) onLine(rest.endsWith('\r') ? rest.slice(0, -1) : rest);
}

/**
 * CLIProxyAPI's `GET /logs?after=&limit=`: the lines newer than `after` (unix seconds; a line
 * without a timestamp belongs to the timestamped line before it), the last `limit` of them.
 */
export async function readMainLog(directory: string, options: { after: number; limit: number }): Promise<MainLogPage> {
  const { after, limit } = options;
  let files: string[];
  try {
    files = await mainLogFiles(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { lines: [], lineCount: 0, latestTimestamp: after };
    throw error;
  }
  let lines: string[] = [];
  let lineCount = 0;
  let latest = 0;
  let include = false;
  const keep = (line: string) => {
    lines.push(line);
    // Trimmed in batches so a limit over a huge file costs no per-line shifting.
    if (limit > 0 && lines.length >= limit * 2) lines = lines.slice(lines.length - limit);
  };
  for (const file of files) {
    await forEachLine(file, (line) => {
      lineCount++;
      const timestamp = logLineTimestamp(line);
      if (timestamp > latest) latest = timestamp;
      if (timestamp > 0) include = after === 0 || timestamp > after;
      if (after === 0 || include) keep(line);
    });
  }
  if (limit > 0 && lines.length > limit) lines = lines.slice(lines.length - limit);
  return { lines, lineCount, latestTimestamp: latest === 0 || latest < after ? after : latest };
}

/** CLIProxyAPI's `DELETE /logs`: main.log emptied in place (its writer keeps appending), rotations removed. */
export async function clearMainLogs(directory: string): Promise<number> {
  const names = await readdir(directory);
  let removed = 0;
  for (const name of names) {
    if (name === MAIN_LOG_NAME) {
      try {
        await truncate(join(directory, name), 0);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    } else if (isRotatedMainLog(name)) {
      try {
        await unlink(join(directory, name));
        removed++;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  }
  return removed;
}
