import { invalidRequest } from '../../ir/gateway-error.ts';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Gemini's proto JSON mapping accepts both spellings of every field (`inlineData` and `inline_data`). */
export function field(object: Record<string, unknown>, camel: string, snake: string): unknown {
  const value = object[camel];
  return value === undefined ? object[snake] : value;
}

/** JSON `null` means "not set" in proto JSON, like an absent field. */
export function optionalNumber(value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidRequest(`${path}: must be a number`);
  return value;
}

export function optionalBoolean(value: unknown, path: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidRequest(`${path}: must be a boolean`);
  return value;
}

/** A string field; with a `path` a wrong type is a client error, without one (upstream bodies) it is ignored. */
export function optionalString(value: unknown, path?: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (path !== undefined) throw invalidRequest(`${path}: must be a string`);
  return undefined;
}

export function hasKeys(object: Record<string, unknown>): boolean {
  for (const _ in object) return true;
  return false;
}
