import { describe, expect, it } from 'vitest';
import { cleanGeminiParameters, cleanGeminiSchema } from './clean-schema.ts';

/** Keywords Gemini's Schema accepts; anything else in the output is a 400 waiting to happen. */
const ALLOWED = new Set([
  'type', 'format', 'title', 'description', 'nullable', 'enum', 'maxItems', 'minItems', 'properties', 'required',
  'minProperties', 'maxProperties', 'minLength', 'maxLength', 'anyOf', 'propertyOrdering', 'items', 'minimum', 'maximum',
]);

function assertGeminiSafe(schema: unknown, path = '$'): void {
  if (typeof schema !== 'object' || schema === null) throw new Error(`${path}: not a schema`);
  const node = schema as Record<string, unknown>;
  for (const key of Object.keys(node)) if (!ALLOWED.has(key)) throw new Error(`${path}: keyword ${key} is not allowed`);
  if (node.type === 'array' && node.items === undefined) throw new Error(`${path}: array without items`);
  if (node.items !== undefined && node.type !== 'array') throw new Error(`${path}: items on ${String(node.type)}`);
  if (node.properties !== undefined && node.type !== 'object') throw new Error(`${path}: properties on ${String(node.type)}`);
  if (node.enum !== undefined && (node.type !== 'string' || !(node.enum as unknown[]).every((v) => typeof v === 'string'))) {
    throw new Error(`${path}: enum must be strings on a string`);
  }
  if (node.properties) {
    const properties = node.properties as Record<string, unknown>;
    if (Object.keys(properties).length === 0) throw new Error(`${path}: empty properties`);
    for (const [key, value] of Object.entries(properties)) assertGeminiSafe(value, `${path}.${key}`);
    for (const key of (node.required as string[] | undefined) ?? []) if (!(key in properties)) throw new Error(`${path}: required ${key} missing`);
  }
  if (node.items) assertGeminiSafe(node.items, `${path}[]`);
  for (const [i, branch] of ((node.anyOf as unknown[] | undefined) ?? []).entries()) assertGeminiSafe(branch, `${path}|${i}`);
}

// Claude Code's tools, as it sends them (zod-to-json-schema output).
const claudeCodeBash = {
  type: 'object',
  properties: {
    command: { type: 'string', description: 'The command to execute' },
    timeout: { type: 'number', description: 'Optional timeout in milliseconds (max 600000)' },
    description: { type: 'string', description: 'Clear, concise description of what this command does in 5-10 words.' },
    run_in_background: { type: 'boolean', description: 'Set to true to run this command in the background.' },
    dangerouslyDisableSandbox: { type: 'boolean' },
  },
  required: ['command'],
  additionalProperties: false,
  $schema: 'http://json-schema.org/draft-07/schema#',
};

const claudeCodeTodoWrite = {
  type: 'object',
  properties: {
    todos: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          content: { type: 'string', minLength: 1 },
          status: { type: 'string', enum: ['pending', 'in_progress', 'completed'] },
          activeForm: { type: 'string', minLength: 1 },
        },
        required: ['content', 'status', 'activeForm'],
        additionalProperties: false,
      },
      description: 'The updated todo list',
    },
  },
  required: ['todos'],
  additionalProperties: false,
  $schema: 'http://json-schema.org/draft-07/schema#',
};

const claudeCodeWebFetch = {
  type: 'object',
  properties: {
    url: { type: 'string', format: 'uri', description: 'The URL to fetch content from' },
    prompt: { type: 'string', description: 'The prompt to run on the fetched content' },
  },
  required: ['url', 'prompt'],
  additionalProperties: false,
  $schema: 'http://json-schema.org/draft-07/schema#',
};

// An MCP server built with pydantic: $defs, $ref, nullable unions, defaults, titles, const.
const mcpSearch = {
  $defs: {
    Filter: {
      properties: {
        field: { title: 'Field', type: 'string' },
        op: { enum: ['eq', 'ne', 'gt'], title: 'Op', type: 'string' },
        value: { anyOf: [{ type: 'string' }, { type: 'integer' }, { type: 'null' }], default: null, title: 'Value' },
        kind: { const: 'filter', title: 'Kind', type: 'string' },
      },
      required: ['field', 'op', 'kind'],
      title: 'Filter',
      type: 'object',
    },
  },
  properties: {
    filters: { items: { $ref: '#/$defs/Filter' }, title: 'Filters', type: 'array' },
    limit: { anyOf: [{ type: 'integer', exclusiveMinimum: 0 }, { type: 'null' }], default: 10, title: 'Limit' },
    sort: { $ref: '#/$defs/Filter', description: 'Sort key' },
  },
  required: ['filters'],
  title: 'searchArguments',
  type: 'object',
};

