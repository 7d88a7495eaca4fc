import { constants } from 'node:fs';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DEFAULT_CONFIG_YAML } from '../config/default-config.ts';
import { userDataDir } from '../config/data-dir.ts';

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * `--config FILE` if given; else `./config.yaml` if present; else the user's data dir, where a
 * commented default config is written on first start (without overwriting an existing one).
 */
export async function resolveConfigPath(explicit: string | undefined, cwd = process.cwd()): Promise<{ path: string; created: boolean }> {
  if (explicit) return { path: resolve(cwd, explicit), created: false };
  const local = join(cwd, 'config.yaml');
  if (await exists(local)) return { path: local, created: false };
  const dir = userDataDir();
  const path = join(dir, 'config.yaml');
  if (await exists(path)) return { path, created: false };
  await mkdir(dir, { recursive: true });
  try {
    await writeFile(path, DEFAULT_CONFIG_YAML, { flag: 'wx', mode: 0o600 });
    return { path, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { path, created: false };
    throw error;
  }
}
