import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startMockUpstream, type MockUpstream } from '../mock-upstream/index.ts';
import { runGatewayCli, startGatewayProcess } from '../support/start-gateway.ts';

let mock: MockUpstream;
let dir: string;

const mockProviderConfig = () =>
  `port: 0\nhost: 127.0.0.1\nopenai-compatibility:\n  - name: mockai\n    base-url: ${mock.url}/v1\n    api-key-entries: [{api-key: test-a}]\n    models: [{name: gpt-4o-mini}]\n`;

interface LoadedModules {
  pid: number;
  builtins: string[];
  commonJs: string[];
}

/** The environment that has a gateway write, when it exits, what it loaded to `file` (test/support/write-loaded-modules-on-exit.js). */
function recordLoadedModules(file: string): NodeJS.ProcessEnv {
  const preload = new URL('../support/write-loaded-modules-on-exit.js', import.meta.url).href;
  return { NODE_OPTIONS: `--import=${preload}`, SWITCHYARD_TEST_LOADED_MODULES: file };
}

async function expectChatAnswered(url: string, body: Record<string, unknown>): Promise<void> {
  const response = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.statusCode).toBe(200);
  await response.body.text();
}

beforeAll(async () => {
  mock = await startMockUpstream();
  dir = await mkdtemp(join(tmpdir(), 'switchyard-cli-'));
});
afterAll(async () => {
  await mock.close();
  await rm(dir, { recursive: true, force: true });
});

