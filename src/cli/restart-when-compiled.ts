import { flushCompileCache, getCompileCacheDir } from 'node:module';
// Imported only to be compiled with the rest, so that the writer thread starts warm and that a
// start that only prints the version (`switchyard --version`, e.g. while a container image is
// built) fills the whole cache; importing it does nothing else.
import '../storage/sqlite/usage-writer-worker.ts';

/** Marks the process that replaced the first one, so that it never restarts in turn. */
const RESTARTED = 'SWITCHYARD_RESTARTED_COMPILED';

/** Node loads its TypeScript stripper (amaro) only for a module the compile cache has no entry for. */
function strippedTypeScript(): boolean {
  const loaded = (process as { moduleLoadList?: readonly string[] }).moduleLoadList ?? [];
  return loaded.some((name) => name.includes('amaro'));
}

/**
 * On the first start after an install, an upgrade or an edit of the sources, Node's compile cache
 * misses and Node loads its TypeScript stripper, which the process then keeps for its whole life:
 * such a gateway idles at about 129 MB of RSS instead of 100 (docs/architecture.md). Once every
 * module is stripped and in the cache, the process replaces itself, with the same PID, arguments
 * and environment, by one that reads them all from the cache. The writer thread's two modules of
 * its own are imported here too (tens of kB of heap), so that an edit of theirs alone also counts.
 * Called before anything is written, opened or listened on.
 * Only once, only with the cache on, and only where Node can replace a process (not on Windows).
 */
export function restartIfTypeScriptWasStripped(): void {
  if (process.env[RESTARTED] !== undefined) {
    delete process.env[RESTARTED];
    return;
  }
  const cacheDir = getCompileCacheDir();
  if (!process.execve || cacheDir === undefined || !strippedTypeScript()) return;
  flushCompileCache();
  console.error(`switchyard: compiled the sources into Node's compile cache (${cacheDir}); restarting without the TypeScript stripper`);
  process.execve(process.execPath, [process.execPath, ...process.execArgv, ...process.argv.slice(1)], { ...process.env, [RESTARTED]: '1' });
}
