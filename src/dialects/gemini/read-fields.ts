/** Gemini's proto JSON mapping accepts both spellings of every field (`inlineData` and `inline_data`). */
export function field(object: Record<string, unknown>, camel: string, snake: string): unknown {
  const value = object[camel];
  return value === undefined ? object[snake] : value;
}

export function hasKeys(object: Record<string, unknown>): boolean {
  for (const _ in object) return true;
  return false;
}
