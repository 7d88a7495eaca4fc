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

export type NumberField = (typeof NUMBER_FIELDS)[number];
export type FlagField = (typeof FLAG_FIELDS)[number];
export type StringField = (typeof UNIQUE_STRING_FIELDS)[number] | (typeof SHARED_STRING_FIELDS)[number];

const NUMBER_STRIDE = NUMBER_FIELDS.length + 1;
const FLAGS_SLOT = NUMBER_FIELDS.length;
const STRING_STRIDE = UNIQUE_STRING_FIELDS.length + SHARED_STRING_FIELDS.length;
const NO_STRING = 0xffffffff;
const INITIAL_CAPACITY = 64;

const positions = <Field extends string>(fields: readonly Field[], offset = 0) =>
  Object.fromEntries(fields.map((field, index) => [field, index + offset])) as Record<Field, number>;
const NUMBER_AT = positions(NUMBER_FIELDS);
const FLAG_BIT = positions(FLAG_FIELDS);
const UNIQUE_AT = positions(UNIQUE_STRING_FIELDS);
const SHARED_AT = positions(SHARED_STRING_FIELDS, UNIQUE_STRING_FIELDS.length);
const STRING_AT: Record<StringField, number> = { ...UNIQUE_AT, ...SHARED_AT };

/** A batch as it crosses to another thread: `numbers` and `refs` are transferred, not copied again. */
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
 * thread as two typed arrays and a string list, not as thousands of objects. A written batch is
 * cleared and filled again, so its columns are not allocated anew (and grown step by step) for
 * every batch; what crosses is a copy of the part in use.
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
  private readonly lastShared = new Array<string | undefined>(STRING_STRIDE).fill(undefined);
  private readonly lastSharedIndex = new Array<number>(STRING_STRIDE).fill(0);

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

  /** Empties the batch for reuse, keeping its columns. */
  clear(): void {
    this.first = 0;
    this.count = 0;
    this.strings.length = 0;
    this.stringIndex!.clear();
    this.lastShared.fill(undefined);
  }

  add(record: UsageRecord): void {
    if (!this.stringIndex) throw new Error('a usage batch from another thread is read-only');
    if ((this.count + 1) * NUMBER_STRIDE > this.numbers.length) this.grow();
    // Field by field, not a loop over the field lists: a keyed load that cycles through a dozen
    // names goes megamorphic, which in a profile cost more than the rest of the add together.
    const numbers = this.numbers;
    const at = this.count * NUMBER_STRIDE;
    numbers[at + NUMBER_AT.attempt] = record.attempt;
    numbers[at + NUMBER_AT.timestamp] = record.timestamp;
    numbers[at + NUMBER_AT.status] = record.status;
    numbers[at + NUMBER_AT.inputTokens] = record.inputTokens;
    numbers[at + NUMBER_AT.outputTokens] = record.outputTokens;
    numbers[at + NUMBER_AT.cachedInputTokens] = record.cachedInputTokens;
    numbers[at + NUMBER_AT.cacheWriteTokens] = record.cacheWriteTokens;
    numbers[at + NUMBER_AT.reasoningTokens] = record.reasoningTokens;
    numbers[at + NUMBER_AT.latencyMs] = record.latencyMs;
    numbers[at + NUMBER_AT.ttftMs] = record.ttftMs ?? Number.NaN;
    numbers[at + NUMBER_AT.costUsd] = record.costUsd;
    numbers[at + FLAGS_SLOT] =
      (record.stream ? 1 << FLAG_BIT.stream : 0) |
      (record.failed ? 1 << FLAG_BIT.failed : 0) |
      (record.estimated ? 1 << FLAG_BIT.estimated : 0) |
      (record.subscription ? 1 << FLAG_BIT.subscription : 0);
    const refs = this.refs;
    const ref = this.count * STRING_STRIDE;
    refs[ref + UNIQUE_AT.id] = this.strings.push(record.id) - 1;
    refs[ref + UNIQUE_AT.requestId] = this.strings.push(record.requestId) - 1;
    refs[ref + SHARED_AT.clientKeyId] = this.shared(SHARED_AT.clientKeyId, record.clientKeyId);
    refs[ref + SHARED_AT.clientKeyLabel] = this.shared(SHARED_AT.clientKeyLabel, record.clientKeyLabel);
    refs[ref + SHARED_AT.provider] = this.shared(SHARED_AT.provider, record.provider);
    refs[ref + SHARED_AT.credentialId] = this.shared(SHARED_AT.credentialId, record.credentialId);
    refs[ref + SHARED_AT.authIndex] = this.shared(SHARED_AT.authIndex, record.authIndex);
    refs[ref + SHARED_AT.authType] = this.shared(SHARED_AT.authType, record.authType);
    refs[ref + SHARED_AT.modelRequested] = this.shared(SHARED_AT.modelRequested, record.modelRequested);
    refs[ref + SHARED_AT.modelServed] = this.shared(SHARED_AT.modelServed, record.modelServed);
    refs[ref + SHARED_AT.endpoint] = this.shared(SHARED_AT.endpoint, record.endpoint);
    refs[ref + SHARED_AT.clientDialect] = this.shared(SHARED_AT.clientDialect, record.clientDialect);
    refs[ref + SHARED_AT.upstreamDialect] = this.shared(SHARED_AT.upstreamDialect, record.upstreamDialect);
    refs[ref + SHARED_AT.errorCode] = this.shared(SHARED_AT.errorCode, record.errorCode);
    this.count++;
  }

  /** A number field of record `index` (`ttftMs` absent is NaN). */
  number(index: number, field: NumberField): number {
    return this.numbers[(this.first + index) * NUMBER_STRIDE + NUMBER_AT[field]]!;
  }

  flag(index: number, field: FlagField): boolean {
    return (this.numbers[(this.first + index) * NUMBER_STRIDE + FLAGS_SLOT]! & (1 << FLAG_BIT[field])) !== 0;
  }

  /** A string field of record `index` (`errorCode` absent is undefined). */
  string(index: number, field: StringField): string | undefined {
    const ref = this.refs[(this.first + index) * STRING_STRIDE + STRING_AT[field]]!;
    return ref === NO_STRING ? undefined : this.strings[ref];
  }

  recordAt(index: number): UsageRecord {
    const string = (field: Exclude<StringField, 'errorCode'>) => this.string(index, field)!;
    const number = (field: NumberField) => this.number(index, field);
    const flag = (field: FlagField) => this.flag(index, field);
    const errorCode = this.string(index, 'errorCode');
    const ttftMs = number('ttftMs');
    return {
      id: string('id'),
      requestId: string('requestId'),
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
      ...(errorCode !== undefined ? { errorCode } : {}),
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
   * The records in use, copied out of the columns (without dropped records and unused capacity),
   * for `postMessage` with `transferList`: a view would make the message copy the whole column,
   * capacity and all. The batch stays whole for a retry, and is cleared and reused once written.
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

/** What `postMessage` hands over instead of copying it a second time. */
export function transferList(packed: PackedUsageRecords): ArrayBuffer[] {
  return [packed.numbers.buffer as ArrayBuffer, packed.refs.buffer as ArrayBuffer];
}
