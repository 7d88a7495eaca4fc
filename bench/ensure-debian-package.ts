import { spawnSync } from 'node:child_process';

function commandExists(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function hasCandidate(pkg: string): boolean {
  const policy = spawnSync('apt-cache', ['policy', pkg], { encoding: 'utf8' });
  const candidate = /Candidate:\s*(\S+)/.exec(policy.stdout ?? '');
  return candidate !== null && candidate[1] !== '(none)';
}

/**
 * Makes `command` available, installing the first Debian package that apt can offer (the
 * benchmark must run on a fresh machine of this kind). Returns false when that is impossible
 * (no apt, not root, no candidate), so the caller can skip what needs it and say so.
 */
export function ensureDebianCommand(command: string, packages: readonly string[]): boolean {
  if (commandExists(command)) return true;
  if (!commandExists('apt-get') || process.getuid?.() !== 0) return false;
  let pkg = packages.find(hasCandidate);
  if (pkg === undefined) {
    spawnSync('apt-get', ['update'], { stdio: 'ignore' });
    pkg = packages.find(hasCandidate);
  }
  if (pkg === undefined) return false;
  console.error(`bench: installing ${pkg} (apt-get install -y ${pkg})`);
  const install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', pkg], {
    stdio: 'ignore',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return install.status === 0 && commandExists(command);
}
