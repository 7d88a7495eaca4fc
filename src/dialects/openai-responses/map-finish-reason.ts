import type { FinishReason } from '../../ir/finish-reason.ts';
import { isRecord } from '../shared/json-fields.ts';

/** From a response's `status` and `incomplete_details`; `hasToolCalls` because Responses has no tool-call status. */
export function decodeResponsesFinishReason(status: unknown, incompleteDetails: unknown, hasToolCalls: boolean): FinishReason {
  if (status === 'incomplete') {
    const reason = isRecord(incompleteDetails) && typeof incompleteDetails.reason === 'string' ? incompleteDetails.reason : undefined;
    if (reason === 'max_output_tokens') return { unified: 'length', raw: reason };
    if (reason === 'content_filter') return { unified: 'content-filter', raw: reason };
    return { unified: 'other', raw: reason ?? 'incomplete' };
  }
  if (status === 'failed') return { unified: 'error', raw: 'failed' };
  if (status === 'completed' || status === undefined) return { unified: hasToolCalls ? 'tool-calls' : 'stop', raw: 'completed' };
  return { unified: 'other', raw: typeof status === 'string' ? status : undefined };
}

/** The fields of a response object that its finish reason decides. */
export interface EncodedStatus {
  status: 'completed' | 'incomplete' | 'failed';
  error: { code: string; message: string } | null;
  incompleteDetails: { reason: string } | null;
}

const INCOMPLETE_REASONS = new Set(['max_output_tokens', 'content_filter', 'max_messages']);

export function encodeResponsesStatus(finishReason: FinishReason): EncodedStatus {
  switch (finishReason.unified) {
    case 'length':
      return { status: 'incomplete', error: null, incompleteDetails: { reason: 'max_output_tokens' } };
    case 'content-filter':
      return { status: 'incomplete', error: null, incompleteDetails: { reason: 'content_filter' } };
    case 'error':
      return {
        status: 'failed',
        error: { code: 'server_error', message: 'The model failed to complete the response.' },
        incompleteDetails: null,
      };
    case 'other':
      if (finishReason.raw !== undefined && INCOMPLETE_REASONS.has(finishReason.raw)) {
        return { status: 'incomplete', error: null, incompleteDetails: { reason: finishReason.raw } };
      }
      return { status: 'completed', error: null, incompleteDetails: null };
    default:
      return { status: 'completed', error: null, incompleteDetails: null };
  }
}
