import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate, zstdDecompress } from 'node:zlib';

/** A request exactly as the agent sent it to the gateway. */
export interface ClientRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
}

export interface RecordingProxy {
  url: string;
  requests: ClientRequest[];
  /** Error answers of the gateway and repeated (retried) requests, as readable lines. */
  problems: string[];
  close(): Promise<void>;
}

const DECODERS: Record<string, (data: Buffer) => Promise<Buffer>> = {
  gzip: promisify(gunzip),
  deflate: promisify(inflate),
  br: promisify(brotliDecompress),
  zstd: promisify(zstdDecompress),
};

/**
 * A transparent HTTP proxy between an agent and the gateway that records what the agent sent,
 * so a test can compare it with what reached the upstream. Answers are piped through unchanged
 * (streams included). It also reports, through `onProblem`, what makes an agent back off and
 * retry for minutes (an error answer, or the same request sent again after an unusable answer),
 * so a test can stop the agent at once.
 */
export async function startRecordingProxy(target: string, onProblem: (problem: string) => void = () => {}): Promise<RecordingProxy> {
  const targetUrl = new URL(target);
  const requests: ClientRequest[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const report = (problem: string) => {
    problems.push(problem);
    onProblem(problem);
  };

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://proxy');
    const where = `${req.method} ${req.url}`;
    const fingerprint = `${where}\n${raw.toString('latin1')}`;
    const earlier = seen.get(fingerprint);
    if (earlier !== undefined) report(`the agent sent request #${earlier} again as #${requests.length + 1} (${where}): a retry`);
    else seen.set(fingerprint, requests.length + 1);
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: await decodeBody(raw, req.headers['content-encoding']),
    });
    const upstream = request(
      { host: targetUrl.hostname, port: targetUrl.port, method: req.method, path: req.url, headers: { ...req.headers, host: targetUrl.host } },
      (answer) => {
        const status = answer.statusCode ?? 502;
        res.writeHead(status, answer.headers);
        if (status >= 400) {
          const body: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => body.push(chunk));
          answer.on('end', () => report(`the gateway answered ${status} to ${where}: ${Buffer.concat(body).toString('utf8').slice(0, 2000)}`));
        }
        answer.pipe(res);
      },
    );
    let agentLeft = false;
    upstream.on('error', (err) => {
      if (agentLeft) return;
      report(`the gateway connection failed for ${where}: ${err.message}`);
      if (res.headersSent) res.destroy();
      else res.writeHead(502, { 'content-type': 'text/plain' }).end(`recording proxy: ${err.message}`);
    });
    res.on('close', () => {
      if (res.writableFinished) return;
      agentLeft = true;
      upstream.destroy();
    });
    upstream.end(raw);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    problems,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function decodeBody(raw: Buffer, encoding: string | undefined): Promise<unknown> {
  if (raw.length === 0) return undefined;
  const decode = encoding ? DECODERS[encoding.trim().toLowerCase()] : undefined;
  const text = (decode ? await decode(raw) : raw).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
