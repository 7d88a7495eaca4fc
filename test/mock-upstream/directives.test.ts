import { describe, expect, it } from 'vitest';
import { parseMockDirectives, stripMockDirectives } from './directives.ts';

describe('parseMockDirectives', () => {
  it('finds nothing in plain text', () => {
    expect(parseMockDirectives('hello [mock] [[not:mock]]')).toEqual({ tools: [], inspect: false, json: false, unknown: [] });
  });

  it('reads positional, named and quoted arguments', () => {
    const d = parseMockDirectives(`[[mock:error 429 retry-after=2 times=1 key=test-a message="slow down, please"]]`);
    expect(d.error).toEqual({ status: 429, retryAfter: 2, times: 1, key: 'test-a', message: 'slow down, please', after: undefined });
  });

  it('collects one tool call per tool directive, with command, JSON args and field overrides', () => {
    const d = parseMockDirectives(
      `first [[mock:tool cmd="echo hi"]] then [[mock:tool name=Read file_path=/etc/hosts]] and [[mock:tool name=Edit args='{"a":1}']]`,
    );
    expect(d.tools).toEqual([
      { name: undefined, cmd: 'echo hi', args: undefined, fields: {} },
      { name: 'Read', cmd: undefined, args: undefined, fields: { file_path: '/etc/hosts' } },
      { name: 'Edit', cmd: undefined, args: '{"a":1}', fields: {} },
    ]);
  });

  it('reads the behaviour directives', () => {
    const d = parseMockDirectives('[[mock:think 40]] [[mock:slow 25]] [[mock:delay 300]] [[mock:long 500]] [[mock:cut after=3]] [[mock:cache read=10 write=5]] [[mock:inspect]] [[mock:json]] [[mock:reply "exact words"]]');
    expect(d).toMatchObject({
      think: { tokens: 40 },
      slowMs: 25,
      delayMs: 300,
      long: 500,
      cut: { after: 3 },
      cache: { read: 10, write: 5 },
      inspect: true,
      json: true,
      reply: 'exact words',
      unknown: [],
    });
  });

  it('reports unknown directive names instead of ignoring typos', () => {
    expect(parseMockDirectives('[[mock:tol]]').unknown).toEqual(['tol']);
  });
});

describe('stripMockDirectives', () => {
  it('removes directives and the space they leave', () => {
    expect(stripMockDirectives('say [[mock:think]] hello [[mock:slow 5]]')).toBe('say hello');
    expect(stripMockDirectives('[[mock:json]] first line\nsecond')).toBe('first line\nsecond');
  });
});
