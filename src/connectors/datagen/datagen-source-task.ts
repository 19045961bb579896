/**
 * DatagenSourceTask: generates numbered records as fast as the pipeline takes them, or at a paced
 * rate, for benchmarks and loss/duplicate checks. Record layout: config.ts.
 *
 * poll() builds a whole batch in one pass: bytes values are views into one buffer per batch, filled
 * from a precomputed filler pool with one memcpy per record; json values are small Maps whose
 * strings (users, actions, padding) are made once and shared. Nothing is serialized here.
 */
import { AbstractConfig } from '../../api/config-def.js';
import { ConnectError } from '../../api/errors.js';
import { SourceTask } from '../../api/source.js';
import { SourceRecord, type SourceMap } from '../../data/record.js';
import type { Schema } from '../../data/schema.js';
import { Schemas } from '../../data/schemas.js';
import {
  BATCH_SIZE_CONFIG, COUNT_CONFIG, DATAGEN_CONNECTOR_VERSION, FORMAT_BYTES, FORMAT_CONFIG, KEY_CARDINALITY_CONFIG,
  KEY_PATTERN_CONFIG, KEY_PATTERN_NONE, KEY_PATTERN_RANDOM, RATE_CONFIG, RECORD_SIZE_CONFIG, SEED_CONFIG, SEQ_FIELD,
  TASK_CONFIG_DEF, TASK_COUNT_CONFIG, TASK_FIELD, TASK_INDEX_CONFIG, TOPIC_CONFIG, type Format, type KeyPattern,
} from './config.js';
import {
  actionOf, decimalDigits, fillerPool, fillerSlots, JSON_FIXED_CHARS, PAD_CHAR, randomKey, seed32Of, seqHash, userOf,
  writeSeq64,
} from './generator.js';

/** Records task `index` of `tasks` produces out of `count` (-1: unbounded → Infinity). */
export function taskShare(count: number, tasks: number, index: number): number {
  if (count < 0) return Infinity;
  return Math.floor(count / tasks) + (index < count % tasks ? 1 : 0);
}

/**
 * Paces records with a token bucket: tokens accrue at `rate` per second up to one second's worth;
 * the bucket starts empty so a new task does not burst.
 */
export class TokenBucket {
  private tokens = 0;
  private last: number;
  private readonly capacity: number;

  constructor(
    readonly rate: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.capacity = Math.max(1, rate);
    this.last = now();
  }

  /** Takes up to `want` whole tokens; returns how many it took (0 when none is available yet). */
  take(want: number): number {
    this.refill();
    const n = Math.min(want, Math.floor(this.tokens));
    this.tokens -= n;
    return n;
  }

  /** Milliseconds until one whole token is available. */
  msUntilToken(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : ((1 - this.tokens) * 1000) / this.rate;
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) * this.rate) / 1000);
    this.last = t;
  }
}

const BYTES_SCHEMA = Schemas.OPTIONAL_BYTES_SCHEMA;
// Offsets are written as `{ seq }` literals (SEQ_FIELD): a computed key would defeat V8's literal boilerplate.
const KEY_INT64_SCHEMA = Schemas.INT64_SCHEMA;

export class DatagenSourceTask extends SourceTask {
  /** How long poll() waits once the task has produced its share (stop() cuts it short). */
  idleWaitMs = 1000;

  private topic = '';
  private format: Format = FORMAT_BYTES;
  private keyPattern: KeyPattern = KEY_PATTERN_NONE;
  private keyCardinality = 1;
  private recordSize = 0;
  private batchSize = 0;
  private seed32 = 0;
  private partition: SourceMap = {};
  /** Sequence of the next record, and the step between this task's sequences (the task count). */
  private nextSeq = 0;
  private stride = 1;
  /** Records this task still has to produce (Infinity when unbounded). */
  private remaining = Infinity;
  private bucket: TokenBucket | null = null;
  private stopped = false;
  private wake: (() => void) | null = null;

  // format=bytes
  private pool: Uint8Array = new Uint8Array(0);
  private fillerViews: Uint8Array[] = [];
  // format=json: payload strings by length, made on first use
  private pads: string[] = [];