describe('cleanGeminiParameters', () => {
  it('strips draft-07 noise from Claude Code tools', () => {
    expect(cleanGeminiParameters(claudeCodeBash)).toEqual({
      type: 'object',
      properties: {
        command: { type: 'string', description: 'The command to execute' },
        timeout: { type: 'number', description: 'Optional timeout in milliseconds (max 600000)' },
        description: { type: 'string', description: 'Clear, concise description of what this command does in 5-10 words.' },
        run_in_background: { type: 'boolean', description: 'Set to true to run this command in the background.' },
        dangerouslyDisableSandbox: { type: 'boolean' },
      },
      required: ['command'],
    });
    expect(cleanGeminiParameters(claudeCodeTodoWrite)).toEqual({
      type: 'object',
      properties: {
        todos: {
          type: 'array',
          description: 'The updated todo list',
          items: {
            type: 'object',
            properties: {
              content: { type: 'string', minLength: 1 },
              status: { type: 'string', enum: ['pending', 'in_progress', 'completed'] },
              activeForm: { type: 'string', minLength: 1 },
            },
            required: ['content', 'status', 'activeForm'],
          },
        },
      },
      required: ['todos'],
    });
    // `uri` is not a format Gemini knows.
    expect(cleanGeminiParameters(claudeCodeWebFetch)?.properties).toEqual({
      url: { type: 'string', description: 'The URL to fetch content from' },
      prompt: { type: 'string', description: 'The prompt to run on the fetched content' },
    });
  });

  it('inlines $defs, turns const into enum and nullable unions into nullable', () => {
    const cleaned = cleanGeminiParameters(mcpSearch);
    const filter = {
      type: 'object',
      title: 'Filter',
      properties: {
        field: { type: 'string', title: 'Field' },
        op: { type: 'string', title: 'Op', enum: ['eq', 'ne', 'gt'] },
        value: { title: 'Value', anyOf: [{ type: 'string' }, { type: 'integer' }], nullable: true },
        kind: { type: 'string', title: 'Kind', enum: ['filter'] },
      },
      required: ['field', 'op', 'kind'],
    };
    expect(cleaned).toEqual({
      type: 'object',
      title: 'searchArguments',
      properties: {
        filters: { type: 'array', title: 'Filters', items: filter },
        limit: { type: 'integer', title: 'Limit', nullable: true },
        sort: { ...filter, description: 'Sort key' },
      },
      required: ['filters'],
    });
    assertGeminiSafe(cleaned);
  });

  it('stops recursive $refs at the first repetition', () => {
    const tree = {
      $defs: {
        Node: {
          type: 'object',
          properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/Node' } } },
          required: ['name'],
        },
      },
      type: 'object',
      properties: { root: { $ref: '#/$defs/Node' } },
    };
    expect(cleanGeminiParameters(tree)).toEqual({
      type: 'object',
      properties: {
        root: {
          type: 'object',
          properties: { name: { type: 'string' }, children: { type: 'array', items: { type: 'object' } } },
          required: ['name'],
        },
      },
    });
    const selfLoop = { definitions: { A: { $ref: '#/definitions/A' } }, type: 'object', properties: { a: { $ref: '#/definitions/A' } } };
    expect(cleanGeminiParameters(selfLoop)).toEqual({ type: 'object', properties: { a: { type: 'object' } } });
  });

  it('omits parameters for argument-less tools and non-object roots', () => {
    expect(cleanGeminiParameters({ type: 'object', properties: {}, additionalProperties: false })).toBeUndefined();
    expect(cleanGeminiParameters({ type: 'object' })).toBeUndefined();
    expect(cleanGeminiParameters({})).toBeUndefined();
    expect(cleanGeminiParameters({ type: 'string' })).toBeUndefined();
  });

  it('flattens a root union of objects', () => {
    const union = {
      anyOf: [
        { type: 'object', properties: { action: { const: 'click' }, x: { type: 'number' } }, required: ['action', 'x'] },
        { type: 'object', properties: { action: { const: 'type' }, text: { type: 'string' } }, required: ['action', 'text'] },
      ],
      description: 'Computer action',
    };
    expect(cleanGeminiParameters(union)).toEqual({
      type: 'object',
      description: 'Computer action',
      properties: { action: { type: 'string', enum: ['click'] }, x: { type: 'number' }, text: { type: 'string' } },
      required: ['action'],
    });
  });
});

