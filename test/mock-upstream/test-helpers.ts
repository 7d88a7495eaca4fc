import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'undici';

export interface MockRawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** A raw HTTP exchange, so tests see the exact bytes a client would. */
export async function sendRaw(
  url: string,
  options: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<MockRawResponse> {
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const res = await request(url, {
    method: (options.method ?? (body === undefined ? 'GET' : 'POST')) as 'GET' | 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body,
  });
  return { status: res.statusCode, headers: res.headers as IncomingHttpHeaders, text: await res.body.text() };
}

export interface MockSseEvent {
  event?: string;
  data: string;
}

/** Splits an SSE body into events (LF or CRLF line ends). */
export function parseMockSse(text: string): MockSseEvent[] {
  const events: MockSseEvent[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    if (!block.trim()) continue;
    const event: MockSseEvent = { data: '' };
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event: ')) event.event = line.slice(7);
      else if (line.startsWith('data: ')) event.data += line.slice(6);
    }
    events.push(event);
  }
  return events;
}

export function parseMockSseJson(text: string): any[] {
  return parseMockSse(text)
    .filter((e) => e.data !== '[DONE]')
    .map((e) => JSON.parse(e.data));
}
