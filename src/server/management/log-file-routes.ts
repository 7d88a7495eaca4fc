import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { clearMainLogs, readMainLog } from '../../observability/read-main-log.ts';
import { ERROR_LOG_PREFIX } from '../../observability/request-log-file-name.ts';
import { sendJson, type HttpContext } from '../http-context.ts';
import { ManagementError, managementRoute } from './management-route.ts';

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** Go's `strconv.Atoi` accepts an optional sign and digits only. */
function parseLimit(raw: string | null): number {
  const value = raw?.trim() ?? '';
  if (value === '') return 0;
  if (!/^[+-]?\d+$/.test(value)) throw new ManagementError(400, 'invalid limit: must be a positive integer');
  const limit = Number(value);
  if (limit <= 0) throw new ManagementError(400, 'invalid limit: must be greater than zero');
  return limit;
}

function parseCutoff(raw: string | null): number {
  const value = raw?.trim() ?? '';
  if (!/^[+-]?\d+$/.test(value)) return 0;
  const cutoff = Number(value);
  return cutoff > 0 ? cutoff : 0;
}

function requireFileLogging(context: HttpContext): void {
  if (!context.snapshot.config.loggingToFile) throw new ManagementError(400, 'logging to file disabled');
}

/** `GET /v0/management/logs?after=<unix s>&limit=<n>`: the application log's lines (400 while file logging is off). */
export const getLogsRoute = managementRoute(async (context: HttpContext) => {
  requireFileLogging(context);
  const limit = parseLimit(context.query.get('limit'));
  const page = await readMainLog(context.runtime.logs.directory, { after: parseCutoff(context.query.get('after')), limit });
  sendJson(context, 200, { lines: page.lines, 'line-count': page.lineCount, 'latest-timestamp': page.latestTimestamp });
});

/** `DELETE /v0/management/logs`: main.log emptied, its rotations removed. */
export const deleteLogsRoute = managementRoute(async (context: HttpContext) => {
  requireFileLogging(context);
  let removed: number;
  try {
    removed = await clearMainLogs(context.runtime.logs.directory);
  } catch (error) {
    if (isMissing(error)) throw new ManagementError(404, 'log directory not found');
    throw error;
  }
  sendJson(context, 200, { success: true, message: 'Logs cleared successfully', removed });
});

/**
 * `GET /v0/management/request-error-logs`: the `error-*.log` files, newest first, `modified` in
 * unix seconds. Empty while `request-log` is on, since failed requests then get ordinary files.
 */
export const listRequestErrorLogsRoute = managementRoute(async (context: HttpContext) => {
  if (context.snapshot.config.requestLog) {
    sendJson(context, 200, { files: [] });
    return;
  }
  const { directory } = context.runtime.logs;
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if (!isMissing(error)) throw error;
    names = [];
  }
  const files: Array<{ name: string; size: number; modified: number }> = [];
  for (const name of names) {
    if (!name.startsWith(ERROR_LOG_PREFIX) || !name.endsWith('.log')) continue;
    try {
      const info = await stat(join(directory, name));
      if (info.isFile()) files.push({ name, size: info.size, modified: Math.floor(info.mtimeMs / 1000) });
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }
  files.sort((a, b) => b.modified - a.modified);
  sendJson(context, 200, { files });
});

/** Sends a log file as a download, like CLIProxyAPI's `c.FileAttachment`. */
async function sendLogFile(context: HttpContext, name: string, notFound: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(join(context.runtime.logs.directory, name), 'r');
  } catch (error) {
    if (isMissing(error)) throw new ManagementError(404, notFound);
    throw error;
  }
  // Size and content come from the same open file, even if retention removes its name meanwhile.
  let size: number;
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new ManagementError(400, 'invalid log file');
    size = info.size;
  } catch (error) {
    await handle.close();
    throw error;
  }
  context.res.writeHead(200, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': size,
    'content-disposition': `attachment; filename="${name}"`,
    'x-request-id': context.requestId,
  });
  if (size === 0) {
    await handle.close();
    context.res.end();
    return;
  }
  // Bytes past the size taken above (a file still growing) would break the declared content-length.
  await pipeline(handle.createReadStream({ end: size - 1 }), context.res);
}

/**
 * `GET /v0/management/request-error-logs/:name`: one error log. Only `error-*.log` names of the
 * logs directory itself: a separator or `..` anywhere is refused before the disk is touched.
 */
export const getRequestErrorLogRoute = managementRoute(async (context: HttpContext) => {
  const name = (context.params.name ?? '').trim();
  if (!name || name.includes('/') || name.includes('\\') || name.includes('..') || name.includes('\0') || !name.startsWith(ERROR_LOG_PREFIX) || !name.endsWith('.log')) {
    throw new ManagementError(400, 'invalid log file name');
  }
  await sendLogFile(context, name, 'log file not found');
});

/** `GET /v0/management/request-log-by-id/:id`: the request or error log of a request id (the `X-Request-Id` it was answered with). */
export const getRequestLogByIdRoute = managementRoute(async (context: HttpContext) => {
  const id = (context.params.id ?? context.query.get('id') ?? '').trim();
  if (!id) throw new ManagementError(400, 'missing request ID');
  if (id.includes('/') || id.includes('\\') || id.includes('\0')) throw new ManagementError(400, 'invalid request ID');
  let names: string[];
  try {
    names = await readdir(context.runtime.logs.directory);
  } catch (error) {
    if (isMissing(error)) throw new ManagementError(404, 'log directory not found');
    throw error;
  }
  const suffix = `-${id}.log`;
  const match = names.find((name) => name.endsWith(suffix));
  if (!match) throw new ManagementError(404, 'log file not found for the given request ID');
  await sendLogFile(context, match, 'log file not found for the given request ID');
});
