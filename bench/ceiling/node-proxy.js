import { createRequire } from 'node:module';

// Both required as the gateway requires them: node:http not imported, since an ES import runs its
// WebSocket getters, which load Node's own fetch and WebSocket bundle (src/server/http-server.ts);
// undici's Pool and its `request()` from their own files, not from the index, which loads all of
// undici (src/transport/upstream-dispatchers.ts). The index is also what adds `request()` to every
// dispatcher, so it is called here with the pool as `this`.
const require = createRequire(import.meta.url);
/** @type {typeof import('node:http')} */
const { createServer } = require('node:http');
/** @type {typeof import('undici').Pool} */
const Pool = require('undici/lib/dispatcher/pool.js');
/** @type {import('undici').Dispatcher['request']} */
const undiciRequest = require('undici/lib/api/api-request.js');

/**
 * The Node ceiling: the least a Node gateway on node:http and undici must do per request (read
 * the client's body, send it upstream on a pooled keep-alive connection, stream the answer
 * back). No routing, no auth, no parsing, no accounting. Measured in the same run as Switchyard,
 * it shows how much of Switchyard's cost is Node's own and what no Node gateway can go below.
 *
 * Plain JavaScript, so that Node never loads its TypeScript stripper for it (about 15 MB of RSS a
 * Node gateway does not need).
 *
 * Usage: node bench/ceiling/node-proxy.js UPSTREAM_URL — prints its URL and serves until killed.
 */
const upstream = process.argv[2];
if (!upstream) {
  console.error('usage: node bench/ceiling/node-proxy.js UPSTREAM_URL');
  process.exit(2);
}
const pool = new Pool(upstream, { connections: 64, pipelining: 1 });
/** Hop-by-hop headers a proxy must not forward (RFC 9110 section 7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host', 'te', 'trailer']);

/** @param {import('node:http').IncomingHttpHeaders} headers */
function forwardedHeaders(headers) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
async function proxy(req, res) {
  /** @type {Buffer[]} */
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const answer = await undiciRequest.call(pool, {
    method: /** @type {'POST'} */ (req.method),
    path: req.url ?? '/',
    headers: forwardedHeaders(req.headers),
    body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks),
  });
  /** @type {Record<string, string | string[]>} */
  const headers = {};
  for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
  res.writeHead(answer.statusCode, headers);
  for await (const chunk of answer.body) res.write(chunk);
  res.end();
}

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  proxy(req, res).catch((error) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(String(error));
  });
});
server.listen(0, '127.0.0.1', () => {
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  console.log(`http://127.0.0.1:${port}`);
});
