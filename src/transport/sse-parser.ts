import { StringDecoder } from 'node:string_decoder';
import type { SseEvent } from '../ir/codec.ts';

/**
 * Incremental server-sent-events parser (WHATWG event-stream rules): accepts byte chunks split
 * anywhere, including inside a UTF-8 sequence or between CR and LF, and yields complete events.
 */
export class SseParser {
  private readonly utf8 = new StringDecoder('utf8');
  private buffer = '';
  private pendingCarriageReturn = false;
  private eventName: string | undefined;
  private dataLines: string[] = [];

  push(chunk: Buffer | string): SseEvent[] {
    const text = typeof chunk === 'string' ? chunk : this.utf8.write(chunk);
    return this.consume(text, false);
  }

  /** End of input: a final event without its blank line still counts. */
  end(): SseEvent[] {
    const events = this.consume(this.utf8.end(), true);
    return events;
  }

  private consume(text: string, final: boolean): SseEvent[] {
    const events: SseEvent[] = [];
    let data = this.buffer.length > 0 ? this.buffer + text : text;
    this.buffer = '';
    // Nothing new (an empty chunk, or one that only began a UTF-8 sequence): a CR waiting for its
    // LF must keep waiting.
    if (data.length === 0 && !final) return events;
    let start = 0;
    if (this.pendingCarriageReturn && data.charCodeAt(0) === 10) start = 1;
    this.pendingCarriageReturn = false;
    // Line ends are found with indexOf (native and vectorised), not a JS loop over every
    // character: a stream is mostly content with a few line ends per event. Most streams have no
    // CR at all, and after one search for it only LFs are searched.
    let lf = data.indexOf('\n', start);
    let cr = data.indexOf('\r', start);
    while (lf !== -1 || cr !== -1) {
      const end = cr === -1 || (lf !== -1 && lf < cr) ? lf : cr;
      this.line(data.slice(start, end), events);
      start = end + 1;
      if (end === cr) {
        if (start === data.length) this.pendingCarriageReturn = true;
        else if (data.charCodeAt(start) === 10) start++;
        cr = data.indexOf('\r', start);
      }
      if (lf !== -1 && lf < start) lf = data.indexOf('\n', start);
    }
    data = data.slice(start);
    if (final) {
      if (data.length > 0) this.line(data, events);
      this.line('', events);
    } else {
      this.buffer = data;
    }
    return events;
  }

  private line(line: string, events: SseEvent[]): void {
    if (line.length === 0) {
      if (this.dataLines.length > 0) {
        const event: SseEvent = { data: this.dataLines.join('\n') };
        if (this.eventName !== undefined) event.event = this.eventName;
        events.push(event);
      }
      this.dataLines = [];
      this.eventName = undefined;
      return;
    }
    if (line.charCodeAt(0) === 58) return; // ':' comment
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.dataLines.push(value);
    else if (field === 'event') this.eventName = value;
  }
}

/** Parses a whole SSE text at once (tests and fixtures). */
export function parseSseText(text: string): SseEvent[] {
  const parser = new SseParser();
  return [...parser.push(text), ...parser.end()];
}

/** Formats one SSE event. */
export function formatSseEvent(data: string, event?: string): string {
  return event === undefined ? `data: ${data}\n\n` : `event: ${event}\ndata: ${data}\n\n`;
}
