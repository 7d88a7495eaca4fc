import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

interface GcOptions {
  type: 'major';
  execution: 'sync';
  flavor: 'last-resort';
}

let collect: ((options: GcOptions) => void) | undefined;

/**
 * A garbage collection that gives memory back to the system: it shrinks V8's young generation
 * to its smallest size and compacts the old one. V8 runs such a collection only under memory
 * pressure, so without it a process keeps the young generation its busiest moment grew (up to
 * 16 MB under the gateway's cap) and the old-generation pages its last load left, however long
 * it then idles. It blocks for a few tens of milliseconds.
 *
 * The collector comes from a fresh context, so that `gc` never becomes a global of the process.
 */
export function releaseMemory(): void {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as (options: GcOptions) => void;
    setFlagsFromString('--no-expose-gc');
  }
  collect({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}
