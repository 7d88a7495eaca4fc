import type { UsageRecord } from './usage-record.ts';

/** Numeric fields, a Float64Array slot each (`ttftMs` absent is NaN). */
const NUMBER_FIELDS = [
  'attempt',
  'timestamp',
  'status',
  'inputTokens',
  'outputTokens',
  'cachedInputTokens',
  'cacheWriteTokens',
  'reasoningTokens',
  'latencyMs',
  'ttftMs',
  'costUsd',
] as const satisfies ReadonlyArray<keyof UsageRecord>;
/** Boolean fields, a bit each in one more slot. */
const FLAG_FIELDS = ['stream', 'failed', 'estimated', 'subscription'] as const satisfies ReadonlyArray<keyof UsageRecord>;
/** Fields unique to a record: stored as they are. */
const UNIQUE_STRING_FIELDS = ['id', 'requestId'] as const satisfies ReadonlyArray<keyof UsageRecord>;
/** Fields shared by many records: stored once per batch, referenced by index (`errorCode` absent is NO_STRING). */
const SHARED_STRING_FIELDS = [
  'clientKeyId',
  'clientKeyLabel',
  'provider',
  'credentialId',
  'authIndex',
  'authType',
  'modelRequested',
  'modelServed',
  'endpoint',
  'clientDialect',
  'upstreamDialect',
  'errorCode',
] as const satisfies ReadonlyArray<keyof UsageRecord>;

type NumberField = (typeof NUMBER_FIELDS)[number];
type FlagField = (typeof FLAG_FIELDS)[number];
type SharedStringField = (typeof SHARED_STRING_FIELDS)[number];

const NUMBER_STRIDE = NUMBER_FIELDS.length + 1;
const FLAGS_SLOT = NUMBER_FIELDS.length;
const STRING_STRIDE = UNIQUE_STRING_FIELDS.length + SHARED_STRING_FIELDS.length;
const NO_STRING = 0xffffffff;
const INITIAL_CAPACITY = 64;

const positions = <Field extends string>(fields: readonly Field[], offset = 0) =>
  Object.fromEntries(fields.map((field, index) => [field, index + offset])) as Record<Field, number>;
const NUMBER_AT = positions(NUMBER_FIELDS);
const FLAG_BIT = positions(FLAG_FIELDS);
const SHARED_AT = positions(SHARED_STRING_FIELDS, UNIQUE_STRING_FIELDS.length);

/** A batch as it crosses to another thread: `numbers` and `refs` are transferred, not copied. */
export interface PackedUsageRecords {
  length: number;
  numbers: Float64Array;
  refs: Uint32Array;
  strings: string[];
}

/**
 * Usage records on their way to the store, packed in columns: numbers in a Float64Array, strings
 * in a table that holds each shared value (provider, model, key, ...) once per batch. Recording
 * keeps no record object alive until its write, so records die young (a batch of objects held for
 * a second is what the garbage collector works hardest on), and a batch crosses to the writer
 * thread by transfer, not by cloning thousands of objects.
 */
export class UsageRecordBatch {
  /** Records dropped from the front (`dropOldest`) still sit in the columns before this one. */
  private first = 0;
  private count: number;
  private numbers: Float64Array;
  private refs: Uint32Array;
  private readonly strings: string[];
  /** Absent in a batch unpacked on another thread, which is only read. */
  private readonly stringIndex: Map<string, number> | undefined;
  /** The last value and index of each shared field: consecutive records mostly repeat them. */
  private readonly lastShared: Array<string | undefined> = [];
  private readonly lastSharedIndex: number[] = [];

  /** An empty batch, or the one another thread packed. */
  constructor(from: PackedUsageRecords | { capacity: number } = { capacity: INITIAL_CAPACITY }) {
    if ('numbers' in from) {
      this.count = from.length;
      this.numbers = from.numbers;
      this.refs = from.refs;
      this.strings = from.strings;
      this.stringIndex = undefined;
      return;
    }
    const capacity = Math.max(from.capacity, 1);
    this.count = 0;
    this.numbers = new Float64Array(capacity * NUMBER_STRIDE);
    this.refs = new Uint32Array(capacity * STRING_STRIDE);
    this.strings = [];
    this.stringIndex = new Map();
  }

  static of(records: Iterable<UsageRecord>): UsageRecordBatch {
    const batch = new UsageRecordBatch();
    for (const record of records) batch.add(record);
    return batch;
  }

  get length(): number {
    return this.count - this.first;
  }

  /** Drops the `count` oldest records (at most all of them). */
  dropOldest(count: number): void {
    this.first = Math.min(this.first + Math.max(count, 0), this.count);
  }

