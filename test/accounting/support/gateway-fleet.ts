import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { startGatewayProcess, type GatewayProcess } from '../../support/start-gateway.ts';

/** Where a secret turned up: a file under a data dir, or a gateway's stdout/stderr. */
export interface SecretLeak {
  secret: string;
  where: string;
}

async function filesUnder(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) files.push(join(entry.parentPath, entry.name));
  }
  return files;
}

/**
 * The gateways of one test file, each on a data dir the fleet owns: a gateway can be stopped
 * and another started on the same data, and every file any of them wrote (database, main.log,
 * request and error logs) stays on disk until `cleanup`, for the secret scan.
 */
export class GatewayFleet {
  private readonly dirs: string[] = [];
  private readonly running = new Set<GatewayProcess>();
  private readonly outputs: Array<{ dir: string; output: () => string }> = [];

  async newDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'switchyard-accounting-'));
    this.dirs.push(dir);
    return dir;
  }

  /** Starts the CLI on `dir` (a fresh data dir when omitted). */
  async start(configYaml: string, dir?: string): Promise<GatewayProcess> {
    const gateway = await startGatewayProcess(configYaml, { dir: dir ?? (await this.newDir()) });
    this.running.add(gateway);
    this.outputs.push({ dir: gateway.dir, output: gateway.output });
    return gateway;
  }

  /** SIGTERM, as a user stops it; the data dir stays. */
  async stop(gateway: GatewayProcess): Promise<void> {
    this.running.delete(gateway);
    await gateway.stop();
  }

  /**
   * Every place a secret appears in full: files under every data dir (config.yaml aside: it is
   * where the user keeps them), gzipped rotations unpacked, and everything each gateway printed.
   */
  async findSecrets(secrets: readonly string[]): Promise<SecretLeak[]> {
    const leaks: SecretLeak[] = [];
    for (const dir of this.dirs) {
      for (const file of await filesUnder(dir)) {
        if (file === join(dir, 'config.yaml')) continue;
        const raw = await readFile(file);
        const bytes = file.endsWith('.gz') ? gunzipSync(raw) : raw;
        for (const secret of secrets) {
          // A database may keep its text as UTF-16.
          if (bytes.includes(Buffer.from(secret)) || bytes.includes(Buffer.from(secret, 'utf16le'))) leaks.push({ secret, where: file });
        }
      }
    }
    for (const { dir, output } of this.outputs) {
      const text = output();
      for (const secret of secrets) if (text.includes(secret)) leaks.push({ secret, where: `output of the gateway on ${relative(tmpdir(), dir)}` });
    }
    return leaks;
  }

  /** The files the scan covers, so a test can check it looked at something. */
  async scannedFiles(): Promise<string[]> {
    const files: string[] = [];
    for (const dir of this.dirs) files.push(...(await filesUnder(dir)).filter((file) => file !== join(dir, 'config.yaml')));
    return files;
  }

  async cleanup(): Promise<void> {
    for (const gateway of this.running) await gateway.stop();
    this.running.clear();
    for (const dir of this.dirs) await rm(dir, { recursive: true, force: true });
    this.dirs.length = 0;
  }
}
