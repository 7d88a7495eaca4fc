import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/switchyard.js', import.meta.url));

export interface GatewayProcess {
  url: string;
  dir: string;
  configPath: string;
  process: ChildProcess;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

export interface StartGatewayOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /**
   * Run on this existing directory (config.yaml written into it, also the data dir) instead of a
   * fresh temporary one, e.g. to restart a gateway on the same data. The caller owns it: `stop()`
   * leaves it in place.
   */
  dir?: string;
}

/**
 * Starts the gateway exactly as a user does, `switchyard --config FILE`, and resolves once it
 * prints its listening line. The config's `port` should be 0 (an ephemeral port).
 */
export async function startGatewayProcess(configYaml: string, options: StartGatewayOptions = {}): Promise<GatewayProcess> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'switchyard-test-')));
  const configPath = join(dir, 'config.yaml');
  await writeFile(configPath, configYaml);
  const child = spawn(process.execPath, [BIN, '--config', configPath], {
    cwd: dir,
    env: { ...process.env, SWITCHYARD_HOME: dir, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (output += text));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start in time:\n${output}`)), options.timeoutMs ?? 15_000);
    const onData = () => {
      const match = /switchyard listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${code} before listening:\n${output}`));
    });
  });

  return {
    url,
    dir,
    configPath,
    process: child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      if (!options.dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Runs the CLI to completion (for tests of start-up failures). */
export function runGatewayCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI did not exit in time:\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 15_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
