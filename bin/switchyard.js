#!/usr/bin/env -S node --max-semi-space-size=8
// The flag caps V8's young generation at 8 MB per semi-space (16 by default): under a thousand
// concurrent streams that is about 90 MB less RSS, at no measurable cost in throughput at 50
// connections; at 256 a smaller cap costs much more (docs/architecture.md). `npm start` passes
// the same flag.
// Node 24 runs the TypeScript sources directly (type stripping), so there is no build step.
// Node's compile cache keeps the stripped and compiled modules between runs, so that a warm start
// never loads the TypeScript stripper: it listens in under half the time and holds about 28 MB less.
// The cache lives in node_modules/.cache/switchyard, which a reboot does not clear as it clears
// the OS temp dir (Node's default), unless NODE_COMPILE_CACHE names another place or that one is
// not writable. Setting NODE_COMPILE_CACHE also points the writer thread, which does not inherit
// the cache, and a restarted process (src/cli/restart-when-compiled.ts) at the same directory.
import { constants, enableCompileCache } from 'node:module';
import { fileURLToPath } from 'node:url';

const cacheDir = process.env.NODE_COMPILE_CACHE || fileURLToPath(new URL('../node_modules/.cache/switchyard', import.meta.url));
const cache = enableCompileCache(cacheDir);
if (cache.status === constants.compileCacheStatus.FAILED) enableCompileCache();
else process.env.NODE_COMPILE_CACHE = cacheDir;
await import('../src/cli/main.ts');
