import type { MockJsonSchema } from './types.ts';

const SHELL_TOOLS = new Set(['bash', 'shell', 'run_shell_command', 'exec_command', 'local_shell', 'execute_command']);
const COMMAND_FIELDS = ['command', 'cmd', 'commands'];

function isShellTool(name: string): boolean {
  return SHELL_TOOLS.has(name.toLowerCase());
}

interface ArgumentOptions {
  /** Shell command for a shell-like tool. */
  command?: string;
  /** Values that replace generated ones, coerced to the property's type. */
  fields?: Record<string, string>;
}

/**
 * A value that satisfies `schema`: required properties only, filled with something a real
 * client can work with (a command for shell tools, a path for path-like fields).
 */
export function mockArgumentsFromSchema(toolName: string, schema: MockJsonSchema, options: ArgumentOptions = {}): Record<string, unknown> {
  const root = resolve(schema, schema);
  const value = valueFor({ type: 'object', ...root }, root, '', 0);
  const args = (value && typeof value === 'object' && !Array.isArray(value) ? value : {}) as Record<string, unknown>;
  const properties = (root.properties ?? {}) as Record<string, MockJsonSchema>;
  if (isShellTool(toolName)) {
    // Schema-less shell tools (Anthropic's bash_20250124) still take `command`.
    const field = COMMAND_FIELDS.find((name) => name in properties) ?? 'command';
    const command = options.command ?? 'echo mock';
    args[field] = typeOf(resolve(properties[field], root)) === 'array' ? ['bash', '-lc', command] : command;
  }
  for (const [key, raw] of Object.entries(options.fields ?? {})) {
    args[key] = coerce(raw, properties[key] ? resolve(properties[key], root) : {});
  }
  return args;
}

/** A value for a whole schema (structured-output answers). */
export function mockValueFromSchema(schema: MockJsonSchema): unknown {
  return valueFor(schema, schema, '', 0);
}

function valueFor(schema: MockJsonSchema, root: MockJsonSchema, key: string, depth: number): unknown {
  schema = resolve(schema, root);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if ('default' in schema) return schema.default;
  const variants = (schema.anyOf ?? schema.oneOf) as MockJsonSchema[] | undefined;
  if (Array.isArray(variants) && variants.length > 0) {
    const usable = variants.find((v) => typeOf(resolve(v, root)) !== 'null') ?? variants[0];
    return valueFor(usable, root, key, depth);
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
    return valueFor(Object.assign({}, ...(schema.allOf as MockJsonSchema[]).map((s) => resolve(s, root))), root, key, depth);
  }
  switch (typeOf(schema) ?? (schema.properties ? 'object' : 'string')) {
    case 'object': {
      const out: Record<string, unknown> = {};
      if (depth > 8) return out;
      const properties = (schema.properties ?? {}) as Record<string, MockJsonSchema>;
      for (const name of (schema.required ?? []) as string[]) {
        out[name] = valueFor(properties[name] ?? {}, root, name, depth + 1);
      }
      return out;
    }
    case 'array': {
      const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
      const items = (schema.items ?? {}) as MockJsonSchema;
      return Array.from({ length: min }, () => valueFor(items, root, key, depth + 1));
    }
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return stringFor(key, schema);
  }
}

function stringFor(key: string, schema: MockJsonSchema): string {
  const lower = key.toLowerCase();
  if (schema.format === 'uri' || lower.includes('url')) return 'https://example.com/';
  if (lower.includes('path') || lower.includes('file') || lower === 'directory' || lower === 'dir') return '/tmp/mock.txt';
  if (COMMAND_FIELDS.includes(lower)) return 'echo mock';
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  return 'mock'.padEnd(min, 'x');
}

function coerce(raw: string, schema: MockJsonSchema): unknown {
  const type = typeOf(schema);
  if (type === 'number' || type === 'integer') return Number(raw);
  if (type === 'boolean') return raw === 'true';
  if (type === 'array' || type === 'object') {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  return raw;
}

/** The non-null type, lower-cased because Gemini's OpenAPI-style schemas say `STRING`. */
function typeOf(schema: MockJsonSchema): string | undefined {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => String(t).toLowerCase() !== 'null') : schema.type;
  return typeof type === 'string' ? type.toLowerCase() : undefined;
}

/** Follows local `$ref`s (`#/$defs/x`, `#/definitions/x`). */
function resolve(schema: MockJsonSchema | undefined, root: MockJsonSchema): MockJsonSchema {
  let current = schema ?? {};
  for (let hops = 0; typeof current.$ref === 'string' && hops < 16; hops++) {
    const ref = current.$ref as string;
    if (!ref.startsWith('#/')) return {};
    let target: unknown = root;
    for (const segment of ref.slice(2).split('/')) target = (target as Record<string, unknown> | undefined)?.[segment];
    current = (target ?? {}) as MockJsonSchema;
  }
  return current;
}
