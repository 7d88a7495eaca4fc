import { spawn } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trackBenchProcess } from '../bench-process.ts';

export type PeerName = 'portkey' | 'claude-code-router';

export interface BenchPeerPackage {
  name: string;
  version: string;
  /** Dependencies pinned below what the peer's own ranges would pick, each for a reason given where it is set. */
  companions: Record<string, string>;
}

/** Pinned, so that a peer's row means the same thing from one run to the next. */
export const BENCH_PEER_PACKAGES: Record<PeerName, BenchPeerPackage> = {
  portkey: {
    name: '@portkey-ai/gateway',
    version: '1.15.2',
    // From @hono/node-server 1.14.2 on, a streamed answer keeps the upstream fetch's immutable
    // headers and Portkey's header update throws (Portkey-AI/gateway#1389): every stream is a 500.
    // node-ws 1.3+ would pull a newer node-server back in as its peer.
    companions: { '@hono/node-server': '1.14.1', '@hono/node-ws': '1.2.0' },
  },
  // 2.x is the last line that installs: 3.x depends on a package missing from the registry.
  'claude-code-router': { name: '@musistudio/claude-code-router', version: '2.0.0', companions: {} },
};

/** Git-ignored (the whole `.bench/` is), shared by every run. */
export const BENCH_PEERS_DIR = fileURLToPath(new URL('../../.bench/peers', import.meta.url));

const INSTALL_TIMEOUT_MS = 120_000;

/** Where the pinned package of `name` lives once installed. */
export function benchPeerPackageDir(name: PeerName): string {
  return join(BENCH_PEERS_DIR, 'node_modules', BENCH_PEER_PACKAGES[name].name);
}

async function installedVersion(pkg: string): Promise<string | undefined> {
  try {
    const manifest = JSON.parse(await readFile(join(BENCH_PEERS_DIR, 'node_modules', pkg, 'package.json'), 'utf8')) as { version?: string };
    return manifest.version;
  } catch {
    return undefined;
  }
}

function pinnedVersions(name: PeerName): [string, string][] {
  const pkg = BENCH_PEER_PACKAGES[name];
  return [[pkg.name, pkg.version], ...Object.entries(pkg.companions)];
}

async function isInstalled(name: PeerName): Promise<boolean> {
  for (const [pkg, version] of pinnedVersions(name)) if ((await installedVersion(pkg)) !== version) return false;
  return true;
}

function specs(name: PeerName): string[] {
  return pinnedVersions(name).map(([pkg, version]) => `${pkg}@${version}`);
}

/** Runs npm quietly (tracked, so the bench watchdog stops it too); resolves with its status and output. */
function runNpm(args: string[]): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', args, { cwd: BENCH_PEERS_DIR, stdio: ['ignore', 'pipe', 'pipe'], timeout: INSTALL_TIMEOUT_MS, killSignal: 'SIGKILL' });
    const handle = trackBenchProcess('npm install', child);
    child.once('error', (error) => resolve({ ok: false, output: String(error) }));
    child.once('close', (code, signal) => {
      const timedOut = signal === 'SIGKILL' ? `timed out after ${INSTALL_TIMEOUT_MS / 1000} s\n` : '';
      resolve({ ok: code === 0, output: timedOut + handle.output().trim() });
    });
  });
}

/** npm's first few error lines say what went wrong (its last ones only point to a log file). */
function npmReason(output: string): string {
  const lines = output.split('\n').map((line) => line.replace(/^npm error\s*/, '').trim()).filter(Boolean);
  return lines.slice(0, 3).join('; ') || 'npm failed';
}

/**
 * Makes the pinned peers available under `.bench/peers`, installing those missing. Never throws:
 * a peer that cannot be installed (no registry, npm failing) is left out of `installed` and
 * explained in `notes`, so the benchmark runs without its row.
 */
export async function ensureBenchPeersInstalled(): Promise<{ installed: PeerName[]; notes: string[] }> {
  const names = Object.keys(BENCH_PEER_PACKAGES) as PeerName[];
  const installed: PeerName[] = [];
  const notes: string[] = [];
  for (const name of names) if (await isInstalled(name)) installed.push(name);
  const missing = names.filter((name) => !installed.includes(name));
  if (missing.length === 0) return { installed, notes };
  await mkdir(BENCH_PEERS_DIR, { recursive: true });
  // One package per npm call, so one failing package cannot keep the other out; the ones already
  // there are named again because `npm install --no-save` removes whatever it was not given.
  for (const name of missing) {
    const started = Date.now();
    const result = await runNpm([
      'install',
      '--no-save',
      '--prefix',
      BENCH_PEERS_DIR,
      '--no-audit',
      '--no-fund',
      '--no-progress',
      '--no-update-notifier',
      // Portkey's only install script is patch-package, with no patches in the published package.
      '--ignore-scripts',
      '--loglevel=error',
      '--engine-strict=false',
      // npm's default backoff spends minutes on a registry that is not there; the bench must go on.
      '--fetch-retries=1',
      '--fetch-retry-mintimeout=1000',
      '--fetch-retry-maxtimeout=3000',
      '--fetch-timeout=30000',
      ...[...installed, name].flatMap(specs),
    ]);
    if (result.ok && (await isInstalled(name))) {
      installed.push(name);
      notes.push(`${name}: installed ${specs(name).join(' ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } else {
      notes.push(`${name}: could not install ${specs(name).join(' ')}, its row is left out: ${npmReason(result.output)}`);
    }
  }
  return { installed, notes };
}
