// Preloaded into a gateway under test (NODE_OPTIONS=--import=...): when the process exits, it writes
// its PID and what it loaded to the file named by SWITCHYARD_TEST_LOADED_MODULES, so a test can
// check what starting and serving pulled in: Node's own modules (`process.moduleLoadList`) and the
// CommonJS files from node_modules (the require cache; ES modules are not listed).
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const requireCache = createRequire(import.meta.url).cache;
process.on('exit', () =>
  writeFileSync(process.env.SWITCHYARD_TEST_LOADED_MODULES, JSON.stringify({ pid: process.pid, builtins: process.moduleLoadList, commonJs: Object.keys(requireCache) })),
);
