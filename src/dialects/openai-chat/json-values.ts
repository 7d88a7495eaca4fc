import { invalidRequest } from '../../ir/gateway-error.ts';
import { optionalJsonNumber } from '../shared/json-fields.ts';

export function optionalOpenaiChatInteger(value: unknown, path: string): number | undefined {
  const number = optionalJsonNumber(value, path);
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
