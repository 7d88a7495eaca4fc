import { invalidRequest } from '../../ir/gateway-error.ts';
import type { CanonicalRequest } from '../../ir/request.ts';
import { isRecord, optionalJsonNumber, optionalJsonString } from '../shared/json-fields.ts';
import { decodeGeminiThinkingConfig } from './decode-thinking-config.ts';
import { geminiSchemaToJsonSchema } from './gemini-schema-to-json-schema.ts';
import { field, hasKeys } from './read-fields.ts';

const SCHEMA_KEYS = new Set(['responseMimeType', 'response_mime_type', 'responseSchema', 'response_schema', 'responseJsonSchema', 'response_json_schema']);

export interface DecodedGenerationConfigExtras {
  /** Fields the IR has no place for (penalties, seed, modalities, a non-JSON MIME type, ...), carried on to Gemini upstreams. */
  rest?: Record<string, unknown>;
  /** The schema came as `responseJsonSchema` (full JSON Schema), which a Gemini upstream gets back unchanged. */
  responseJsonSchema?: true;
}

/** Reads `generationConfig` into the request; returns what only a Gemini upstream can use. */
export function decodeGeminiGenerationConfig(value: unknown, request: CanonicalRequest): DecodedGenerationConfigExtras {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw invalidRequest('generationConfig: must be an object');
  const rest: Record<string, unknown> = {};
  for (const key in value) {
    const entry = value[key];
    switch (key) {
      case 'temperature':
        assign(request, 'temperature', optionalJsonNumber(entry, 'generationConfig.temperature'));
        break;
      case 'topP':
      case 'top_p':
        assign(request, 'topP', optionalJsonNumber(entry, 'generationConfig.topP'));
        break;
      case 'topK':
      case 'top_k':
        assign(request, 'topK', optionalJsonNumber(entry, 'generationConfig.topK'));
        break;
      case 'maxOutputTokens':
      case 'max_output_tokens':
        assign(request, 'maxOutputTokens', optionalJsonNumber(entry, 'generationConfig.maxOutputTokens'));
        break;
      case 'stopSequences':
      case 'stop_sequences':
        assign(request, 'stopSequences', readStopSequences(entry));
        break;
      case 'candidateCount':
      case 'candidate_count': {
        const count = optionalJsonNumber(entry, 'generationConfig.candidateCount');
        if (count !== undefined && count > 1) throw invalidRequest('generationConfig.candidateCount: only one candidate is supported');
        break;
      }
      case 'thinkingConfig':
      case 'thinking_config':
        assign(request, 'reasoning', decodeGeminiThinkingConfig(entry));
        break;
      default:
        if (!SCHEMA_KEYS.has(key)) rest[key] = entry;
    }
  }
  const extras: DecodedGenerationConfigExtras = {};
  if (decodeResponseFormat(value, request, rest)) extras.responseJsonSchema = true;
  if (hasKeys(rest)) extras.rest = rest;
  return extras;
}

function assign<K extends keyof CanonicalRequest>(request: CanonicalRequest, key: K, value: CanonicalRequest[K]): void {
  if (value !== undefined) request[key] = value;
}

/**
 * `application/json` (with an optional schema) is JSON mode; other MIME types (`text/x.enum`)
 * only Gemini understands. Returns whether the schema came as `responseJsonSchema`.
 */
function decodeResponseFormat(config: Record<string, unknown>, request: CanonicalRequest, rest: Record<string, unknown>): boolean {
  const mimeType = optionalJsonString(field(config, 'responseMimeType', 'response_mime_type'), 'generationConfig.responseMimeType');
  const jsonSchema = field(config, 'responseJsonSchema', 'response_json_schema');
  const schema = field(config, 'responseSchema', 'response_schema');
  if (mimeType !== 'application/json') {
    for (const key in config) if (SCHEMA_KEYS.has(key)) rest[key] = config[key];
    return false;
  }
  if (isRecord(jsonSchema)) {
    request.responseFormat = { type: 'json-schema', schema: jsonSchema };
    return true;
  }
  request.responseFormat = isRecord(schema) ? { type: 'json-schema', schema: geminiSchemaToJsonSchema(schema) } : { type: 'json' };
  return false;
}

function readStopSequences(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value) || !value.every((entry) => typeof entry === 'string')) {
    throw invalidRequest('generationConfig.stopSequences: must be an array of strings');
  }
  return value.length > 0 ? value : undefined;
}
