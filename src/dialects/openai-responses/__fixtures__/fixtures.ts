import { readFileSync } from 'node:fs';
import type { CanonicalRequest } from '../../../ir/request.ts';
import type { StreamPart } from '../../../ir/stream-part.ts';
import { parseSseText } from '../../../transport/sse-parser.ts';
import { ResponsesStreamDecoder } from '../stream-decoder.ts';

export function readFixture(name: string): string {
  return readFileSync(new URL(name, import.meta.url), 'utf8');
}

export function readJsonFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFixture(name)) as Record<string, unknown>;
}

/** Runs SSE text through a fresh decoder, flush included. */
export function decodeSse(text: string): StreamPart[] {
  const decoder = new ResponsesStreamDecoder();
  const parts: StreamPart[] = [];
  for (const event of parseSseText(text)) parts.push(...decoder.decode(event));
  parts.push(...decoder.flush());
  return parts;
}

/** A minimal client request, for encoder tests that do not care about echoed parameters. */
export function plainRequest(overrides: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return { model: 'gpt-5', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], stream: true, ...overrides };
}
