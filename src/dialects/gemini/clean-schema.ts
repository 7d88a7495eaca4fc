import type { JsonSchema } from '../../ir/tool.ts';
import { isRecord } from '../shared/json-fields.ts';
import { hasKeys } from './read-fields.ts';

/**
 * JSON Schema → the OpenAPI 3 subset Gemini's `Schema` accepts. Gemini rejects the whole
 * request on any keyword it does not know (`$schema`, `additionalProperties`, `const`, ...), on
 * type-specific keywords under another type (`items` on a string), on arrays without `items`
 * and on empty `properties`, so the output is rebuilt from an allow-list per type.
 *
 * What is lost is harmless to a model filling in arguments: validation-only keywords
 * (`additionalProperties`, `pattern`, exclusive bounds, `if/then/else`, ...), defaults and
 * examples, and recursion beyond the first repetition of a `$ref`.
 */
export function cleanGeminiSchema(schema: unknown): JsonSchema {
  return cleanNode(schema, { root: isRecord(schema) ? schema : {}, refs: [] });
}

/**
 * Function `parameters`: an object schema, or undefined when the function takes no arguments
 * (Gemini rejects an object schema with empty `properties`). A union at the root (zod
 * discriminated unions) is flattened into one object whose required keys are those of every branch.
 */
export function cleanGeminiParameters(schema: unknown): JsonSchema | undefined {
  const cleaned = cleanGeminiSchema(schema);
  const root = Array.isArray(cleaned.anyOf) ? mergeObjectBranches(cleaned) : cleaned;
  if (root.type !== 'object' || !isRecord(root.properties)) return undefined;
  const { nullable: _nullable, ...parameters } = root;
  return parameters;
}

interface CleanContext {
  root: Record<string, unknown>;
  /** `$ref`s being expanded on the current path, to stop at the first cycle. */
  refs: string[];
}

const MAX_REF_DEPTH = 16;
const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object']);
const FORMATS: Record<string, Set<string>> = {
  string: new Set(['enum', 'date-time']),
  number: new Set(['float', 'double']),
  integer: new Set(['int32', 'int64']),
};

function cleanNode(input: unknown, context: CleanContext): JsonSchema {
  // Some MCP servers write bare type names as property schemas.
  if (typeof input === 'string') return TYPES.has(input.toLowerCase()) ? { type: input.toLowerCase() } : {};
  if (!isRecord(input)) return {};
  if (typeof input.$ref === 'string') return cleanRef(input, input.$ref, context);
  const node = Array.isArray(input.allOf) ? mergeAllOf(input, input.allOf, context) : input;

  let nullable = node.nullable === true;
  let types = readTypes(node.type);
  if (types.includes('null')) {
    nullable = true;
    types = types.filter((type) => type !== 'null');
  }
  if (types.length > 1) return splitTypes(node, types, nullable, context);

  const union = Array.isArray(node.anyOf) ? node.anyOf : Array.isArray(node.oneOf) ? node.oneOf : undefined;
  let type = types[0] ?? inferType(node);
  let description = typeof node.description === 'string' ? node.description : undefined;

  let values = 'const' in node ? [node.const] : Array.isArray(node.enum) ? node.enum : undefined;
  if (values) {
    if (values.includes(null)) {
      nullable = true;
      values = values.filter((value) => value !== null);
    }
    if (type === undefined) type = 'string';
    if (type !== 'string') {
      // Gemini allows enums on strings only; stringifying a number enum would make the model send strings.
      const allowed = `Allowed values: ${values.map((value) => JSON.stringify(value)).join(', ')}.`;
      description = description ? `${description} ${allowed}` : allowed;
      values = undefined;
    }
  }

  const out: JsonSchema = {};
  if (type !== undefined) out.type = type;
  if (typeof node.title === 'string') out.title = node.title;
  if (description !== undefined) out.description = description;
  if (type !== undefined && typeof node.format === 'string' && FORMATS[type]?.has(node.format)) out.format = node.format;
  if (type === 'string') {
    // Empty strings are rejected too ("enum[1]: cannot be empty").
    const strings = values?.map((value) => (typeof value === 'string' ? value : JSON.stringify(value))).filter((value) => value !== '');
    if (strings && strings.length > 0) out.enum = strings;
    copyNumber(node, out, 'minLength');
    copyNumber(node, out, 'maxLength');
  } else if (type === 'number' || type === 'integer') {
    copyNumber(node, out, 'minimum');
    copyNumber(node, out, 'maximum');
  } else if (type === 'array') {
    out.items = cleanItems(node, context);
    copyNumber(node, out, 'minItems');
    copyNumber(node, out, 'maxItems');
  } else if (type === 'object') {
    cleanObject(node, out, context);
  }

  if (union) {
    const branches: JsonSchema[] = [];
    for (const member of union) {
      if (isRecord(member) && member.type === 'null') {
        nullable = true;
        continue;
      }
      const branch = cleanNode(member, context);
      if (branch.type !== undefined || branch.anyOf !== undefined) branches.push(branch);
    }
    if (branches.length === 1) return withNullable({ ...branches[0], ...out }, nullable);
    if (branches.length > 1) return withNullable(unionOf(branches, out), nullable);
  }
  return withNullable(out, nullable);
}

