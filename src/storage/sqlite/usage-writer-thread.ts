import { Worker } from 'node:worker_threads';
import { transferList, type UsageRecordBatch } from '../../usage/usage-record-batch.ts';
import type { UsageWriteRequest, UsageWriteResponse, UsageWriterWorkerData } from './usage-writer-worker.ts';

type Pending = { resolve: (value: number) => void; reject: (error: Error) => void };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * The request side of the writer thread. The thread is started on the first write and started
 * again after a crash (the failed writes reject, so the recorder keeps and retries them); it keeps
 * the process alive only while a write is in flight.
 */
export class UsageWriterThread {
  private readonly data: UsageWriterWorkerData;
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(path: string, busyTimeoutMs: number) {
    this.data = { path, busyTimeoutMs };
  }

  insert(records: UsageRecordBatch): Promise<number> {
    const packed = records.pack();
    return this.send({ op: 'insert', records: packed }, transferList(packed));
  }

  purge(before?: number): Promise<number> {
    return this.send(before === undefined ? { op: 'purge' } : { op: 'purge', before });
  }

  async close(): Promise<void> {
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
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`usage writer thread exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }
}
