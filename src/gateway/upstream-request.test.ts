import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../config/load-config.ts';
import { GatewayError } from '../ir/gateway-error.ts';
import { ModelRegistry } from '../routing/model-registry.ts';
import { UpstreamDispatchers } from '../transport/upstream-dispatchers.ts';
import { sendBufferedUpstreamRequest, sendStreamingUpstreamRequest, type StreamingUpstreamResponse, type UpstreamCall } from './upstream-request.ts';

let server: Server;
let baseUrl: string;
const dispatchers = new UpstreamDispatchers();
const closedSockets: string[] = [];
/** The big answer's writer: bytes written so far, and whether it waits for the reader to drain. */
const bigWriter = { written: 0, waiting: false };
const BIG_CHUNK = Buffer.alloc(64 * 1024, 'a');
const BIG_TOTAL = 32 * 1024 * 1024;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/v1/chat/completions' && req.headers.authorization === 'Bearer up-key') {
        res.writeHead(200, { 'content-type': 'application/json', 'x-upstream': 'yes' });
        res.write('{"id":"a",');
        res.end('"object":"chat.completion"}');
      } else if (req.url === '/cut/chat/completions') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"id":', () => res.destroy());
      } else if (req.url === '/sse/chat/completions') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: 1\n\n');
        setTimeout(() => res.write('data: 2\n\n'), 10);
        setTimeout(() => res.end('data: [DONE]\n\n'), 20);
      } else if (req.url === '/limited/chat/completions') {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' });
        res.end('{"error":{"message":"slow down"}}');
      } else if (req.url === '/cutsse/chat/completions') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: 1\n\n', () => res.destroy());
      } else if (req.url === '/endless/chat/completions') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const timer = setInterval(() => res.write('data: more\n\n'), 5);
        req.socket.once('close', () => {
          clearInterval(timer);
          closedSockets.push('endless');
        });
      } else if (req.url === '/big/chat/completions') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const writeMore = () => {
          bigWriter.waiting = false;
          while (bigWriter.written < BIG_TOTAL) {
            bigWriter.written += BIG_CHUNK.length;
            if (!res.write(BIG_CHUNK)) {
              bigWriter.waiting = true;
              res.once('drain', writeMore);
              return;
            }
          }
          res.end();
        };
        writeMore();
      } else if (req.url === '/hang/chat/completions') {
        req.socket.once('close', () => closedSockets.push('hang'));
      } else {
        res.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await dispatchers.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function callTo(base: string, signal = new AbortController().signal): UpstreamCall {
  const config = parseConfigText(`openai-compatibility:\n  - name: up\n    base-url: ${base}\n    api-key-entries: [{api-key: up-key}]\n    models: [{name: m}]\n`, 'c.yaml', {});
  const target = new ModelRegistry(config.credentials, { forceModelPrefix: false }).resolve('m')![0]!;
  return { target, endpoint: { model: 'm', stream: false, operation: 'generate' }, body: '{"model":"m"}', signal, timeouts: config.upstreamTimeouts };
}

describe('sendBufferedUpstreamRequest', () => {
  it('returns the status, headers and the whole body as sent', async () => {
    const response = await sendBufferedUpstreamRequest(dispatchers, undefined, callTo(`${baseUrl}/v1`));
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-upstream']).toBe('yes');
    expect(response.body.toString('utf8')).toBe('{"id":"a","object":"chat.completion"}');
  });

  it('reports an answer broken off mid-body as a retryable 502', async () => {
    const error = await sendBufferedUpstreamRequest(dispatchers, undefined, callTo(`${baseUrl}/cut`)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 502, code: 'upstream_unavailable', retryable: true });
    expect((error as GatewayError).message).toMatch(/^up broke off its answer/);
  });

  it('reports a refused connection as a retryable 502', async () => {
    const refused = createServer();
    await new Promise<void>((resolve) => refused.listen(0, '127.0.0.1', resolve));
    const port = (refused.address() as AddressInfo).port;
    await new Promise((resolve) => refused.close(resolve));
    const error = await sendBufferedUpstreamRequest(dispatchers, undefined, callTo(`http://127.0.0.1:${port}/v1`)).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 502, code: 'upstream_unavailable', retryable: true });
    expect((error as GatewayError).message).toMatch(/^cannot reach up/);
  });

  it('aborts the upstream request when the signal fires', async () => {
    const controller = new AbortController();
    const pending = sendBufferedUpstreamRequest(dispatchers, undefined, callTo(`${baseUrl}/hang`, controller.signal));
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort(new Error('client went away'));
    await expect(pending).rejects.toThrow('client went away');
    await expect.poll(() => closedSockets).toContain('hang');
  });
});

describe('sendStreamingUpstreamRequest', () => {
  const streamCall = (path: string, signal?: AbortSignal): UpstreamCall => {
    const call = callTo(`${baseUrl}/${path}`, signal);
    return { ...call, endpoint: { ...call.endpoint, stream: true } };
  };
  const streamed = async (path: string, signal?: AbortSignal): Promise<StreamingUpstreamResponse> => {
    const response = await sendStreamingUpstreamRequest(dispatchers, undefined, streamCall(path, signal));
    if (Buffer.isBuffer(response.body)) throw new Error(`expected a stream, got status ${response.statusCode}`);
    return response as StreamingUpstreamResponse;
  };
  const readAll = async (body: NodeJS.ReadableStream): Promise<string> => {
    let text = '';
    for await (const chunk of body) text += (chunk as Buffer).toString('utf8');
    return text;
  };

  it('gives the status and headers at once and the body as it arrives', async () => {
    const response = await streamed('sse');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/event-stream');
    expect(await readAll(response.body)).toBe('data: 1\n\ndata: 2\n\ndata: [DONE]\n\n');
  });

  it('reads an error status whole, as its body is the error', async () => {
    const response = await sendStreamingUpstreamRequest(dispatchers, undefined, streamCall('limited'));
    expect(response.statusCode).toBe(429);
    expect(response.headers['retry-after']).toBe('7');
    expect(Buffer.isBuffer(response.body) && response.body.toString('utf8')).toBe('{"error":{"message":"slow down"}}');
  });

  it('fails the body, not the call, when the upstream breaks off after answering', async () => {
    const response = await streamed('cutsse');
    await expect(readAll(response.body)).rejects.toThrow();
  });

  it('stops reading the upstream while the reader does not read, and delivers everything after', async () => {
    bigWriter.written = 0;
    const response = await streamed('big');
    response.body.pause();
    await expect.poll(() => bigWriter.waiting).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Still waiting: the answer sits in socket buffers, not in the gateway's memory.
    expect(bigWriter.waiting).toBe(true);
    expect(bigWriter.written).toBeLessThan(BIG_TOTAL);
    let received = 0;
    for await (const chunk of response.body) received += (chunk as Buffer).length;
    expect(received).toBe(BIG_TOTAL);
  });

  it('closes the upstream connection when the body is abandoned', async () => {
    const response = await streamed('endless');
    await new Promise((resolve) => response.body.once('data', resolve));
    response.body.destroy();
    await expect.poll(() => closedSockets).toContain('endless');
  });

  it('aborts the upstream request when the signal fires', async () => {
    const controller = new AbortController();
    const response = await streamed('endless', controller.signal);
    closedSockets.length = 0;
    const failed = new Promise((resolve) => response.body.once('error', resolve));
    controller.abort(new Error('client went away'));
    expect(await failed).toMatchObject({ message: 'client went away' });
    await expect.poll(() => closedSockets).toContain('endless');
  });
});
