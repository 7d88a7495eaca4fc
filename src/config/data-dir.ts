import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where Switchyard keeps its own files when no config says otherwise (XDG on Linux, the usual places elsewhere). */
export function userDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SWITCHYARD_HOME) return env.SWITCHYARD_HOME;
  if (process.platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'switchyard');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'switchyard');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'switchyard');
}

/** `~/…` paths as CLIProxyAPI writes them (`auth-dir: ~/.cli-proxy-api`). */
export function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
}
