import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

interface GcOptions {
  type: 'major';
  execution: 'sync';
  flavor: 'last-resort';
}

/** Heap growth since the last release below which there is nothing worth a collection to give back. */
const WORTH_RELEASING_BYTES = 4 * 1024 * 1024;

let collect: ((options: GcOptions) => void) | undefined;
let heapAfterRelease = 0;

/**
 * A garbage collection that gives memory back to the system: it shrinks V8's young generation
 * to its smallest size and compacts the old one. V8 runs such a collection only under memory
 * pressure, so without it a process keeps the young generation its busiest moment grew (up to
 * 16 MB under the gateway's cap) and the old-generation pages its last load left, however long
 * it then idles. It blocks for a few tens of milliseconds, so it is skipped (and false returned)
 * when the heap has not grown by 4 MB since the last one: a process woken only by, say, a
 * metrics scrape has nothing to give back.
 *
 * The collector comes from a fresh context, so that `gc` never becomes a global of the gateway's.
 */
export function releaseMemory(): boolean {
  if (getHeapStatistics().total_heap_size < heapAfterRelease + WORTH_RELEASING_BYTES) return false;
  if (!collect) {
    // The flag is the process's, shared by all its threads, and is left on: turned off again, it
    // could race another thread turning it on for its own collector. It affects only contexts
    // created from now on, and the gateway creates none but this one.
    setFlagsFromString('--expose-gc');
    const found: unknown = runInNewContext('gc');
    if (typeof found !== 'function') return false;
    collect = found as (options: GcOptions) => void;
  }
  collect({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  heapAfterRelease = getHeapStatistics().total_heap_size;
  return true;
}