describe('cleanGeminiSchema', () => {
  it('turns type lists into nullable types or anyOf with the keywords of each type', () => {
    expect(cleanGeminiSchema({ type: ['string', 'null'], description: 'd', format: 'date-time' })).toEqual({
      type: 'string',
      description: 'd',
      format: 'date-time',
      nullable: true,
    });
    expect(cleanGeminiSchema({ type: ['string', 'array'], items: { type: 'string' }, minLength: 1, description: 'paths' })).toEqual({
      description: 'paths',
      anyOf: [
        { type: 'string', minLength: 1 },
        { type: 'array', items: { type: 'string' } },
      ],
    });
  });

  it('keeps enums on strings only, as strings', () => {
    expect(cleanGeminiSchema({ enum: ['a', 1, true, null, ''] })).toEqual({ type: 'string', enum: ['a', '1', 'true'], nullable: true });
    expect(cleanGeminiSchema({ type: 'integer', enum: [1, 2, 3], description: 'Level.' })).toEqual({
      type: 'integer',
      description: 'Level. Allowed values: 1, 2, 3.',
    });
    expect(cleanGeminiSchema({ oneOf: [{ const: 'fast' }, { const: 'slow', description: 'careful' }] })).toEqual({
      type: 'string',
      enum: ['fast', 'slow'],
    });
  });

  it('repairs what Gemini rejects: arrays without items, items on strings, empty properties, dangling required', () => {
    const schema = {
      type: 'object',
      properties: {
        tags: { type: 'array' },
        value: { type: 'string', items: { type: 'string' }, description: 'A value or a range' },
        options: { type: 'object', properties: {}, additionalProperties: { type: 'string' } },
        bare: 'integer',
        tuple: { type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }] },
      },
      required: ['tags', 'ghost', 'tags'],
      patternProperties: { '^x-': { type: 'string' } },
      propertyNames: { pattern: '^[a-z]+$' },
      unevaluatedProperties: false,
      if: { properties: { tags: { minItems: 1 } } },
      then: { required: ['value'] },
      else: {},
      $comment: 'generated',
      $id: 'urn:x',
      examples: [{ tags: [] }],
      default: {},
      defer_loading: true,
    };
    const cleaned = cleanGeminiSchema(schema);
    expect(cleaned).toEqual({
      type: 'object',
      properties: {
        tags: { type: 'array', items: { type: 'string' } },
        value: { type: 'string', description: 'A value or a range' },
        options: { type: 'object' },
        bare: { type: 'integer' },
        tuple: { type: 'array', items: { type: 'number' } },
      },
      required: ['tags'],
    });
    assertGeminiSafe(cleaned);
  });

  it('merges allOf and infers missing types', () => {
    expect(
      cleanGeminiSchema({
        allOf: [{ $ref: '#/$defs/Base' }, { properties: { extra: { type: 'boolean' } }, required: ['extra'] }],
        $defs: { Base: { type: 'object', properties: { id: { type: 'string', pattern: '^[0-9]+$' } }, required: ['id'] } },
      }),
    ).toEqual({
      type: 'object',
      properties: { id: { type: 'string' }, extra: { type: 'boolean' } },
      required: ['id', 'extra'],
    });
    expect(cleanGeminiSchema({ properties: { a: { items: { type: 'string' } } } })).toEqual({
      type: 'object',
      properties: { a: { type: 'array', items: { type: 'string' } } },
    });
  });

  it('drops exclusive bounds but keeps inclusive ones, and keeps number formats Gemini knows', () => {
    expect(cleanGeminiSchema({ type: 'number', minimum: 0, exclusiveMaximum: 1, format: 'double' })).toEqual({
      type: 'number',
      minimum: 0,
      format: 'double',
    });
    expect(cleanGeminiSchema({ type: 'integer', format: 'uint8', maximum: 255 })).toEqual({ type: 'integer', maximum: 255 });
  });

  it('does not modify its input', () => {
    const input = structuredClone(mcpSearch);
    cleanGeminiSchema(input);
    expect(input).toEqual(mcpSearch);
  });
});
