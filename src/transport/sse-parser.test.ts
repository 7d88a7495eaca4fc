import { describe, expect, it } from 'vitest';
import { parseSseText, SseParser } from './sse-parser.ts';

describe('SseParser', () => {
  it('parses events with names, multi-line data and comments', () => {
    const events = parseSseText(': keep-alive\n\nevent: message_start\ndata: {"a":1}\n\ndata: line1\ndata: line2\n\n');
    expect(events).toEqual([{ event: 'message_start', data: '{"a":1}' }, { data: 'line1\nline2' }]);
  });

  it('accepts CR, LF and CRLF line ends, including a CRLF split across chunks', () => {
    const parser = new SseParser();
    const events = [
      ...parser.push('data: a\r'),
      ...parser.push('\n\r\ndata: b\r\rdata: c\n'),
      ...parser.push('\n'),
      ...parser.end(),
    ];
    expect(events).toEqual([{ data: 'a' }, { data: 'b' }, { data: 'c' }]);
  });

  it('gives the same events for LF, CR and CRLF streams cut at any two places', () => {
    const lines = ['event: a', 'data: {"x":1}', '', ': note', 'data: one', 'data: two', '', 'data: é', ''];
    const expected = [{ event: 'a', data: '{"x":1}' }, { data: 'one\ntwo' }, { data: 'é' }];
    for (const end of ['\n', '\r', '\r\n']) {
      const text = lines.join(end) + end;
      for (let first = 0; first <= text.length; first++) {
        for (let second = first; second <= text.length; second += 3) {
          const parser = new SseParser();
          const events = [...parser.push(text.slice(0, first)), ...parser.push(text.slice(first, second)), ...parser.push(text.slice(second)), ...parser.end()];
          expect(events, `${JSON.stringify(end)} cut at ${first} and ${second}`).toEqual(expected);
        }
      }
    }
  });

  it('reassembles UTF-8 sequences split between chunks', () => {
    const bytes = Buffer.from('data: héllo 🌍\n\n', 'utf8');
    const parser = new SseParser();
    const events = [];
    for (let i = 0; i < bytes.length; i++) events.push(...parser.push(bytes.subarray(i, i + 1)));
    expect(events).toEqual([{ data: 'héllo 🌍' }]);
  });

  it('emits a final event that lacks its blank line at end of input', () => {
    const parser = new SseParser();
    expect(parser.push('data: [DONE]')).toEqual([]);
    expect(parser.end()).toEqual([{ data: '[DONE]' }]);
  });

  it('keeps the value verbatim after the single optional space', () => {
    expect(parseSseText('data:  two spaces\n\ndata:none\n\n')).toEqual([{ data: ' two spaces' }, { data: 'none' }]);
  });
});
