import { invalidRequest } from '../../ir/gateway-error.ts';
import { isRecord } from '../shared/json-fields.ts';

function fieldPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** `null` and absence both mean "not given", as the OpenAI API treats them. */
export function optionalString(object: Record<string, unknown>, key: string, path: string): string | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidRequest(`${fieldPath(path, key)}: must be a string`);
  return value;
}

export function requiredString(object: Record<string, unknown>, key: string, path: string): string {
  const value = optionalString(object, key, path);
  if (value === undefined) throw invalidRequest(`${fieldPath(path, key)}: required`);
  return value;
}

export function optionalNumber(object: Record<string, unknown>, key: string, path: string): number | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalidRequest(`${fieldPath(path, key)}: must be a number`);
  }
  return value;
}

export function optionalInteger(object: Record<string, unknown>, key: string, path: string): number | undefined {
  const value = optionalNumber(object, key, path);
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
    throw invalidRequest(`${fieldPath(path, key)}: must be a positive integer`);
  }
  return value;
}

export function optionalBoolean(object: Record<string, unknown>, key: string, path: string): boolean | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidRequest(`${fieldPath(path, key)}: must be a boolean`);
  return value;
}

export function optionalRecord(
  object: Record<string, unknown>,
  key: string,
  path: string,
): Record<string, unknown> | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw invalidRequest(`${fieldPath(path, key)}: must be an object`);
  return value;
}

export function optionalArray(object: Record<string, unknown>, key: string, path: string): unknown[] | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalidRequest(`${fieldPath(path, key)}: must be an array`);
  return value;
}
