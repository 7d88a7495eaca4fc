import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../config/load-config.ts';
import { GatewayError } from '../ir/gateway-error.ts';
import { ModelRegistry } from '../routing/model-registry.ts';
import { UpstreamDispatchers } from '../transport/upstream-dispatchers.ts';
import { sendBufferedUpstreamRequest, type UpstreamCall } from './upstream-request.ts';

let server: Server;
let baseUrl: string;
const dispatchers = new UpstreamDispatchers();
const closedSockets: string[] = [];

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
