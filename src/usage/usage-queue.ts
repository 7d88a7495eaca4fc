import { usageQueueItemOf, type CliproxyUsageQueueItem } from './cliproxy-usage-snapshot.ts';
import type { UsageRecord } from './usage-record.ts';

/**
 * CLIProxyAPI's usage queue (`GET /v0/management/usage-queue?count=N` pops the oldest items), with
 * two differences. It fills from its first read on: a queue nobody drains would hold thousands of
 * records for nothing, and records held that long are what the garbage collector works hardest on
 * (a consumer polls, so it misses only what came before its first poll; history is in storage).
 * And it is bounded: when the consumer falls behind, the oldest items make room and are counted.
 * It holds the records themselves and builds CLIProxyAPI's item shape only for the items popped.
 */
export class UsageQueue {
  private readonly capacity: number;
  private readonly records: Array<UsageRecord | undefined>;
  private readonly methods: Array<string | undefined>;
  private head = 0;
  private size = 0;
  private droppedItems = 0;
  private consumed = false;

  constructor(capacity = 10_000) {
    this.capacity = capacity;
    this.records = new Array(capacity);
    this.methods = new Array(capacity);
  }

  /** Items pushed out unread since start. */
  get dropped(): number {
    return this.droppedItems;
  }

  /** `method` is the client's HTTP method, part of the item's `endpoint`. */
  push(record: UsageRecord, method: string): void {
    if (!this.consumed) return;
    if (this.capacity === 0) {
      this.droppedItems++;
      return;
    }
    if (this.size === this.capacity) {
      this.head = (this.head + 1) % this.capacity;
      this.size--;
      this.droppedItems++;
    }
    const slot = (this.head + this.size) % this.capacity;
    this.records[slot] = record;
    this.methods[slot] = method;
    this.size++;
  }

  pop(count: number): CliproxyUsageQueueItem[] {
    this.consumed = true;
    const taken: CliproxyUsageQueueItem[] = [];
    while (taken.length < count && this.size > 0) {
      taken.push(usageQueueItemOf(this.records[this.head]!, this.methods[this.head]!));
      this.records[this.head] = undefined;
      this.methods[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
      this.size--;
    }
    return taken;
  }
}
