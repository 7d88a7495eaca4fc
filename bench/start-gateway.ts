import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBenchProcess, type BenchProcess } from './bench-process.ts';
import { MOCK_FAILING_KEY, MOCK_UPSTREAM_KEY } from './start-mock.ts';

const OWN_BIN = fileURLToPath(new URL('../bin/switchyard.js', import.meta.url));

/** The key the load generator presents to Switchyard. */
export const GATEWAY_CLIENT_KEY = 'sk-switchyard-bench-client';

/** Model names clients ask Switchyard for; each is an alias of one upstream entry on the mock. */
export const BENCH_MODELS = {
  openai: 'bench-gpt',
  anthropic: 'bench-claude',
  /** Two credentials on the mock: a primary that fails (500) and a healthy fallback. */
  failover: 'bench-failover',
} as const;

/**
 * The failover model: two OpenAI-compatible providers on the mock, the primary (priority 1, so
 * always tried first, whatever the rotation) with the credential the failover prompts make fail.
 * Two providers, as "the primary's provider is down" is: each has its own circuit breaker.
 */
function failoverEntries(mockUrl: string): string {
  const entry = (name: string, priority: number, key: string) => `  - name: ${name}
    priority: ${priority}
    base-url: ${mockUrl}/v1
    api-key-entries:
      - api-key: "${key}"
    models:
      - name: gpt-4o-mini
        alias: ${BENCH_MODELS.failover}
`;
  return entry('mock-primary', 1, MOCK_FAILING_KEY) + entry('mock-fallback', 0, MOCK_UPSTREAM_KEY);
}

/**
 * A config as a user writes it: client keys, an OpenAI-compatible provider and a Claude key, both
 * on the mock, and the failover model with cooldowns and breakers at their defaults. Usage
 * recording is off (it is on by default) unless `settings` turn it on: the proxy rows measure the
 * request path alone, the accounting row what recording adds.
 */
function gatewayConfig(mockUrl: string, settings = 'usage-statistics-enabled: false\n'): string {
  return `${settings}host: "127.0.0.1"
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
${failoverEntries(mockUrl)}claude-api-key:
  - api-key: "${MOCK_UPSTREAM_KEY}"
    base-url: ${mockUrl}
    models:
      - name: claude-sonnet-4-5
        alias: ${BENCH_MODELS.anthropic}
`;
}

/**
 * The failover gateway: only the failover model, with cooldowns off and a breaker that never
 * opens, so that every request tries the failing primary first and pays the failover.
 */
function failoverGatewayConfig(mockUrl: string): string {
  return `usage-statistics-enabled: false
host: "127.0.0.1"
port: 0
api-keys:
  - "${GATEWAY_CLIENT_KEY}"
debug: false
request-retry: 3
disable-cooling: true
circuit-breaker:
  failure-threshold: 1000000000
routing:
  strategy: fill-first
openai-compatibility:
${failoverEntries(mockUrl)}`;
}

/**
 * The accounting gateway: the main config with every always-on feature a user runs: usage
 * recording (the data lands in the gateway's temp dir) and the application log written to
 * `logs/main.log` too. Per-request log files (`request-log`, a debugging aid) stay off.
 */
const ACCOUNTING_SETTINGS = `usage-statistics-enabled: true
logging-to-file: true
request-log: false
`;

export type BenchGatewayRole = 'main' | 'failover' | 'accounting';

const ROLE_NAMES: Record<BenchGatewayRole, string> = { main: 'switchyard', failover: 'switchyard (failover)', accounting: 'switchyard (accounting)' };

function configFor(role: BenchGatewayRole, mockUrl: string): string {
  if (role === 'failover') return failoverGatewayConfig(mockUrl);
  return role === 'accounting' ? gatewayConfig(mockUrl, ACCOUNTING_SETTINGS) : gatewayConfig(mockUrl);
}

/**
 * `node`'s arguments to run a checkout's bin/switchyard.js as its shebang line does
 * (`#!/usr/bin/env -S node FLAGS`), so the benchmark measures what `switchyard` and `npm start` run.
 */
export function gatewayNodeArgs(bin = OWN_BIN): string[] {
  const shebang = readFileSync(bin, 'utf8').split('\n', 1)[0]!;
  const flags = /^#!\/usr\/bin\/env -S node\s+(.*)$/.exec(shebang)?.[1];
  return [...(flags ? flags.trim().split(/\s+/) : []), bin];
}

export interface BenchGateway {
  url: string;
  process: BenchProcess;
}

/**
 * Starts Switchyard through its CLI, as a user does, with `config` written to `dir`/config.yaml and
 * `dir` as its data dir; resolves once it says it listens.
 */
export async function startSwitchyardCli(
  name: string,
  dir: string,
  config: string,
  options: { cpu?: number; cpuProfileDir?: string; bin?: string; timeoutMs?: number } = {},
): Promise<BenchGateway> {
  await mkdir(dir, { recursive: true });
  const configPath = join(dir, 'config.yaml');
  await writeFile(configPath, config);
  const nodeFlags = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  const started = await startBenchProcess(name, process.execPath, {
    args: [...nodeFlags, ...gatewayNodeArgs(options.bin), '--config', configPath],
    cwd: dir,
    env: { ...process.env, SWITCHYARD_HOME: dir },
    cpu: options.cpu,
    ready: /switchyard listening on (http:\/\/\S+)/,
    timeoutMs: options.timeoutMs,
  });
  return { url: started.match![1]!, process: started.process };
}

/** Starts a benchmark gateway of the given role on the mock, with the config the role generates. */
export function startBenchGateway(options: {
  mockUrl: string;
  dir: string;
  role?: BenchGatewayRole;
  cpu?: number;
  cpuProfileDir?: string;
  bin?: string;
}): Promise<BenchGateway> {
  const role = options.role ?? 'main';
  return startSwitchyardCli(ROLE_NAMES[role], options.dir, configFor(role, options.mockUrl), options);
}
