import { describe, expect, it } from 'vitest';
import { mockArgumentsFromSchema, mockValueFromSchema } from './schema-arguments.ts';

describe('argumentsFromSchema', () => {
  it('fills required fields only, with values of the right type', () => {
    const schema = {
      type: 'object',
      properties: {
        file_path: { type: 'string' },
        limit: { type: 'integer', minimum: 3 },
        mode: { type: 'string', enum: ['fast', 'slow'] },
        verbose: { type: 'boolean' },
        tags: { type: 'array', items: { type: 'string' }, minItems: 1 },
        optional: { type: 'string' },
      },
      required: ['file_path', 'limit', 'mode', 'verbose', 'tags'],
    };
    expect(mockArgumentsFromSchema('Read', schema)).toEqual({ file_path: '/tmp/mock.txt', limit: 3, mode: 'fast', verbose: false, tags: ['mock'] });
  });

  it('puts the command where each shell tool wants it', () => {
    const claude = { type: 'object', properties: { command: { type: 'string' }, timeout: { type: 'number' } }, required: ['command'] };
    expect(mockArgumentsFromSchema('Bash', claude, { command: 'ls' })).toEqual({ command: 'ls' });
    const codex = { type: 'object', properties: { command: { type: 'array', items: { type: 'string' } } }, required: ['command'] };
    expect(mockArgumentsFromSchema('shell', codex, { command: 'ls' })).toEqual({ command: ['bash', '-lc', 'ls'] });
    const exec = { type: 'object', properties: { cmd: { type: 'string' } }, required: ['cmd'] };
    expect(mockArgumentsFromSchema('exec_command', exec, { command: 'pwd' })).toEqual({ cmd: 'pwd' });
    const gemini = { type: 'OBJECT', properties: { command: { type: 'STRING' } }, required: ['command'] };
    expect(mockArgumentsFromSchema('run_shell_command', gemini)).toEqual({ command: 'echo mock' });
    expect(mockArgumentsFromSchema('bash', {}, { command: 'id' })).toEqual({ command: 'id' });
  });

  it('follows $refs, picks the non-null variant and applies typed overrides', () => {
    const schema = {
      type: 'object',
      $defs: { Point: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] } },
      properties: { at: { $ref: '#/$defs/Point' }, name: { anyOf: [{ type: 'null' }, { type: 'string' }] }, count: { type: 'integer' } },
      required: ['at', 'name'],
    };
    expect(mockArgumentsFromSchema('Move', schema, { fields: { count: '7' } })).toEqual({ at: { x: 1 }, name: 'mock', count: 7 });
  });
});

describe('valueFromSchema', () => {
  it('builds a whole structured-output answer', () => {
    expect(
      mockValueFromSchema({ type: 'object', properties: { next_speaker: { type: 'string', enum: ['user', 'model'] }, reasoning: { type: 'string' } }, required: ['next_speaker', 'reasoning'] }),
    ).toEqual({ next_speaker: 'user', reasoning: 'mock' });
  });
});
