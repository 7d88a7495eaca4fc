import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBenchProcess, type BenchProcess } from './bench-process.ts';
import { MOCK_UPSTREAM_KEY } from './start-mock.ts';

const OWN_BIN = fileURLToPath(new URL('../bin/switchyard.js', import.meta.url));

/** The key the load generator presents to Switchyard. */
export const GATEWAY_CLIENT_KEY = 'sk-switchyard-bench-client';

/** Model names clients ask Switchyard for; each is an alias of one upstream entry on the mock. */
export const BENCH_MODELS = {
  openai: 'bench-gpt',
  anthropic: 'bench-claude',
} as const;

/** A config as a user writes it: client keys, an OpenAI-compatible provider and a Claude key, both on the mock. */
function gatewayConfig(mockUrl: string): string {
  return `host: "127.0.0.1"
port: 0
api-keys:
  - "sk-switchyard-other-client"
  - "${GATEWAY_CLIENT_KEY}"
debug: false
request-retry: 3
routing:
  strategy: round-robin
openai-compatibility:
  - name: mock-openai
    base-url: ${mockUrl}/v1
    api-key-entries:
      - api-key: "${MOCK_UPSTREAM_KEY}"
    models:
      - name: gpt-4o-mini
        alias: ${BENCH_MODELS.openai}
claude-api-key:
  - api-key: "${MOCK_UPSTREAM_KEY}"
    base-url: ${mockUrl}
    models:
      - name: claude-sonnet-4-5
        alias: ${BENCH_MODELS.anthropic}
`;
}

export interface BenchGateway {
  url: string;
  process: BenchProcess;
}

/** Starts Switchyard through its CLI, as a user does, with a generated config in `dir`. */
export async function startBenchGateway(options: { mockUrl: string; dir: string; cpu?: number; cpuProfileDir?: string; bin?: string }): Promise<BenchGateway> {
  await mkdir(options.dir, { recursive: true });
  const configPath = join(options.dir, 'config.yaml');
  await writeFile(configPath, gatewayConfig(options.mockUrl));
  const nodeFlags = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  const started = await startBenchProcess('switchyard', process.execPath, {
    args: [...nodeFlags, options.bin ?? OWN_BIN, '--config', configPath],
    cwd: options.dir,
    env: { ...process.env, SWITCHYARD_HOME: options.dir },
    cpu: options.cpu,
    ready: /switchyard listening on (http:\/\/\S+)/,
  });
  return { url: started.match![1]!, process: started.process };
}
