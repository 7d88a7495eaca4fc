import { isRecord, parseJsonOrUndefined } from '../shared/json-fields.ts';

/**
 * IR arguments are JSON text; Anthropic wants the `input` object. Text that is not a JSON object (a call
 * cut short by max_tokens, a model that wrote garbage) is kept as `{"_raw": text}` rather than `{}`: the
 * model and the client's tool validation still see what was written instead of an empty call.
 */
export function parseAnthropicToolInput(argumentsText: string): Record<string, unknown> {
  if (argumentsText.trim().length === 0) return {};
  const parsed = parseJsonOrUndefined(argumentsText);
  return isRecord(parsed) ? parsed : { _raw: argumentsText };
}
