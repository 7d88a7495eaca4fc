import { sendJson, type HttpContext } from '../http-context.ts';

const ENDPOINTS = [
  'POST /v1/chat/completions',
  'POST /v1/completions',
  'POST /v1/responses',
  'POST /v1/responses/compact',
  'POST /v1/messages',
  'POST /v1/messages/count_tokens',
  'GET /v1/models',
  'POST /v1beta/models/{model}:generateContent',
  'POST /v1beta/models/{model}:streamGenerateContent',
  'POST /v1beta/models/{model}:countTokens',
  'POST /v1beta/models/{model}:embedContent',
  'GET /v1beta/models',
];

/** `GET /`: unauthenticated service info; launchers (CCS) use it as the liveness check. */
export function serviceInfoRoute(context: HttpContext): void {
  sendJson(context, 200, { message: 'Switchyard API gateway', service: 'switchyard', endpoints: ENDPOINTS });
}

export function healthRoute(context: HttpContext): void {
  sendJson(context, 200, { status: 'ok' });
}
