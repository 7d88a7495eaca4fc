import type { IncomingHttpHeaders } from 'node:http';
import type { UsageRecord } from '../usage/usage-record.ts';

/** One upstream attempt of a request, as the request log files show it. */
export interface AttemptTrace {
  record: UsageRecord;
  /** Upstream URL (never with a key in it). */
  upstreamUrl: string;
  /** The body sent upstream. */
  upstreamRequestBody: string | Buffer;
  /** The upstream's error answer, when the attempt failed before the first byte. */
  upstreamErrorBody?: string;
}

/**
 * A finished client request, handed to observers (usage recorder, metrics, request/error log
 * files) after the response ended. Observers must not block: heavy work is queued off the event
 * loop turn that delivers the event.
 */
export interface RequestFinishedEvent {
  requestId: string;
  /** Epoch ms when the request arrived. */
  receivedAt: number;
  method: string;
  /** Path and query as the client sent them (client keys in `?key=` are masked). */
  url: string;
  /** Client headers (observers mask secrets before writing them anywhere). */
  headers: IncomingHttpHeaders;
  requestBody: Buffer;
  /** Status the client got. */
  status: number;
  /**
   * The answer the client got, when it was a plain (non-streamed) body or an error; a success
   * stays the bytes that were sent, decoded only by an observer that writes it out.
   */
  responseBody?: string | Buffer;
  attempts: AttemptTrace[];
}

export interface RequestObserver {
  requestFinished(event: RequestFinishedEvent): void;
}