  version(): string {
    return DATAGEN_CONNECTOR_VERSION;
  }

  /**
   * Parses the config and resumes after the last committed sequence of this task's partition.
   * @throws ConfigError for an invalid config; ConnectError when the stored offset is not one of
   *   this task's sequences (tasks.max changed since it was stored).
   */
  async start(props: Record<string, string>): Promise<void> {
    const config = new AbstractConfig(TASK_CONFIG_DEF, props);
    this.topic = config.getString(TOPIC_CONFIG)!;
    this.format = config.getString(FORMAT_CONFIG) as Format;
    this.keyPattern = config.getString(KEY_PATTERN_CONFIG) as KeyPattern;
    this.keyCardinality = config.getInt(KEY_CARDINALITY_CONFIG);
    this.recordSize = config.getInt(RECORD_SIZE_CONFIG);
    this.batchSize = config.getInt(BATCH_SIZE_CONFIG);
    this.seed32 = seed32Of(config.getLongExact(SEED_CONFIG)!);
    const index = config.getInt(TASK_INDEX_CONFIG);
    const tasks = config.getInt(TASK_COUNT_CONFIG);
    if (index >= tasks) {
      throw new ConnectError(`${TASK_INDEX_CONFIG}=${index} must be less than ${TASK_COUNT_CONFIG}=${tasks}`);
    }
    const rate = config.getDouble(RATE_CONFIG);
    this.stride = tasks;
    this.partition = { [TASK_FIELD]: index };
    this.stopped = false;
    this.bucket = null;
    this.pads = [];
    if (this.format === FORMAT_BYTES) {
      const pool = fillerPool(this.seed32, this.recordSize);
      const size = this.recordSize;
      this.pool = pool;
      this.fillerViews = Array.from({ length: fillerSlots(size) }, (_, i) => pool.subarray(i * size, (i + 1) * size));
    }

    const share = taskShare(config.getLong(COUNT_CONFIG), tasks, index);
    let done = 0;
    this.nextSeq = index;
    const stored = (await this.context.offsetStorageReader().offset(this.partition))?.[SEQ_FIELD];
    if (stored !== null && stored !== undefined) {
      const last = typeof stored === 'bigint' ? Number(stored) : stored;
      if (typeof last !== 'number' || !Number.isSafeInteger(last) || last < index || (last - index) % tasks !== 0) {
        throw new ConnectError(
          `Stored offset {"${SEQ_FIELD}":${String(stored)}} of source partition {"${TASK_FIELD}":${index}} is not a ` +
            `sequence of task ${index} of ${tasks}; was tasks.max changed? Use a new connector name to start over.`,
        );
      }
      done = (last - index) / tasks + 1;
      this.nextSeq = last + tasks;
    }
    this.remaining = Math.max(0, share - done);
    // Made last: a bucket made before the offset lookup would have accrued tokens meanwhile.
    if (rate > 0) this.bucket = new TokenBucket(rate / tasks);
  }

