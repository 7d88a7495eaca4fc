import { DatabaseSync } from 'node:sqlite';
import type { MessagePort } from 'node:worker_threads';
import { UsageRecordBatch, type PackedUsageRecords } from '../../usage/usage-record-batch.ts';
import { usageRecordRows } from './usage-record-row.ts';
import { UsageWriter } from './usage-writer.ts';

export type UsageWriteRequest =
  | { id: number; op: 'insert'; records: PackedUsageRecords }
  | { id: number; op: 'purge'; before?: number }
  | { id: number; op: 'close' };

export type UsageWriteResponse = { id: number; ok: true; value: number } | { id: number; ok: false; message: string };

export interface UsageWriterWorkerData {
  path: string;
  busyTimeoutMs: number;
}

/**
 * The writer thread: inserts, rollup upkeep, purges and WAL checkpoints (with their fsyncs) run
 * here, on a connection of its own, so none of them ever holds up the event loop that serves
 * requests. Called by the thread's entry (usage-writer-worker-entry.js); importing this module
 * does nothing, so the CLI can compile it into Node's compile cache ahead of the thread.
 */
export function serveUsageWrites(port: MessagePort, { path, busyTimeoutMs }: UsageWriterWorkerData): void {
  const db = new DatabaseSync(path, { timeout: busyTimeoutMs });
  db.exec('PRAGMA synchronous = NORMAL');
  const writer = new UsageWriter(db);
  port.on('message', (request: UsageWriteRequest) => {
    let response: UsageWriteResponse;
    try {
      switch (request.op) {
        case 'insert':
          response = { id: request.id, ok: true, value: writer.insert(usageRecordRows(new UsageRecordBatch(request.records))) };
          break;
        case 'purge':
          response = { id: request.id, ok: true, value: writer.purge(request.before) };
          break;
        case 'close':
          db.close();
          port.postMessage({ id: request.id, ok: true, value: 0 } satisfies UsageWriteResponse);
          port.close();
          return;
      }
    } catch (error) {
      response = { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(response);
  });
}
