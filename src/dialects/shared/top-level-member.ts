import type { Usage } from '../../ir/usage.ts';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function isJsonSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function skipSpace(body: Buffer, index: number): number {
  while (index < body.length && isJsonSpace(body[index]!)) index++;
  return index;
}

/** The index just past the string that opens at `index`, or -1 when it does not close. */
function skipString(body: Buffer, index: number): number {
  for (let at = index + 1; at < body.length; at++) {
    const byte = body[at]!;
    if (byte === BACKSLASH) at++;
    else if (byte === QUOTE) return at + 1;
  }
  return -1;
}

/**
 * Walks from `index` at nesting `depth` until the depth drops to `until`; returns the index just
 * past that closing bracket, or -1 when the input ends first.
 */
function walkTo(body: Buffer, index: number, depth: number, until: number): number {
  for (let at = index; at < body.length; at++) {
    const byte = body[at]!;
    if (byte === QUOTE) {
      at = skipString(body, at);
      if (at === -1) return -1;
      at--;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
    else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
      if (depth === until) return at + 1;
    }
  }
  return -1;
}

/**
 * One object member of a JSON object's top level, read from the object's bytes without parsing the
 * rest. The member is found as the last `"key":` in the bytes: inside a JSON string every quote is
 * escaped, so that pattern can only be a key, and the last one is the one JSON.parse keeps. The
 * bytes after its value must then close exactly one object, the outermost, or the key was nested.
 * Returns undefined whenever it cannot be sure (absent, nested, not an object, malformed). The bytes
 * before the member are not checked.
 */
function topLevelObjectMember(body: Buffer, needle: Buffer): unknown {
  const at = body.lastIndexOf(needle);
  if (at === -1) return undefined;
  let escapes = 0;
  while (at - escapes > 0 && body[at - escapes - 1] === BACKSLASH) escapes++;
  if (escapes % 2 === 1) return undefined;
  let index = skipSpace(body, at + needle.length);
  if (body[index] !== COLON) return undefined;
  const start = skipSpace(body, index + 1);
  if (body[start] !== OPEN_BRACE) return undefined;
  const end = walkTo(body, start + 1, 1, 0);
  if (end === -1) return undefined;
  index = walkTo(body, end, 1, 0);
  if (index === -1 || skipSpace(body, index) !== body.length) return undefined;
  try {
    return JSON.parse(body.toString('utf8', start, end));
  } catch {
    return undefined;
  }
}

/**
 * Reads the usage of a plain answer from its bytes, for a dialect whose answers carry it in the
 * top-level member `key`. A passthrough answer goes to the client as the upstream sent it and the
 * gateway needs only its usage: parsing the whole answer for it was the largest single cost of a
 * plain passthrough request. Undefined when the member is not found that way; the caller then
 * decodes the whole answer.
 */
export function responseUsageReader(key: string, decode: (member: unknown) => Usage | undefined): (body: Buffer) => Usage | undefined {
  const needle = Buffer.from(`"${key}"`);
  return (body) => {
    const member = topLevelObjectMember(body, needle);
    return member === undefined ? undefined : decode(member);
  };
}
