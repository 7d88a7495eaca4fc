import { isRecord } from './wire-object.ts';

/**
 * IR arguments are JSON text; Anthropic wants the `input` object. Text that is not a JSON object (a call
 * cut short by max_tokens, a model that wrote garbage) is kept as `{"_raw": text}` rather than `{}`: the
 * model and the client's tool validation still see what was written instead of an empty call.
 */
export function parseAnthropicToolInput(argumentsText: string): Record<string, unknown> {
  if (argumentsText.trim().length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(argumentsText);
    if (isRecord(parsed)) return parsed;
  } catch {
    // falls through to the raw wrapper
  }
  return { _raw: argumentsText };
}
