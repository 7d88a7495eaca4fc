import type { DecodedUpstreamError } from '../../ir/codec.ts';
import { isRecord, parseJsonOrUndefined } from '../shared/json-fields.ts';

const MAX_MESSAGE = 500;

/**
 * The message and type of an upstream error body. OpenAI's `code` is more precise than its `type`
 * (`context_length_exceeded` vs `invalid_request_error`), so it is the type when present. The
 * ChatGPT (Codex) backend sometimes answers `{"detail": "…"}`; anything else is shown as text.
 */
export function decodeResponsesError(status: number, bodyText: string): DecodedUpstreamError {
  const body = parseJsonOrUndefined(bodyText);
  if (isRecord(body)) {
    const error = body.error;
    if (isRecord(error)) {
      const decoded: DecodedUpstreamError = {
        message: typeof error.message === 'string' && error.message !== '' ? error.message : `upstream returned HTTP ${status}`,
      };
      const type = typeof error.code === 'string' ? error.code : typeof error.type === 'string' ? error.type : undefined;
      if (type !== undefined) decoded.type = type;
      return decoded;
    }
    if (typeof error === 'string' && error !== '') return { message: error };
    if (typeof body.detail === 'string' && body.detail !== '') return { message: body.detail };
    if (typeof body.message === 'string' && body.message !== '') return { message: body.message };
  }
  const text = bodyText.trim();
  if (text === '') return { message: `upstream returned HTTP ${status}` };
  return { message: text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text };
}