function withNullable(schema: JsonSchema, nullable: boolean): JsonSchema {
  if (nullable) schema.nullable = true;
  return schema;
}

/** Several alternatives: string enums merge into one enum, anything else becomes `anyOf` under the shared annotations. */
function unionOf(branches: JsonSchema[], parent: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  if (parent.title !== undefined) out.title = parent.title;
  if (parent.description !== undefined) out.description = parent.description;
  if (branches.every((branch) => branch.type === 'string' && Array.isArray(branch.enum))) {
    out.type = 'string';
    out.enum = branches.flatMap((branch) => branch.enum as string[]);
    return out;
  }
  out.anyOf = branches;
  return out;
}

function cleanRef(node: Record<string, unknown>, ref: string, context: CleanContext): JsonSchema {
  const { $ref: _ref, ...siblings } = node;
  if (context.refs.includes(ref) || context.refs.length >= MAX_REF_DEPTH) {
    // A recursive type: stop at the first repetition with an untyped object.
    const stub: JsonSchema = { type: 'object' };
    if (typeof siblings.description === 'string') stub.description = siblings.description;
    return stub;
  }
  const target = resolvePointer(context.root, ref);
  const merged = isRecord(target) ? { ...target, ...siblings } : siblings;
  return cleanNode(merged, { root: context.root, refs: [...context.refs, ref] });
}

/** Local JSON pointers only (`#/$defs/X`, `#/definitions/X`, `#/properties/a`); remote refs resolve to nothing. */
function resolvePointer(root: Record<string, unknown>, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let current: unknown = root;
  for (const token of ref.slice(1).split('/')) {
    if (token === '') continue;
    const key = decodeURIComponent(token).replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(current)) current = current[Number(key)];
    else if (isRecord(current)) current = current[key];
    else return undefined;
  }
  return current;
}

/** allOf members folded into the node: properties and required united, other keywords first come first kept. */
function mergeAllOf(node: Record<string, unknown>, members: unknown[], context: CleanContext): Record<string, unknown> {
  const { allOf: _allOf, ...merged } = node;
  let properties = isRecord(merged.properties) ? { ...merged.properties } : undefined;
  let required = Array.isArray(merged.required) ? [...merged.required] : undefined;
  for (const member of members) {
    const cleaned = cleanNode(member, context);
    for (const key in cleaned) {
      if (key === 'properties' && isRecord(cleaned.properties)) properties = { ...properties, ...cleaned.properties };
      else if (key === 'required' && Array.isArray(cleaned.required)) required = [...(required ?? []), ...cleaned.required];
      else if (merged[key] === undefined) merged[key] = cleaned[key];
    }
  }
  if (properties) merged.properties = properties;
  if (required) merged.required = required;
  return merged;
}

/** `type: [A, B]` → anyOf of one branch per type, each keeping the keywords that apply to it. */
function splitTypes(node: Record<string, unknown>, types: string[], nullable: boolean, context: CleanContext): JsonSchema {
  const { description, title, nullable: _nullable, ...rest } = node;
  const branches = types.map((type) => cleanNode({ ...rest, type }, context));
  const parent: JsonSchema = {};
  if (typeof title === 'string') parent.title = title;
  if (typeof description === 'string') parent.description = description;
  return withNullable(unionOf(branches, parent), nullable);
}