describe('switchyard CLI', () => {
  it('refuses an invalid config with the file, line, key and reason, and a non-zero exit', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'port: 0\nclaude-api-key:\n  - api-key: sk-1\n    priority: high\n');
    const result = await runGatewayCli(['--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}:4:15: claude-api-key[0].priority:`);
    expect(result.stdout).not.toContain('listening');
  });

  it('names a missing config file', async () => {
    const result = await runGatewayCli(['--config', join(dir, 'missing.yaml')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/missing\.yaml: cannot read the config file \(ENOENT\)/);
  });

  it('rejects unknown flags with the usage text', async () => {
    const result = await runGatewayCli(['--nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: switchyard');
  });

  it('without --config or ./config.yaml, writes a commented default config to the data dir, says so, and serves env providers', async () => {
    const home = join(dir, 'home');
    const cwd = await mkdtemp(join(tmpdir(), 'switchyard-cwd-'));
    // The default config listens on 8317, the port CLIProxyAPI clients expect. A first start after
    // an install also meets a cold compile cache, and restarts: the notice must survive that.
    const gatewayProcess = spawn(process.execPath, [fileURLToPath(new URL('../../bin/switchyard.js', import.meta.url))], {
      cwd,
      env: {
        ...process.env,
        NODE_COMPILE_CACHE: join(dir, 'first-start-compile-cache'),
        SWITCHYARD_HOME: home,
        OPENAI_API_KEY: 'test-env',
        OPENAI_BASE_URL: `${mock.url}/v1`,
        ANTHROPIC_API_KEY: '',
        GEMINI_API_KEY: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    gatewayProcess.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
    gatewayProcess.stderr.setEncoding('utf8').on('data', (text: string) => (output += text));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(output)), 10_000);
        gatewayProcess.stdout.on('data', () => {
          const match = /listening on (\S+)/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        });
        gatewayProcess.once('exit', () => reject(new Error(`exited: ${output}`)));
      });
      expect(output).toContain('restarting without the TypeScript stripper');
      // The logger writes asynchronously, so the notice may follow the listening line.
      await vi.waitFor(() => expect(output).toContain('no config found: wrote a commented default config'), { timeout: 5_000 });
      const written = readFileSync(join(home, 'config.yaml'), 'utf8');
      expect(written).toMatch(/^# Switchyard configuration/);
      expect(written).toContain('port: 8317');
      const response = await request(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'from env' }] }),
      });
      const body = (await response.body.json()) as { choices: Array<{ message: { content: string } }> };
      expect(response.statusCode).toBe(200);
      expect(body.choices[0]!.message.content).toBe('echo: from env');
      expect(mock.requests.at(-1)!.headers.authorization).toBe('Bearer test-env');
    } finally {
      gatewayProcess.kill('SIGTERM');
      await rm(cwd, { recursive: true, force: true });
    }
  });

  it("serves a chat request without loading Node's own fetch and WebSocket bundle, or undici's index", async () => {
    const loadedFile = join(dir, 'loaded-modules.json');
    const gateway = await startGatewayProcess(mockProviderConfig(), { env: recordLoadedModules(loadedFile) });
    try {
      await expectChatAnswered(gateway.url, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true });
    } finally {
      await gateway.stop();
    }
    const loaded = JSON.parse(readFileSync(loadedFile, 'utf8')) as LoadedModules;
    expect(loaded.builtins).toContain('NativeModule http');
    expect(loaded.builtins.filter((name) => name.includes('deps/undici'))).toEqual([]);
    expect(loaded.commonJs.some((file) => file.endsWith(join('undici', 'lib', 'dispatcher', 'pool.js')))).toBe(true);
    expect(loaded.commonJs.filter((file) => file.endsWith(join('undici', 'index.js')))).toEqual([]);
  });

  it('on a cold compile cache, compiles the sources, restarts once without the TypeScript stripper, and starts warm after', async () => {
    const loadedFile = join(dir, 'loaded-after-restart.json');
    const env = { NODE_COMPILE_CACHE: join(dir, 'compile-cache'), ...recordLoadedModules(loadedFile) };
    const restartLine = /restarting without the TypeScript stripper/g;
    for (const start of ['cold', 'warm']) {
      const gateway = await startGatewayProcess(mockProviderConfig(), { env });
      try {
        await expectChatAnswered(gateway.url, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: start }] });
        expect(gateway.output().match(restartLine)?.length ?? 0).toBe(start === 'cold' ? 1 : 0);
      } finally {
        await gateway.stop();
      }
      // The restart replaced the process image: the process that served and exited is the one
      // spawned (same PID), it exited once and cleanly, and it never loaded the stripper.
      const loaded = JSON.parse(readFileSync(loadedFile, 'utf8')) as LoadedModules;
      expect(loaded.pid).toBe(gateway.process.pid);
      expect(gateway.process.exitCode).toBe(0);
      expect(loaded.builtins.filter((name) => name.includes('amaro'))).toEqual([]);
    }
  });

  it('fills the whole compile cache with `--version` (as an image build would), so that the next start does not restart', async () => {
    const env = { NODE_COMPILE_CACHE: join(dir, 'version-filled-cache') };
    const version = await runGatewayCli(['--version'], { env });
    expect(version.code).toBe(0);
    expect(version.stderr).not.toContain('restarting');
    const gateway = await startGatewayProcess('port: 0\nhost: 127.0.0.1\n', { env });
    try {
      expect(gateway.output()).not.toContain('restarting without the TypeScript stripper');
    } finally {
      await gateway.stop();
    }
  });

  it('starts from a config file, prints one listening line, serves GET / without auth and stops on SIGTERM', async () => {
    const gateway = await startGatewayProcess(`port: 0\nhost: 127.0.0.1\napi-keys: [sk-client]\n`);
    try {
      const lines = gateway.output().split('\n').filter((line) => line.includes('listening'));
      expect(lines).toEqual([`switchyard listening on ${gateway.url}`]);
      const root = await request(`${gateway.url}/`);
      expect(root.statusCode).toBe(200);
      const info = (await root.body.json()) as { endpoints: string[] };
      expect(info.endpoints).toContain('POST /v1/messages');
      const health = await request(`${gateway.url}/healthz`);
      expect(await health.body.json()).toEqual({ status: 'ok' });
    } finally {
      await gateway.stop();
    }
    expect(gateway.process.exitCode).toBe(0);
    expect(existsSync(gateway.dir)).toBe(false);
  });
});
