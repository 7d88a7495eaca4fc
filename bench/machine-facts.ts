import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, release } from 'node:os';
import { nginxVersion } from './start-nginx.ts';
import { wrkVersion } from './run-wrk.ts';

export interface MachineFacts {
  date: string;
  commit: string;
  cpu: string;
  cores: number;
  kernel: string;
  node: string;
  undici: string;
  nginx?: string;
  wrk?: string;
}

function gitDescription(): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  if (head.status !== 0) return 'unknown';
  const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' });
  return `${head.stdout.trim()}${status.stdout.trim() ? ' + local changes' : ''}`;
}

function undiciVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../node_modules/undici/package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function machineFacts(): MachineFacts {
  return {
    date: new Date().toISOString(),
    commit: gitDescription(),
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    kernel: release(),
    node: process.version,
    undici: undiciVersion(),
    nginx: nginxVersion(),
    wrk: wrkVersion(),
  };
}
