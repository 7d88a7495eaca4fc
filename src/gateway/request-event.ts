import type { AttemptTrace, RequestFinishedEvent } from '../observability/request-events.ts';
import type { GenerationContext } from './generation-context.ts';
import type { SentAnswer } from './send-error.ts';

/** The request-finished event of a generation request, once its answer was written. */
export function requestFinishedEvent(context: GenerationContext, answer: SentAnswer | undefined, attempts: AttemptTrace[]): RequestFinishedEvent {
  return {
    requestId: context.requestId,
    receivedAt: context.receivedAtEpoch,
    method: context.req.method ?? 'POST',
    url: context.req.url ?? context.pathname,
    headers: context.req.headers,
    requestBody: context.rawBody,
    // No answer written: the client went away first (nginx's 499).
    status: answer?.status ?? (context.res.headersSent ? context.res.statusCode : 499),
    ...(answer?.body ? { responseBody: answer.body } : {}),
    attempts,
  };
}
