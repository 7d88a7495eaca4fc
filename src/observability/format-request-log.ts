import { maskHeaderValue, maskUrlSecrets } from './mask-request-secrets.ts';
import type { AttemptTrace, RequestFinishedEvent } from './request-events.ts';

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** Go's `time.RFC3339Nano` in local time: trailing zeros of the fraction dropped, `Z` for a zero offset. */
export function formatRfc3339Nano(date: Date): string {
  const fraction = date.getMilliseconds() === 0 ? '' : `.${pad(date.getMilliseconds(), 3)}`.replace(/0+$/, '');
  const offset = -date.getTimezoneOffset();
  const zone = offset === 0 ? 'Z' : `${offset > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}${fraction}${zone}`
  );
}

/** Go's canonical header key (`x-api-key` → `X-Api-Key`), the spelling CLIProxyAPI's files show. */
function canonicalHeaderKey(name: string): string {
  return name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1).toLowerCase())
    .join('-');
}

function countTrailingNewlines(text: string): number {
  let count = 0;
  for (let index = text.length - 1; index >= 0 && text.charCodeAt(index) === 10; index--) count++;
  return count;
}

/** CLIProxyAPI separates sections by topping each one up to three trailing newlines. */
function sectionSpacing(trailingNewlines: number): string {
  return '\n'.repeat(Math.max(0, 3 - trailingNewlines));
}

function authLine(trace: AttemptTrace): string {
  const { record } = trace;
  return `provider=${record.provider}, auth_id=${record.credentialId}, type=${record.authType === 'oauth' ? 'oauth' : 'api_key'}`;
}

/**
 * `=== API REQUEST n ===` per attempt, as CLIProxyAPI's executors record them. The upstream
 * headers are not kept by the pipeline, so they read `<none>` (CLIProxyAPI's word for none
 * recorded). Attempts run one after another, so attempt n starts when n-1 ended.
 */
function formatApiRequests(attempts: readonly AttemptTrace[], starts: readonly number[]): string {
  let text = '';
  attempts.forEach((trace, index) => {
    text += `=== API REQUEST ${index + 1} ===\n`;
    text += `Timestamp: ${formatRfc3339Nano(new Date(starts[index]!))}\n`;
    text += `Upstream URL: ${trace.upstreamUrl ? maskUrlSecrets(trace.upstreamUrl) : '<unknown>'}\n`;
    text += 'HTTP Method: POST\n';
    text += `Auth: ${authLine(trace)}\n`;
    text += '\nHeaders:\n<none>\n';
    text += `\nBody:\n${trace.upstreamRequestBody.length > 0 ? trace.upstreamRequestBody.toString() : '<empty>'}\n\n`;
  });
  return text;
}

/** `=== API RESPONSE n ===` per attempt: its status and, for a refused attempt, the upstream's error body. */
function formatApiResponses(attempts: readonly AttemptTrace[], starts: readonly number[]): string {
  const parts = attempts.map((trace, index) => {
    const { record } = trace;
    const answeredAt = starts[index]! + (record.ttftMs ?? record.latencyMs);
    let text = `=== API RESPONSE ${index + 1} ===\nTimestamp: ${formatRfc3339Nano(new Date(answeredAt))}\n\n`;
    if (record.failed && trace.upstreamErrorBody === undefined) {
      // No HTTP answer at all (connect error, timeout): CLIProxyAPI records the error instead.
      text += `Error: ${record.errorCode ?? 'upstream request failed'} (status ${record.status})\n`;
      return text;
    }
    text += `Status: ${record.status}\nHeaders:\n<none>\n\n`;
    const body = trace.upstreamErrorBody?.trim();
    if (body) text += `Body:\n${body}`;
    return text;
  });
  return parts.map((text, index) => (text.endsWith('\n') ? text : `${text}\n`) + (index < parts.length - 1 ? '\n' : '')).join('');
}

function downstreamTransport(event: RequestFinishedEvent): string {
  const upgrade = event.headers.upgrade;
  return typeof upgrade === 'string' && upgrade.trim().toLowerCase() === 'websocket' ? 'websocket' : 'http';
}

/**
 * One request log file, sectioned byte for byte like CLIProxyAPI's (CCS reads them from disk):
 * REQUEST INFO, HEADERS, REQUEST BODY, API REQUEST, API ERROR RESPONSE, API RESPONSE, RESPONSE
 * with `Status: NNN`. Credential headers and `?key=` are masked here; live secrets anywhere in the
 * text are masked by the caller's redactor.
 */
export function formatRequestLog(event: RequestFinishedEvent, version: string): string {
  const starts: number[] = [];
  let next = event.receivedAt;
  for (const trace of event.attempts) {
    starts.push(next);
    next += trace.record.latencyMs;
  }
  const apiRequest = formatApiRequests(event.attempts, starts);
  const apiResponse = formatApiResponses(event.attempts, starts);

  const out: string[] = ['=== REQUEST INFO ===\n', `Version: ${version}\n`, `URL: ${maskUrlSecrets(event.url)}\n`, `Method: ${event.method}\n`];
  out.push(`Downstream Transport: ${downstreamTransport(event)}\n`);
  if (apiRequest || apiResponse) out.push('Upstream Transport: http\n');
  out.push(`Timestamp: ${formatRfc3339Nano(new Date(event.receivedAt))}\n`, sectionSpacing(1));

  out.push('=== HEADERS ===\n');
  for (const [name, value] of Object.entries(event.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) out.push(`${canonicalHeaderKey(name)}: ${maskHeaderValue(name, one)}\n`);
  }
  out.push(sectionSpacing(1));

  const requestBody = event.requestBody.toString('utf8');
  out.push('=== REQUEST BODY ===\n', requestBody, sectionSpacing(requestBody ? countTrailingNewlines(requestBody) : 1));

  if (apiRequest) out.push(apiRequest, sectionSpacing(countTrailingNewlines(apiRequest)));
  // Decoded once: a failed answer shows in both the error section and the response section.
  const response = event.responseBody?.toString();
  if (event.status >= 400) {
    const errorText = response ?? '';
    out.push('=== API ERROR RESPONSE ===\n', `HTTP Status: ${event.status}\n`, errorText, sectionSpacing(errorText ? countTrailingNewlines(errorText) : 1));
  }
  if (apiResponse) out.push(apiResponse, sectionSpacing(countTrailingNewlines(apiResponse)));

  // A streamed answer has no kept body; CLIProxyAPI's streaming writer ends the file without a newline.
  out.push('=== RESPONSE ===\n', `Status: ${event.status}\n`);
  if (!response?.startsWith('\n') && !response?.startsWith('\r\n')) out.push('\n');
  if (response !== undefined) out.push(response, '\n');
  return out.join('');
}