function readTypes(type: unknown): string[] {
  if (typeof type === 'string') return TYPES.has(type.toLowerCase()) || type === 'null' ? [type.toLowerCase()] : [];
  if (!Array.isArray(type)) return [];
  const types: string[] = [];
  for (const entry of type) {
    if (typeof entry !== 'string') continue;
    const lower = entry.toLowerCase();
    if ((TYPES.has(lower) || lower === 'null') && !types.includes(lower)) types.push(lower);
  }
  return types;
}

/** Gemini needs a type wherever type-specific keywords appear; JSON Schema lets it be implied. */
function inferType(node: Record<string, unknown>): string | undefined {
  if (isRecord(node.properties)) return 'object';
  if (node.items !== undefined || Array.isArray(node.prefixItems)) return 'array';
  if ('const' in node || Array.isArray(node.enum)) return 'string';
  return undefined;
}

function cleanItems(node: Record<string, unknown>, context: CleanContext): JsonSchema {
  const tuple = Array.isArray(node.prefixItems) ? node.prefixItems : Array.isArray(node.items) ? node.items : undefined;
  let items: JsonSchema;
  if (tuple) {
    // Gemini has no tuples: the items are any of the positions' schemas, each once.
    const members: JsonSchema[] = [];
    const seen = new Set<string>();
    for (const member of tuple) {
      const cleaned = cleanNode(member, context);
      const key = JSON.stringify(cleaned);
      if (cleaned.type === undefined || seen.has(key)) continue;
      seen.add(key);
      members.push(cleaned);
    }
    items = members.length === 1 ? members[0] : members.length > 1 ? unionOf(members, {}) : {};
  } else {
    items = cleanNode(node.items, context);
  }
  // Gemini rejects an array without an item schema ("items: missing field").
  return items.type === undefined && items.anyOf === undefined ? { ...items, type: 'string' } : items;
}

function cleanObject(node: Record<string, unknown>, out: JsonSchema, context: CleanContext): void {
  if (!isRecord(node.properties)) return;
  const properties: Record<string, JsonSchema> = {};
  let count = 0;
  for (const key in node.properties) {
    properties[key] = cleanNode(node.properties[key], context);
    count++;
  }
  // Empty `properties` is rejected ("should be non-empty for OBJECT type"); an absent one is fine.
  if (count === 0) return;
  out.properties = properties;
  if (Array.isArray(node.required)) {
    const required = node.required.filter(
      (key, index, all): key is string => typeof key === 'string' && key in properties && all.indexOf(key) === index,
    );
    if (required.length > 0) out.required = required;
  }
  copyNumber(node, out, 'minProperties');
  copyNumber(node, out, 'maxProperties');
  if (Array.isArray(node.propertyOrdering)) {
    const ordering = node.propertyOrdering.filter((key): key is string => typeof key === 'string' && key in properties);
    if (ordering.length > 0) out.propertyOrdering = ordering;
  }
}

/** A root union of objects as one object: every property of any branch, required only where all branches require it. */
function mergeObjectBranches(schema: JsonSchema): JsonSchema {
  const properties: Record<string, unknown> = {};
  let required: string[] | undefined;
  for (const branch of schema.anyOf as JsonSchema[]) {
    if (branch.type !== 'object' || !isRecord(branch.properties)) continue;
    for (const key in branch.properties) if (!(key in properties)) properties[key] = branch.properties[key];
    const own = Array.isArray(branch.required) ? (branch.required as string[]) : [];
    required = required === undefined ? own : required.filter((key) => own.includes(key));
  }
  const merged: JsonSchema = { type: 'object' };
  if (schema.description !== undefined) merged.description = schema.description;
  if (hasKeys(properties)) merged.properties = properties;
  if (required && required.length > 0) merged.required = required;
  return merged;
}

function copyNumber(from: Record<string, unknown>, to: JsonSchema, key: string): void {
  const value = from[key];
  if (typeof value === 'number' && Number.isFinite(value)) to[key] = value;
}
