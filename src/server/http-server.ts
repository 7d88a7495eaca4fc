import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { geminiCodec } from '../dialects/gemini/index.ts';
import { newRequestId } from './request-id.ts';
import { openaiChatCodec } from '../dialects/openai-chat/index.ts';
import type { GatewayRuntime } from '../gateway/runtime.ts';
import { sendGatewayError } from '../gateway/send-error.ts';
import type { ClientCodec } from '../ir/codec.ts';
import { GatewayError } from '../ir/gateway-error.ts';
import { sendJson, type HttpContext } from './http-context.ts';
import { matchRoute } from './route-table.ts';

// Required, not imported: an ES import of a builtin builds its namespace from every export, and
// node:http's `WebSocket`, `CloseEvent` and `MessageEvent` getters load Node's own fetch and
// WebSocket bundle, which the gateway never uses and would keep for its whole life (2 MB of heap
// and 12 MB of RSS in a bare process; 1.5–2.5 MB of the gateway's idle RSS).
const { createServer } = createRequire(import.meta.url)('node:http') as typeof import('node:http');

const EMPTY_QUERY = new URLSearchParams();

/** Errors of unknown paths in Gemini's URL space are rendered for Gemini clients, whose SDK only reads Google's shape. */
function fallbackErrorCodec(pathname: string): ClientCodec {
  if (pathname.startsWith('/v1beta/') || (pathname.startsWith('/v1/models/') && pathname.includes(':'))) return geminiCodec;
  return openaiChatCodec;
}

function notFound(method: string, pathname: string): GatewayError {
  return new GatewayError({ status: 404, code: 'not_found', message: `no route for ${method} ${pathname}`, retryable: false });
}

/**
 * The HTTP front: plain node:http (measured faster than frameworks here), one route lookup, client
 * authentication, then the route handler. Every failure becomes an error in the route's dialect;
 * nothing a client sends can crash the process.
 */
export function createGatewayServer(runtime: GatewayRuntime): Server {
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0, headersTimeout: 60_000 }, (req, res) => {
    void handle(runtime, req, res);
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
  });
  return server;
}

async function handle(runtime: GatewayRuntime, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const receivedAt = performance.now();
  runtime.lastRequestAt = receivedAt;
  const receivedAtEpoch = Date.now();
  const requestId = newRequestId(receivedAtEpoch);
  const url = req.url ?? '/';
  const queryStart = url.indexOf('?');
  const pathname = queryStart === -1 ? url : url.slice(0, queryStart);
  const query = queryStart === -1 ? EMPTY_QUERY : new URLSearchParams(url.slice(queryStart + 1));
  const method = req.method ?? 'GET';
  const matched = matchRoute(method, pathname);
  const snapshot = runtime.snapshot;
  const codec = matched?.route.codec ?? fallbackErrorCodec(pathname);
  try {
    if (!matched) throw notFound(method, pathname);
    if (matched.route.management) {
      const denial = await runtime.managementAuth.authorize(req, snapshot.config.remoteManagement);
      if (denial === 'not-found') throw notFound(method, pathname);
      if (denial) {
        sendJson({ res, requestId }, denial.status, { error: denial.error });
        return;
      }
    }
    const clientKey = matched.route.public || matched.route.management ? '' : snapshot.authenticator.authenticate(req, query);
    const context: HttpContext = {
      req,
      res,
      pathname,
      query,
      params: matched.params,
      runtime,
      snapshot,
      requestId,
      receivedAt,
      receivedAtEpoch,
      clientKey,
      errorCodec: codec,
    };
    await matched.route.handler(context);
  } catch (error) {
    if (res.destroyed) return;
    if (error instanceof GatewayError) {
      sendGatewayError(res, codec, error, requestId);
      return;
    }
    runtime.logger.error({ err: error, requestId, path: pathname }, 'unhandled error while serving a request');
    sendGatewayError(
      res,
      codec,
      new GatewayError({ status: 500, code: 'internal_error', message: `internal error (request ${requestId})`, retryable: false }),
      requestId,
    );
  }
}
