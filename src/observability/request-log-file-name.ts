/** Prefix CLIProxyAPI gives the files it writes for failed requests while `request-log` is off. */
export const ERROR_LOG_PREFIX = 'error-';

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** Go's `2006-01-02T150405` in local time, as CLIProxyAPI stamps its request log names. */
export function fileNameTimestamp(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
}

/**
 * CLIProxyAPI's path sanitising: query dropped, leading `/` dropped, `/` `:` and `<>"|?*` and
 * whitespace become `-`, runs of `-` collapse, edges trimmed, `root` when nothing is left. A
 * backslash (a separator on Windows) and control characters are replaced too.
 */
export function sanitizeLogPath(url: string): string {
  const question = url.indexOf('?');
  let path = question === -1 ? url : url.slice(0, question);
  if (path.startsWith('/')) path = path.slice(1);
  const sanitized = path
    .replace(/[/:<>"|?*\\\s\x00-\x1f\x7f]/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
  return sanitized === '' ? 'root' : sanitized;
}

/** The request id is part of a file name; anything but letters, digits, `-` and `_` is dropped. */
function sanitizeRequestId(requestId: string): string {
  return requestId.replace(/[^A-Za-z0-9_-]/g, '') || 'unknown';
}

/** `[error-]v1-chat-completions-2025-01-15T103000-<request id>.log`, exactly CLIProxyAPI's shape. */
export function requestLogFileName(url: string, requestId: string, date: Date, error: boolean): string {
  const name = `${sanitizeLogPath(url)}-${fileNameTimestamp(date)}-${sanitizeRequestId(requestId)}.log`;
  return error ? `${ERROR_LOG_PREFIX}${name}` : name;
}