  /**
   * Up to batch.size records; fewer when paced (whatever the bucket holds, waiting for at least one
   * token) or near the end of `count`. Null once the task's share is produced (after idleWaitMs)
   * or when stopped.
   */
  async poll(): Promise<SourceRecord[] | null> {
    if (this.stopped) return null;
    if (this.remaining <= 0) {
      await this.sleep(this.idleWaitMs);
      return null;
    }
    let n = Math.min(this.batchSize, this.remaining);
    if (this.bucket) {
      n = await this.takeTokens(n);
      if (n === 0) return null;
    }
    const first = this.nextSeq;
    this.nextSeq += n * this.stride;
    this.remaining -= n;
    return this.format === FORMAT_BYTES ? this.bytesRecords(first, n) : this.jsonRecords(first, n);
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  private async takeTokens(want: number): Promise<number> {
    const bucket = this.bucket!;
    const deadline = performance.now() + this.idleWaitMs;
    for (;;) {
      const n = bucket.take(want);
      if (n > 0 || this.stopped) return n;
      const left = deadline - performance.now();
      if (left <= 0) return 0;
      // Timers run at millisecond granularity: at high rates the wait gathers a millisecond of tokens.
      await this.sleep(Math.min(left, Math.max(1, Math.ceil(bucket.msUntilToken()))));
    }
  }

  private bytesRecords(first: number, n: number): SourceRecord[] {
    const { recordSize: size, stride, partition, topic, keyPattern } = this;
    const ts = Date.now();
    const records = new Array<SourceRecord>(n);
    const values = new Uint8Array(n * size);
    const valueView = new DataView(values.buffer);
    const keyed = keyPattern !== KEY_PATTERN_NONE;
    const keys = keyed ? new Uint8Array(n * 8) : null;
    const keyView = keys ? new DataView(keys.buffer) : null;
    const keySchema: Schema | null = keyed ? BYTES_SCHEMA : null;
    const random = keyPattern === KEY_PATTERN_RANDOM;
    const fillers = this.fillerViews;
    const slots = fillers.length;
    const slotStep = stride % slots;
    let slot = first % slots;
    // Consecutive slots (one task, usually) are one run of the pool: copy them a run at a time.
    const bulk = slotStep === 1;
    if (bulk) this.copyFillerRuns(values, slot, n);
    let seq = first;
    for (let i = 0, off = 0; i < n; i++, off += size) {
      if (!bulk) values.set(fillers[slot]!, off);
      writeSeq64(valueView, off, seq);
      let key: Uint8Array | null = null;
      if (keys) {
        writeSeq64(keyView!, i * 8, random ? randomKey(seq, this.seed32, this.keyCardinality) : seq);
        key = new Uint8Array(keys.buffer, i * 8, 8);
      }
      records[i] = new SourceRecord(
        partition, { seq }, topic, null, keySchema, key, BYTES_SCHEMA, new Uint8Array(values.buffer, off, size), ts,
      );
      seq += stride;
      slot += slotStep;
      if (slot >= slots) slot -= slots;
    }
    return records;
  }

  /** Copies slots slot, slot+1, … (wrapping) of the filler pool into the first n record slots of values. */
  private copyFillerRuns(values: Uint8Array, slot: number, n: number): void {
    const pool = this.pool;
    const size = this.recordSize;
    const slots = this.fillerViews.length;
    for (let done = 0; done < n; slot = 0) {
      const run = Math.min(n - done, slots - slot);
      values.set(pool.subarray(slot * size, (slot + run) * size), done * size);
      done += run;
    }
  }

  private jsonRecords(first: number, n: number): SourceRecord[] {
    const { recordSize, stride, partition, topic, keyPattern, seed32, pads } = this;
    const ts = Date.now();
    const records = new Array<SourceRecord>(n);
    const keySchema: Schema | null = keyPattern === KEY_PATTERN_NONE ? null : KEY_INT64_SCHEMA;
    const random = keyPattern === KEY_PATTERN_RANDOM;
    // Payload length = size minus everything else; the digits of seq change rarely, so track them.
    const base = recordSize - JSON_FIXED_CHARS - decimalDigits(ts);
    let seqDigits = decimalDigits(first);
    let nextDigitAt = 10 ** seqDigits;
    let seq = first;
    for (let i = 0; i < n; i++) {
      while (seq >= nextDigitAt) {
        seqDigits++;
        nextDigitAt *= 10;
      }
      const h = seqHash(seq, seed32);
      const user = userOf(h);
      const action = actionOf(h);
      const padLength = Math.max(0, base - seqDigits - user.length - action.length);
      const pad = pads[padLength] ?? (pads[padLength] = PAD_CHAR.repeat(padLength));
      const value = new Map<string, unknown>();
      value.set('seq', seq);
      value.set('ts', ts);
      value.set('user', user);
      value.set('action', action);
      value.set('payload', pad);
      const key = keySchema === null ? null : random ? randomKey(seq, seed32, this.keyCardinality) : seq;
      records[i] = new SourceRecord(partition, { seq }, topic, null, keySchema, key, null, value, ts);
      seq += stride;
    }
    return records;
  }

  /** Waits `ms`, or until stop(). */
  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
