import type { JsonSchema } from '../../ir/tool.ts';
import { isRecord } from '../shared/json-fields.ts';

/**
 * Gemini's OpenAPI-style `Schema` (function `parameters`, `responseSchema`) as JSON Schema for
 * the IR: upper-case types (`"OBJECT"`, as @google/genai's Type enum writes them) lowered,
 * `nullable` folded into the type, snake_case keywords (`any_of`, `max_items`) camel-cased.
 * `parametersJsonSchema` / `responseJsonSchema` are JSON Schema already and skip this.
 */
export function geminiSchemaToJsonSchema(schema: unknown): JsonSchema {
  if (!isRecord(schema)) return {};
  const out: JsonSchema = {};
  for (const rawKey in schema) {
    const value = schema[rawKey];
    const key = rawKey.includes('_') ? camelCase(rawKey) : rawKey;
    switch (key) {
      case 'type':
        if (typeof value === 'string' && value !== 'TYPE_UNSPECIFIED') out.type = value.toLowerCase();
        break;
      case 'nullable':
      case 'propertyOrdering':
        break;
      case 'format':
        // `enum` is a Gemini-only format marker; the enum itself says it.
        if (value !== 'enum') out.format = value;
        break;
      case 'properties':
        if (isRecord(value)) {
          const properties: Record<string, JsonSchema> = {};
          for (const name in value) properties[name] = geminiSchemaToJsonSchema(value[name]);
          out.properties = properties;
        }
        break;
      case 'items':
        out.items = geminiSchemaToJsonSchema(value);
        break;
      case 'anyOf':
        if (Array.isArray(value)) out.anyOf = value.map(geminiSchemaToJsonSchema);
        break;
      default:
        out[key] = value;
    }
  }
  if (schema.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (Array.isArray(out.anyOf)) out.anyOf = [...out.anyOf, { type: 'null' }];
  }
  return out;
}

function camelCase(key: string): string {
  let out = '';
  for (let i = 0; i < key.length; i++) {
    const char = key[i];
    out += char === '_' && i + 1 < key.length ? key[++i].toUpperCase() : char;
  }
  return out;
}
