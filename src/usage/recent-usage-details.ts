import type { UsageDetailFields } from './cliproxy-usage-snapshot.ts';

const NUMBER_FIELDS = ['timestamp', 'latencyMs', 'inputTokens', 'outputTokens', 'reasoningTokens', 'cachedInputTokens'] as const satisfies ReadonlyArray<keyof UsageDetailFields>;
const STRIDE = NUMBER_FIELDS.length;
const AT = Object.fromEntries(NUMBER_FIELDS.map((field, index) => [field, index])) as Record<(typeof NUMBER_FIELDS)[number], number>;
const INITIAL_SLOTS = 16;

/**
 * The most recent details of one client key and model, oldest first, in a ring of columns. A
 * record object kept for each of the last thousand requests of every model would outlive the
 * young generation by the thousand and be what the garbage collector works hardest on; here a
 * detail costs a few numbers in a typed array and references to strings the process holds anyway
 * (credential, auth index), plus its request id.
 */
export class RecentUsageDetails {
  private readonly capacity: number;
  private numbers: Float64Array;
  private failed: Uint8Array;
  private sources: string[];
  private authIndexes: string[];
  private requestIds: string[];
  /** Slot of the oldest detail. */
  private head = 0;
  private count = 0;

  constructor(capacity: number) {
    this.capacity = Math.max(Math.trunc(capacity), 0);
    const slots = Math.min(INITIAL_SLOTS, this.capacity);
    this.numbers = new Float64Array(slots * STRIDE);
    this.failed = new Uint8Array(slots);
    this.sources = new Array<string>(slots);
    this.authIndexes = new Array<string>(slots);
    this.requestIds = new Array<string>(slots);
  }

  get length(): number {
    return this.count;
  }

  /**
   * Keeps the detail in time order. Live details arrive in order and are appended; history and
   * imports may not, and are inserted where they belong. Once full, the oldest detail makes room,
   * and a detail older than every one kept is not kept.
   */
  add(detail: UsageDetailFields): void {
    if (this.capacity === 0) return;
    const at = detail.timestamp;
    if (this.count === this.capacity && at < this.timestampAt(0)) return;
    let position = this.count;
    if (this.count > 0 && at < this.timestampAt(this.count - 1)) {
      let low = 0;
      let high = this.count;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (this.timestampAt(middle) <= at) low = middle + 1;
        else high = middle;
      }
      position = low;
    }
    if (this.count === this.capacity) {
      this.head = (this.head + 1) % this.slots;
      this.count--;
      position--;
    } else if (this.count === this.slots) this.grow();
    for (let index = this.count; index > position; index--) this.move(this.slotOf(index - 1), this.slotOf(index));
    this.write(this.slotOf(position), detail);
    this.count++;
  }

  /** The details, oldest first. */
  *details(): Generator<UsageDetailFields> {
    for (let index = 0; index < this.count; index++) {
      const slot = this.slotOf(index);
      const base = slot * STRIDE;
      yield {
        timestamp: this.numbers[base + AT.timestamp]!,
        latencyMs: this.numbers[base + AT.latencyMs]!,
        inputTokens: this.numbers[base + AT.inputTokens]!,
        outputTokens: this.numbers[base + AT.outputTokens]!,
        reasoningTokens: this.numbers[base + AT.reasoningTokens]!,
        cachedInputTokens: this.numbers[base + AT.cachedInputTokens]!,
        failed: this.failed[slot] === 1,
        credentialId: this.sources[slot]!,
        authIndex: this.authIndexes[slot]!,
        requestId: this.requestIds[slot]!,
      };
    }
  }

  private get slots(): number {
    return this.failed.length;
  }

  private slotOf(index: number): number {
    return (this.head + index) % this.slots;
  }

  private timestampAt(index: number): number {
    return this.numbers[this.slotOf(index) * STRIDE + AT.timestamp]!;
  }

  private write(slot: number, detail: UsageDetailFields): void {
    const base = slot * STRIDE;
    // Field by field: a keyed load looping over the names goes megamorphic on the request path.
    this.numbers[base + AT.timestamp] = detail.timestamp;
    this.numbers[base + AT.latencyMs] = detail.latencyMs;
    this.numbers[base + AT.inputTokens] = detail.inputTokens;
    this.numbers[base + AT.outputTokens] = detail.outputTokens;
    this.numbers[base + AT.reasoningTokens] = detail.reasoningTokens;
    this.numbers[base + AT.cachedInputTokens] = detail.cachedInputTokens;
    this.failed[slot] = detail.failed ? 1 : 0;
    this.sources[slot] = detail.credentialId;
    this.authIndexes[slot] = detail.authIndex;
    this.requestIds[slot] = detail.requestId;
  }

  private move(from: number, to: number): void {
    this.numbers.copyWithin(to * STRIDE, from * STRIDE, (from + 1) * STRIDE);
    this.failed[to] = this.failed[from]!;
    this.sources[to] = this.sources[from]!;
    this.authIndexes[to] = this.authIndexes[from]!;
    this.requestIds[to] = this.requestIds[from]!;
  }

  /** Doubles the slots (up to the capacity), laying the details out from slot 0. */
  private grow(): void {
    const slots = Math.min(Math.max(this.slots * 2, 1), this.capacity);
    const numbers = new Float64Array(slots * STRIDE);
    const failed = new Uint8Array(slots);
    const sources = new Array<string>(slots);
    const authIndexes = new Array<string>(slots);
    const requestIds = new Array<string>(slots);
    for (let index = 0; index < this.count; index++) {
      const slot = this.slotOf(index);
      numbers.set(this.numbers.subarray(slot * STRIDE, (slot + 1) * STRIDE), index * STRIDE);
      failed[index] = this.failed[slot]!;
      sources[index] = this.sources[slot]!;
      authIndexes[index] = this.authIndexes[slot]!;
      requestIds[index] = this.requestIds[slot]!;
    }
    this.numbers = numbers;
    this.failed = failed;
    this.sources = sources;
    this.authIndexes = authIndexes;
    this.requestIds = requestIds;
    this.head = 0;
  }
}
