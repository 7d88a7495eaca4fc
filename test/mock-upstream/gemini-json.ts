/**
 * JSON the way Google's front end writes it: streamed chunks put a space after every key's colon
 * but none after commas, and `<`, `>`, `&` are escaped as `\u003c`-style sequences. A gateway
 * that matches bytes instead of parsing JSON breaks on this, as it would against the real API.
 */
export function mockGeminiChunkJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return scalar(value);
  if (Array.isArray(value)) return `[${value.map(mockGeminiChunkJson).join(',')}]`;
  let out = '';
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    out += `${out ? ',' : ''}${JSON.stringify(key)}: ${mockGeminiChunkJson(v)}`;
  }
  return `{${out}}`;
}

/** Non-streamed bodies and JSON-array stream elements are pretty-printed with two spaces. */
export function mockGeminiPrettyJson(value: unknown): string {
  return escapeHtml(JSON.stringify(value, null, 2));
}

function scalar(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return typeof value === 'string' ? escapeHtml(text) : text;
}

/** Safe on serialized JSON: these characters only ever occur inside string literals. */
function escapeHtml(json: string): string {
  if (!/[<>&]/.test(json)) return json;
  return json.replaceAll('<', '\\u003c').replaceAll('>', '\\u003e').replaceAll('&', '\\u0026');
}
