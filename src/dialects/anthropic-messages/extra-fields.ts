/** The fields of `block` outside `known`, skipping nulls; `undefined` when none are left. */
export function extraFields(block: Record<string, unknown>, known: readonly string[]): Record<string, unknown> | undefined {
  let extras: Record<string, unknown> | undefined;
  for (const key in block) {
    const value = block[key];
    if (value === null || value === undefined || known.includes(key)) continue;
    (extras ??= {})[key] = value;
  }
  return extras;
}
