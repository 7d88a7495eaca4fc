import { invalidRequest } from '../../ir/gateway-error.ts';

export type OpenaiChatJsonObject = Record<string, unknown>;

export function isOpenaiChatObject(value: unknown): value is OpenaiChatJsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function expectOpenaiChatObject(value: unknown, path: string): OpenaiChatJsonObject {
  if (!isOpenaiChatObject(value)) throw invalidRequest(`${path}: must be an object`);
  return value;
}

/** Clients send `null` for "not set" as often as they omit the field, so both read as undefined. */
export function optionalOpenaiChatString(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidRequest(`${path}: must be a string`);
  return value;
}

export function optionalOpenaiChatNumber(value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidRequest(`${path}: must be a number`);
  return value;
}

export function optionalOpenaiChatBoolean(value: unknown, path: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidRequest(`${path}: must be a boolean`);
  return value;
}

export function optionalOpenaiChatInteger(value: unknown, path: string): number | undefined {
  const number = optionalOpenaiChatNumber(value, path);
  if (number !== undefined && (!Number.isInteger(number) || number < 0)) {
    throw invalidRequest(`${path}: must be a non-negative integer`);
  }
  return number;
}

/** `stop` is a string or an array of strings. */
export function optionalOpenaiChatStop(value: unknown, path: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) throw invalidRequest(`${path}: must be a string or an array of strings`);
  value.forEach((entry, index) => {
    if (typeof entry !== 'string') throw invalidRequest(`${path}[${index}]: must be a string`);
  });
  return value.length > 0 ? (value as string[]) : undefined;
}

/** Lenient reads for upstream bodies: an upstream's odd field must not fail the whole answer. */
export function readOpenaiChatString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function readOpenaiChatNumber(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
