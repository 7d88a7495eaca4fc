import type { DecodedUpstreamError } from '../../ir/codec.ts';
import { GatewayError, codeForStatus } from '../../ir/gateway-error.ts';
import { isRecord, parseJsonOrUndefined } from '../shared/json-fields.ts';
import { statusForAnthropicErrorType } from './map-error-type.ts';

const MAX_TEXT_MESSAGE = 500;

function fromParsed(parsed: unknown): DecodedUpstreamError | undefined {
  if (!isRecord(parsed)) return undefined;
  const error = isRecord(parsed.error) ? parsed.error : parsed;
  if (typeof error.message !== 'string') return undefined;
  return typeof error.type === 'string' ? { message: error.message, type: error.type } : { message: error.message };
}

/** Message and type of an upstream error body; tolerates HTML and plain-text bodies from proxies. */
export function decodeAnthropicError(status: number, bodyText: string): DecodedUpstreamError {
  const decoded = fromParsed(parseJsonOrUndefined(bodyText));
  if (decoded) return decoded;
  const text = bodyText.trim();
  if (text.length === 0) return { message: `upstream returned HTTP ${status}` };
  return { message: text.length > MAX_TEXT_MESSAGE ? `${text.slice(0, MAX_TEXT_MESSAGE)}…` : text };
}

/** The error carried by an in-stream `error` event. */
export function anthropicStreamErrorToGateway(payload: unknown): GatewayError {
  const decoded = fromParsed(payload) ?? { message: 'upstream stream reported an error' };
  const status = statusForAnthropicErrorType(decoded.type);
  return new GatewayError({ status, code: codeForStatus(status), message: decoded.message, upstreamType: decoded.type });
}
