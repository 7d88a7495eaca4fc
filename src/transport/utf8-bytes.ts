import { transcode } from 'node:buffer';
import { isStringOneByteRepresentation } from 'node:v8';

/** Below this many characters the encoder's speed does not matter. */
const SHORT_TEXT = 4096;

/**
 * The UTF-8 bytes of a text, as `Buffer.from(text)` gives them, but fast for the texts a gateway
 * re-encodes: a JSON body holding one character beyond Latin-1 (an arrow, a dash, an emoji) is a
 * two-byte string, which `Buffer.from` encodes at about a third of ICU's speed (a 55 KB prompt:
 * 84 µs against 36 µs). A text with a lone surrogate, which ICU refuses (`JSON.stringify` never
 * makes one), or a Node built without ICU falls back to `Buffer.from` and its replacement
 * character. Sending the bytes, not the string, also spares the second pass that
 * `Buffer.byteLength` makes for a `content-length`.
 */
export function utf8Bytes(text: string): Buffer {
  if (text.length < SHORT_TEXT || isStringOneByteRepresentation(text)) return Buffer.from(text);
  try {
    return transcode(Buffer.from(text, 'utf16le'), 'utf16le', 'utf8');
  } catch {
    return Buffer.from(text);
  }
}
