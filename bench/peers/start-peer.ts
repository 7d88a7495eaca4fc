import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startBenchProcess, type BenchProcess } from '../bench-process.ts';
import { benchTargets, type RequestSpec } from '../bench-targets.ts';
import { freeLoopbackPort } from '../free-port.ts';
import { MOCK_UPSTREAM_KEY } from '../start-mock.ts';
import { BENCH_PEER_PACKAGES, benchPeerPackageDir, type PeerName } from './install-peers.ts';

export type PeerClientDialect = 'openai-chat' | 'anthropic-messages';

export interface BenchPeer {
  url: string;
  process: BenchProcess;
  /** What the load generator sends to the peer: the bench's usual chat request, with `text` as the user turn. */
  request: (stream: boolean, text: string) => RequestSpec;
  label: string;
  clientDialect: PeerClientDialect;
}

/** The upstream model the mock is asked for, as in the direct row. */
const MOCK_MODEL = 'gpt-4o-mini';
/** What Claude Code sends; CCR's router maps it to the mock's model, as it does for its users. */
const CCR_CLIENT_MODEL = 'claude-sonnet-4-5';
const READY_TIMEOUT_MS = 30_000;

type ChatBody = { model: string; messages: { role: string; content: string }[] };

/**
 * The direct rows' bodies (system prompt, `max_tokens`, temperature, stream options), taken from
 * bench-targets.ts so that peers get exactly what every other target gets.
 */
function directBody(id: 'direct' | 'direct-anthropic', stream: boolean): ChatBody {
  const [target] = benchTargets({ mock: 'http://127.0.0.1' }, { chunks: 1, delayMs: 0 }, [id]);
  return JSON.parse((stream ? target!.streamRequest : target!.request).body) as ChatBody;
}

function withText(body: ChatBody, text: string, model: string): string {
  const messages = body.messages.map((message, index) => (index === body.messages.length - 1 ? { ...message, content: text } : message));
  return JSON.stringify({ ...body, model, messages });
}

/** Only what the peer needs, and a home of its own: nothing of the user's shell or home leaks in. */
async function isolatedEnv(dir: string, extra: Record<string, string> = {}): Promise<NodeJS.ProcessEnv> {
  const tmp = join(dir, 'tmp');
  await mkdir(tmp, { recursive: true });
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, TMPDIR: tmp, XDG_CONFIG_HOME: join(dir, '.config'), XDG_CACHE_HOME: join(dir, '.cache'), ...extra };
}

interface PeerLaunch {
  args: string[];
  env: NodeJS.ProcessEnv;
  request: BenchPeer['request'];
  label: string;
  clientDialect: PeerClientDialect;
}

/**
 * Portkey takes its upstream per request: provider `openai` with a custom host on the mock
 * (loopback hosts are trusted by default). `--headless` and production mode drop the log UI.
 */
async function portkeyLaunch(url: string, port: number, mockUrl: string, dir: string): Promise<PeerLaunch> {
  const bodies = { plain: directBody('direct', false), stream: directBody('direct', true) };
  return {
    args: [join(benchPeerPackageDir('portkey'), 'build', 'start-server.js'), `--port=${port}`, '--headless'],
    env: await isolatedEnv(dir, { NODE_ENV: 'production' }),
    request: (stream, text) => ({
      origin: url,
      path: '/v1/chat/completions',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${MOCK_UPSTREAM_KEY}`,
        'x-portkey-provider': 'openai',
        'x-portkey-custom-host': `${mockUrl}/v1`,
      },
      body: withText(stream ? bodies.stream : bodies.plain, text, MOCK_MODEL),
    }),
    label: `Portkey OSS ${BENCH_PEER_PACKAGES.portkey.version} OpenAI → OpenAI (custom host)`,
    clientDialect: 'openai-chat',
  };
}

/**
 * CCR reads `~/.claude-code-router/config.json` (HOME is `dir`); `LOG: false` turns its pino
 * request log off. Without `APIKEY` it binds 127.0.0.1 and asks clients for no key.
 */
async function claudeCodeRouterLaunch(url: string, port: number, mockUrl: string, dir: string): Promise<PeerLaunch> {
  const configDir = join(dir, '.claude-code-router');
  await mkdir(configDir, { recursive: true });
  const config = {
    LOG: false,
    HOST: '127.0.0.1',
    PORT: port,
    Providers: [{ name: 'mock', api_base_url: `${mockUrl}/v1/chat/completions`, api_key: MOCK_UPSTREAM_KEY, models: [MOCK_MODEL] }],
    Router: { default: `mock,${MOCK_MODEL}` },
  };
  await writeFile(join(configDir, 'config.json'), JSON.stringify(config, null, 2));
  const bodies = { plain: directBody('direct-anthropic', false), stream: directBody('direct-anthropic', true) };
  return {
    args: [join(benchPeerPackageDir('claude-code-router'), 'dist', 'cli.js'), 'start'],
    env: await isolatedEnv(dir),
    request: (stream, text) => ({
      origin: url,
      path: '/v1/messages',
      headers: { 'content-type': 'application/json', 'x-api-key': 'unused-by-ccr', 'anthropic-version': '2023-06-01' },
      body: withText(stream ? bodies.stream : bodies.plain, text, CCR_CLIENT_MODEL),
    }),
    label: `claude-code-router ${BENCH_PEER_PACKAGES['claude-code-router'].version} Anthropic → OpenAI`,
    clientDialect: 'anthropic-messages',
  };
}

/** Polls with a real request until the peer answers it through the mock (its port opens before its routes are ready). */
async function waitUntilForwarding(peer: Omit<BenchPeer, 'label' | 'clientDialect'>): Promise<void> {
  const probe = peer.request(false, 'ready?');
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer';
  while (Date.now() < deadline) {
    const { exitCode, signalCode } = peer.process.child;
    if (exitCode !== null || signalCode !== null) throw new Error(`${peer.process.name} exited (${exitCode ?? signalCode}) before it was ready:\n${peer.process.output()}`);
    try {
      const response = await fetch(probe.origin + probe.path, { method: 'POST', headers: probe.headers, body: probe.body, signal: AbortSignal.timeout(2_000) });
      const text = await response.text();
      if (response.status === 200 && text.includes('echo: ready?')) return;
      last = `HTTP ${response.status}: ${text.slice(0, 300)}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${peer.process.name} did not forward to the mock within ${READY_TIMEOUT_MS / 1000} s (last: ${last}):\n${peer.process.output()}`);
}

/**
 * Starts an installed peer (see ensureBenchPeersInstalled) as its own process on a free loopback
 * port, forwarding to the mock, and resolves once a real request has gone through it.
 */
export async function startBenchPeer(name: PeerName, options: { mockUrl: string; dir: string; cpu?: number }): Promise<BenchPeer> {
  await mkdir(options.dir, { recursive: true });
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const launch = name === 'portkey' ? await portkeyLaunch(url, port, options.mockUrl, options.dir) : await claudeCodeRouterLaunch(url, port, options.mockUrl, options.dir);
  const { process: child } = await startBenchProcess(name, process.execPath, { args: launch.args, cwd: options.dir, env: launch.env, cpu: options.cpu });
  const peer = { url, process: child, request: launch.request, label: launch.label, clientDialect: launch.clientDialect };
  try {
    await waitUntilForwarding(peer);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return peer;
}
