import type { ResponseFormat } from '../../ir/request.ts';
import { isRecord } from '../shared/json-fields.ts';

/** `{type: "json_schema", schema}` (output_config.format, or the beta top-level output_format). */
export function decodeAnthropicResponseFormat(format: unknown): ResponseFormat | undefined {
  if (!isRecord(format) || format.type !== 'json_schema' || !isRecord(format.schema)) return undefined;
  return { type: 'json-schema', schema: format.schema };
}
