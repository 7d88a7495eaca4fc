// Preloaded into a gateway under test (NODE_OPTIONS=--import=...): when the process exits, it writes
// the list of Node's own modules it loaded (`process.moduleLoadList`) to the file named by
// SWITCHYARD_TEST_LOADED_MODULES, so a test can check what starting and serving pulled in.
import { writeFileSync } from 'node:fs';

process.on('exit', () => writeFileSync(process.env.SWITCHYARD_TEST_LOADED_MODULES, JSON.stringify(process.moduleLoadList)));