  add(record: UsageRecord): void {
    if (!this.stringIndex) throw new Error('a usage batch from another thread is read-only');
    if ((this.count + 1) * NUMBER_STRIDE > this.numbers.length) this.grow();
    let slot = this.count * NUMBER_STRIDE;
    for (const field of NUMBER_FIELDS) this.numbers[slot++] = record[field] ?? Number.NaN;
    let flags = 0;
    for (const field of FLAG_FIELDS) if (record[field]) flags |= 1 << FLAG_BIT[field];
    this.numbers[slot] = flags;
    let ref = this.count * STRING_STRIDE;
    for (const field of UNIQUE_STRING_FIELDS) this.refs[ref++] = this.strings.push(record[field]) - 1;
    for (let field = 0; field < SHARED_STRING_FIELDS.length; field++) this.refs[ref++] = this.shared(field, record[SHARED_STRING_FIELDS[field]!]);
    this.count++;
  }

  recordAt(index: number): UsageRecord {
    const numbers = (this.first + index) * NUMBER_STRIDE;
    const refs = (this.first + index) * STRING_STRIDE;
    const number = (field: NumberField) => this.numbers[numbers + NUMBER_AT[field]]!;
    const flag = (field: FlagField) => (this.numbers[numbers + FLAGS_SLOT]! & (1 << FLAG_BIT[field])) !== 0;
    const string = (field: SharedStringField) => this.strings[this.refs[refs + SHARED_AT[field]]!]!;
    const errorRef = this.refs[refs + SHARED_AT.errorCode]!;
    const ttftMs = number('ttftMs');
    return {
      id: this.strings[this.refs[refs]!]!,
      requestId: this.strings[this.refs[refs + 1]!]!,
      attempt: number('attempt'),
      timestamp: number('timestamp'),
      clientKeyId: string('clientKeyId'),
      clientKeyLabel: string('clientKeyLabel'),
      provider: string('provider'),
      credentialId: string('credentialId'),
      authIndex: string('authIndex'),
      authType: string('authType') === 'oauth' ? 'oauth' : 'api-key',
      modelRequested: string('modelRequested'),
      modelServed: string('modelServed'),
      endpoint: string('endpoint'),
      clientDialect: string('clientDialect'),
      upstreamDialect: string('upstreamDialect'),
      stream: flag('stream'),
      status: number('status'),
      failed: flag('failed'),
      ...(errorRef !== NO_STRING ? { errorCode: this.strings[errorRef]! } : {}),
      inputTokens: number('inputTokens'),
      outputTokens: number('outputTokens'),
      cachedInputTokens: number('cachedInputTokens'),
      cacheWriteTokens: number('cacheWriteTokens'),
      reasoningTokens: number('reasoningTokens'),
      estimated: flag('estimated'),
      latencyMs: number('latencyMs'),
      ...(Number.isNaN(ttftMs) ? {} : { ttftMs }),
      costUsd: number('costUsd'),
      subscription: flag('subscription'),
    };
  }

  *records(): Generator<UsageRecord> {
    for (let index = 0; index < this.length; index++) yield this.recordAt(index);
  }

  [Symbol.iterator](): Generator<UsageRecord> {
    return this.records();
  }

  /**
   * The batch's columns, copied without dropped records and unused capacity (the batch stays
   * whole for a retry), for `postMessage` with `transferList`.
   */
  pack(): PackedUsageRecords {
    return {
      length: this.length,
      numbers: this.numbers.slice(this.first * NUMBER_STRIDE, this.count * NUMBER_STRIDE),
      refs: this.refs.slice(this.first * STRING_STRIDE, this.count * STRING_STRIDE),
      strings: this.strings,
    };
  }

  private shared(field: number, value: string | undefined): number {
    if (value === undefined) return NO_STRING;
    if (value === this.lastShared[field]) return this.lastSharedIndex[field]!;
    let index = this.stringIndex!.get(value);
    if (index === undefined) {
      index = this.strings.push(value) - 1;
      this.stringIndex!.set(value, index);
    }
    this.lastShared[field] = value;
    this.lastSharedIndex[field] = index;
    return index;
  }

  private grow(): void {
    const numbers = new Float64Array(this.numbers.length * 2);
    numbers.set(this.numbers);
    this.numbers = numbers;
    const refs = new Uint32Array(this.refs.length * 2);
    refs.set(this.refs);
    this.refs = refs;
  }
}

/** What `postMessage` transfers instead of copying. */
export function transferList(packed: PackedUsageRecords): ArrayBuffer[] {
  return [packed.numbers.buffer as ArrayBuffer, packed.refs.buffer as ArrayBuffer];
}
