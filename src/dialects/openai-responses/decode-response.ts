import type { AssistantContentPart } from '../../ir/content.ts';
import { GatewayError } from '../../ir/gateway-error.ts';
import type { CanonicalResponse } from '../../ir/response.ts';
import { isRecord } from '../shared/json-fields.ts';
import { decodeOutputItem } from './decode-output-item.ts';
import { gatewayErrorFromResponsesFailure } from './map-error.ts';
import { decodeResponsesFinishReason } from './map-finish-reason.ts';
import { decodeResponsesUsage } from './map-usage.ts';

export function decodeResponsesResponse(body: unknown): CanonicalResponse {
  if (!isRecord(body) || !Array.isArray(body.output)) {
    throw new GatewayError({ status: 502, code: 'upstream_error', message: 'upstream returned a malformed Responses body' });
  }
  if (body.status === 'failed') throw gatewayErrorFromResponsesFailure(body.error);
  const content: AssistantContentPart[] = [];
  try {
    for (const item of body.output) content.push(...decodeOutputItem(item));
  } catch (error) {
    // A malformed item is the upstream's fault, not the client's.
    if (error instanceof GatewayError) {
      throw new GatewayError({ status: 502, code: 'upstream_error', message: `upstream returned a malformed output item: ${error.message}` });
    }
    throw error;
  }
  const hasToolCalls = content.some((part) => part.type === 'tool-call');
  return {
    id: typeof body.id === 'string' ? body.id : '',
    model: typeof body.model === 'string' ? body.model : '',
    created: typeof body.created_at === 'number' ? body.created_at : Math.floor(Date.now() / 1000),
    content,
    finishReason: decodeResponsesFinishReason(body.status, body.incomplete_details, hasToolCalls),
    usage: decodeResponsesUsage(body.usage),
  };
}
