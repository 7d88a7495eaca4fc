import { invalidRequest } from '../../ir/gateway-error.ts';

/**
 * Reading parsed JSON, for every dialect and provider. Reads with a `path` are for client requests:
 * a wrong type is a 400 `<path>: must be a <type>`, and `null` means "not set" like an absent field,
 * because clients send it as often as they omit the field. Reads without one are for upstream
 * bodies, where an odd field must not fail the whole answer.
 */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function expectRecord(value: unknown, path: string): Record<string, unknown> {
  if (!isRecord(value)) throw invalidRequest(`${path}: must be an object`);
  return value;
}

/** A string field; with a `path` a wrong type is a client error, without one it reads as absent. */
export function optionalJsonString(value: unknown, path?: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (path !== undefined) throw invalidRequest(`${path}: must be a string`);
  return undefined;
}

export function optionalJsonNumber(value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidRequest(`${path}: must be a number`);
  return value;
}

export function optionalJsonBoolean(value: unknown, path: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidRequest(`${path}: must be a boolean`);
  return value;
}

/** A count (tokens, seconds) from an upstream body; anything but a finite number reads as 0. */
export function numberOrZero(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** A number from an upstream body; anything else reads as absent. */
export function readNumber(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** Parses JSON that may be malformed (upstream bodies, stream events); `undefined` when it is not JSON. */
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
