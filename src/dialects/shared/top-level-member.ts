import type { Usage } from '../../ir/usage.ts';
import { isRecord } from './json-fields.ts';

const BACKSLASH = 0x5c;

/**
 * One object member of a JSON object's top level, read without parsing what comes before it. The
 * member is found as the last `"key"` in the bytes; inside a JSON string every quote is escaped,
 * so unless an odd run of backslashes precedes it, it is a key or a string value, and the last one
 * is the one JSON.parse keeps. Prefixed with `{`, the bytes from it on parse as one object only when
 * they close exactly one level, the outermost: a nested key, a string value or malformed bytes fail
 * to parse, and the reader gives up. The bytes before the member are not checked.
 */
function topLevelObjectMember(body: Buffer, needle: Buffer, key: string): Record<string, unknown> | undefined {
  const at = body.lastIndexOf(needle);
  if (at === -1) return undefined;
  let escapes = 0;
  while (at - escapes > 0 && body[at - escapes - 1] === BACKSLASH) escapes++;
  if (escapes % 2 === 1) return undefined;
  let tail: unknown;
  try {
    tail = JSON.parse(`{${body.toString('utf8', at)}`);
  } catch {
    return undefined;
  }
  const member = (tail as Record<string, unknown>)[key];
  return isRecord(member) ? member : undefined;
}

/**
 * Reads the usage of a plain answer from its bytes, for a dialect whose answers carry it in the
 * top-level member `key`, near their end. A passthrough answer goes to the client as the upstream
 * sent it and the gateway needs only its usage: parsing the whole answer for it was the largest
 * single cost of a plain passthrough request. Undefined when the member is not found that way;
 * the caller then decodes the whole answer.
 */
export function responseUsageReader(key: string, decode: (member: unknown) => Usage | undefined): (body: Buffer) => Usage | undefined {
  const needle = Buffer.from(`"${key}"`);
  return (body) => {
    const member = topLevelObjectMember(body, needle, key);
    return member === undefined ? undefined : decode(member);
  };
}
