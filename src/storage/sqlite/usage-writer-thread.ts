import { Worker } from 'node:worker_threads';
import { IDLE_RELEASE_AFTER_MS, releaseMemoryWhenIdle, type IdleMemoryRelease } from '../../process/release-memory-when-idle.ts';
import { transferList, type UsageRecordBatch } from '../../usage/usage-record-batch.ts';
import type { UsageWriteRequest, UsageWriteResponse, UsageWriterWorkerData } from './usage-writer-worker.ts';

type Pending = { resolve: (value: number) => void; reject: (error: Error) => void };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * The request side of the writer thread. The thread is started on the first write and started
 * again after a crash (the failed writes reject, so the recorder keeps and retries them); it keeps
 * the process alive only while a write is in flight. A thread left `idleMs` without a write is
 * closed, and the next write starts another: an idle gateway then holds no second V8 heap and no
 * second SQLite connection (about 3 MB of RSS).
 */
export class UsageWriterThread {
  private readonly data: UsageWriterWorkerData;
  private readonly idleMs: number;
  private worker: Worker | undefined;
  private idleRetire: IdleMemoryRelease | undefined;
  private lastWriteAt = 0;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(path: string, busyTimeoutMs: number, idleMs = IDLE_RELEASE_AFTER_MS) {
    this.data = { path, busyTimeoutMs };
    this.idleMs = idleMs;
  }

  /** A thread is up (it is started by a write and closed after idling). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  insert(records: UsageRecordBatch): Promise<number> {
    const packed = records.pack();
    return this.send({ op: 'insert', records: packed }, transferList(packed));
  }

  purge(before?: number): Promise<number> {
    return this.send(before === undefined ? { op: 'purge' } : { op: 'purge', before });
  }

  async close(): Promise<void> {
    this.idleRetire?.stop();
    if (!this.worker) return;
    const worker = this.worker;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    await this.send({ op: 'close' });
    worker.ref();
    await exited;
  }

  private send(request: DistributiveOmit<UsageWriteRequest, 'id'>, transfer: ArrayBuffer[] = []): Promise<number> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    this.lastWriteAt = performance.now();
    return new Promise<number>((resolve, reject) => {
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id } as UsageWriteRequest, transfer);
    });
  }

  private start(): Worker {
    const worker = new Worker(new URL('./usage-writer-worker-entry.js', import.meta.url), { workerData: this.data });
    worker.unref();
    worker.on('message', (response: UsageWriteResponse) => {
      const pending = this.pending.get(response.id);
      if (!pending) return;
      this.pending.delete(response.id);
      if (this.pending.size === 0) worker.unref();
      if (response.ok) pending.resolve(response.value);
      else pending.reject(new Error(response.message));
    });
    // Writes in flight are all the current thread's: a retired one had none left, and what its
    // closing ends with is no one's concern.
    const fail = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.idleRetire?.stop();
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`usage writer thread exited (code ${code})`)));
    this.worker = worker;
    this.idleRetire = releaseMemoryWhenIdle({ lastRequestAt: () => this.lastWriteAt, busy: () => this.pending.size > 0 }, () => this.idleMs, () => this.retire(worker));
    return worker;
  }

  /** Closes an idle thread; the next write starts another. */
  private retire(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.idleRetire?.stop();
    worker.postMessage({ op: 'close', id: this.nextId++ } satisfies UsageWriteRequest);
  }
}
