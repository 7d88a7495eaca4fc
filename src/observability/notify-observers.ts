import type { Logger } from './logger.ts';
import type { RequestFinishedEvent, RequestObserver } from './request-events.ts';

/** Hands a finished request to every observer; one failing observer neither stops the others nor the gateway. */
export function notifyObservers(observers: readonly RequestObserver[], event: RequestFinishedEvent, logger: Logger): void {
  for (const observer of observers) {
    try {
      observer.requestFinished(event);
    } catch (error) {
      logger.error({ err: error, requestId: event.requestId }, 'a request observer failed');
    }
  }
}
