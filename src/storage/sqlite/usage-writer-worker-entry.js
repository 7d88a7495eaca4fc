// The writer thread's entry, in JavaScript like bin/switchyard.js and for the same reason: it turns
// Node's compile cache on in this thread before the TypeScript modules load, so that their
// stripped output comes from the cache and the thread never loads the type stripper (about 12 MB
// of the thread's RSS; see docs/performance.md).
import { enableCompileCache } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

enableCompileCache();
const { serveUsageWrites } = await import('./usage-writer-worker.ts');
serveUsageWrites(parentPort, workerData);
