import { invalidRequest } from '../../ir/gateway-error.ts';
import { isRecord } from '../shared/json-fields.ts';

/** Validation of client request fields; messages follow the real API's `<path>: <problem>` wording. */

export function requireString(value: unknown, path: string): string {
  if (value === undefined || value === null) throw invalidRequest(`${path}: Field required`);
  if (typeof value !== 'string') throw invalidRequest(`${path}: Input should be a valid string`);
  return value;
}

export function requireRecord(value: unknown, path: string): Record<string, unknown> {
  if (value === undefined || value === null) throw invalidRequest(`${path}: Field required`);
  if (!isRecord(value)) throw invalidRequest(`${path}: Input should be a valid dictionary`);
  return value;
}

export function optionalString(value: unknown, path: string): string | undefined {
  return value === undefined || value === null ? undefined : requireString(value, path);
}

export function optionalBoolean(value: unknown, path: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidRequest(`${path}: Input should be a valid boolean`);
  return value;
}

export function optionalNumber(value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidRequest(`${path}: Input should be a valid number`);
  return value;
}

export function optionalInteger(value: unknown, path: string, minimum: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidRequest(`${path}: Input should be a valid integer`);
  if (value < minimum) throw invalidRequest(`${path}: Input should be greater than or equal to ${minimum}`);
  return value;
}

export function optionalStringArray(value: unknown, path: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalidRequest(`${path}: Input should be a valid list`);
  value.forEach((item, index) => requireString(item, `${path}.${index}`));
  return value as string[];
}
