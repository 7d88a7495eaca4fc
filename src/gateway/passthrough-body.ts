/** Every `"model":` key whose value is a string, anywhere in the body (the `"` of the value is matched too). */
const MODEL_KEY = /"model"\s*:\s*"/g;

/**
 * A passthrough attempt's upstream body: the client's bytes, with only the top-level `model`
 * value renamed, so a large conversation is forwarded without being serialised again.
 *
 * The raw text is searched as latin1, whose offsets are byte offsets. A quote inside a JSON string
 * is always escaped, so `"model":` only ever matches a real key; when exactly one key `model` has a
 * string value, it is the top-level one (which the parsed body says is `from`), and it is replaced
 * only when it is written as `from` would be serialised. Anything else (a second `model` key, an
 * escaped name) returns undefined, and the caller serialises the parsed body instead.
 */
export function renameModelInRawBody(raw: Buffer, from: string, to: string): Buffer | undefined {
  const text = raw.toString('latin1');
  MODEL_KEY.lastIndex = 0;
  const first = MODEL_KEY.exec(text);
  if (!first || MODEL_KEY.exec(text)) return undefined;
  const valueStart = first.index + first[0].length - 1;
  const expected = Buffer.from(JSON.stringify(from));
  if (!raw.subarray(valueStart, valueStart + expected.length).equals(expected)) return undefined;
  return Buffer.concat([raw.subarray(0, valueStart), Buffer.from(JSON.stringify(to)), raw.subarray(valueStart + expected.length)]);
}
