import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream } from '../mock-upstream/index.ts';
import { startGatewayProcess, type GatewayProcess } from '../support/start-gateway.ts';

let mock: MockUpstream;
let proxy: Server;
let proxyUrl: string;
const tunnels: string[] = [];
let gateway: GatewayProcess;

beforeAll(async () => {
  mock = await startMockUpstream();
  // A minimal forward proxy that records where it sent traffic: absolute-form requests (plain
  // http targets) are relayed, CONNECT requests (https targets) are tunnelled.
  proxy = createServer((req, res) => {
    const target = new URL(req.url ?? '');
    tunnels.push(target.host);
    const forwarded = httpRequest(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  proxy.on('connect', (req, clientSocket, head) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(clientSocket);
      clientSocket.pipe(upstream);
    });
    upstream.on('error', () => clientSocket.destroy());
    clientSocket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  gateway = await startGatewayProcess(`port: 0
host: 127.0.0.1
api-keys: [sk-client]
claude-api-key:
  - api-key: test-claude
    base-url: ${mock.url}
    proxy-url: ${proxyUrl}
    models: [{name: claude-sonnet-4-5, alias: proxied}]
gemini-api-key:
  - api-key: test-gemini
    base-url: ${mock.url}
    models: [{name: gemini-2.5-flash, alias: flash}, {name: text-embedding-004, alias: embedder}]
`);
});
afterAll(async () => {
  await gateway.stop();
  await mock.close();
  proxy.closeAllConnections();
  await new Promise((resolve) => proxy.close(resolve));
});

async function post(path: string, body: unknown) {
  const response = await request(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client' },
    body: JSON.stringify(body),
  });
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

describe('upstream transport', () => {
  it("sends a credential's traffic through its proxy-url", async () => {
    const result = await post('/v1/chat/completions', { model: 'proxied', messages: [{ role: 'user', content: 'via proxy' }] });
    expect(result.status).toBe(200);
    expect(JSON.parse(result.text).choices[0].message.content).toBe('echo: via proxy');
    expect(tunnels).toContain(new URL(mock.url).host);
  });

  it('streams a Gemini answer as a JSON array without alt=sse, and as SSE with it', async () => {
    const body = { contents: [{ role: 'user', parts: [{ text: 'array please' }] }] };
    const array = await post('/v1beta/models/flash:streamGenerateContent', body);
    expect(array.status).toBe(200);
    expect(array.headers['content-type']).toContain('application/json');
    const chunks = JSON.parse(array.text) as Array<{ candidates?: Array<{ content: { parts: Array<{ text?: string }> } }> }>;
    const text = chunks.flatMap((chunk) => chunk.candidates?.[0]?.content.parts.map((part) => part.text ?? '') ?? []).join('');
    expect(text).toBe('echo: array please');
    const sse = await post('/v1beta/models/flash:streamGenerateContent?alt=sse', body);
    expect(sse.headers['content-type']).toContain('text/event-stream');
    expect(sse.text.startsWith('data: {')).toBe(true);
  });

  it('forwards Gemini embeddings to a Gemini upstream', async () => {
    const result = await post('/v1beta/models/embedder:embedContent', { content: { parts: [{ text: 'embed me' }] } });
    expect(result.status).toBe(200);
    expect(Array.isArray(JSON.parse(result.text).embedding.values)).toBe(true);
    expect(mock.requests.at(-1)!.path).toBe('/v1beta/models/text-embedding-004:embedContent');
  });

  it('compacts a Responses conversation through a non-OpenAI upstream', async () => {
    const result = await post('/v1/responses/compact', {
      model: 'proxied',
      input: [
        { role: 'user', content: 'first question' },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'first answer' }] },
      ],
      instructions: 'be brief',
    });
    expect(result.status).toBe(200);
    const compacted = JSON.parse(result.text) as { object: string; output: Array<{ type: string; encrypted_content?: string }> };
    expect(compacted.object).toBe('response.compaction');
    const item = compacted.output.find((entry) => entry.type === 'compaction');
    expect(item?.encrypted_content).toMatch(/^switchyard\.compaction\.v1:/);
    expect(mock.requests.at(-1)!.path).toBe('/v1/messages');
  });
});

describe('stream headers', () => {
  let slowUpstream: Server;
  let slowGateway: GatewayProcess;
  const FIRST_CHUNK_AFTER_MS = 600;

  beforeAll(async () => {
    // An OpenAI-compatible upstream that sends its stream's headers at once and its first chunk
    // only later, as a model that thinks before it answers does.
    slowUpstream = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.flushHeaders();
      const chunk = { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'slow-model', choices: [{ index: 0, delta: { role: 'assistant', content: 'late' }, finish_reason: null }] };
      const last = { ...chunk, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } };
      setTimeout(() => res.end(`data: ${JSON.stringify(chunk)}\n\ndata: ${JSON.stringify(last)}\n\ndata: [DONE]\n\n`), FIRST_CHUNK_AFTER_MS);
    });
    await new Promise<void>((resolve) => slowUpstream.listen(0, '127.0.0.1', resolve));
    slowGateway = await startGatewayProcess(`port: 0
host: 127.0.0.1
api-keys: [sk-client]
openai-compatibility:
  - name: slow
    base-url: http://127.0.0.1:${(slowUpstream.address() as AddressInfo).port}/v1
    api-key-entries: [{api-key: test-slow}]
    models: [{name: slow-model, alias: slow}]
`);
  });
  afterAll(async () => {
    await slowGateway.stop();
    slowUpstream.closeAllConnections();
    await new Promise((resolve) => slowUpstream.close(resolve));
  });

  it('reach the client at once when the first chunk is slow to come, and the chunk follows', async () => {
    const started = performance.now();
    const response = await request(`${slowGateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client' },
      body: JSON.stringify({ model: 'slow', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'take your time' }] }),
    });
    const headersAfter = performance.now() - started;
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/event-stream');
    expect(headersAfter).toBeLessThan(FIRST_CHUNK_AFTER_MS / 2);
    const text = await response.body.text();
    expect(performance.now() - started).toBeGreaterThanOrEqual(FIRST_CHUNK_AFTER_MS - 5);
    expect(text).toContain('"content":"late"');
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });
});
