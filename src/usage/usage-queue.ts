import type { CliproxyUsageQueueItem } from './cliproxy-usage-snapshot.ts';

/**
 * CLIProxyAPI's usage queue (`GET /v0/management/usage-queue?count=N` pops the oldest items), but
 * bounded: when nobody drains it, the oldest items make room for new ones and are counted.
 */
export class UsageQueue {
  private readonly capacity: number;
  private readonly items: Array<CliproxyUsageQueueItem | undefined>;
  private head = 0;
  private size = 0;
  private droppedItems = 0;

  constructor(capacity = 10_000) {
    this.capacity = capacity;
    this.items = new Array(capacity);
  }

  /** Items pushed out unread since start. */
  get dropped(): number {
    return this.droppedItems;
  }

  push(item: CliproxyUsageQueueItem): void {
    if (this.capacity === 0) {
      this.droppedItems++;
      return;
    }
    if (this.size === this.capacity) {
      this.head = (this.head + 1) % this.capacity;
      this.size--;
      this.droppedItems++;
    }
    this.items[(this.head + this.size) % this.capacity] = item;
    this.size++;
  }

  pop(count: number): CliproxyUsageQueueItem[] {
    const taken: CliproxyUsageQueueItem[] = [];
    while (taken.length < count && this.size > 0) {
      taken.push(this.items[this.head]!);
      this.items[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
      this.size--;
    }
    return taken;
  }
}
