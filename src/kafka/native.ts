/**
 * The native batch addon (native/): sluice's hot-path Kafka clients and the futex waker for rings
 * with a native end. Loads in the main thread and in worker threads (the addon is context-aware),
 * lazily, on first use.
 *
 * ─── Consumer (sink side) ─────────────────────────────────────────────────────────────────────
 *
 *   const ring = createNativeRing(32 << 20);              // or a SharedArrayBuffer from elsewhere
 *   const consumer = new NativeConsumer({ config, topics: ['t'], ring });
 *   const batch = new RecordBatch();
 *   for (;;) {
 *     const frame = consumer.ring.read();                 // worker thread; readAsync() elsewhere
 *     if (frame === null) break;                          // ring closed: the consumer has stopped
 *     if (consumer.ring.frameKind === FrameKind.BATCH) { batch.reset(frame); …put, flush… }
 *     else handle(decodeEvent(frame));                    // assign / revoke / lost / error
 *     consumer.ring.release();
 *     consumer.storeOffsets(flushed);                     // next offset to read, per partition
 *   }
 *
 * The consumer's own thread writes one batch frame (src/data/batch.ts) per
 * rd_kafka_consume_batch_queue call and event frames (FrameKind.EVENT, UTF-8 JSON) in ring order:
 * an `assign` precedes every record of its partitions; a `revoke` follows every record of the
 * revoked partitions, and the native thread then waits (revokeAckTimeoutMs) for
 * `rebalanceDone(seq)` before it commits the stored offsets and gives the partitions up. So: on
 * `revoke`, flush the sink, storeOffsets, then rebalanceDone(event.seq). `lost` needs no answer
 * and commits nothing. `error` events carry librdkafka's errors (fatal ones end the stream) and
 * `log` events its log lines (librdkafka prints nothing itself).
 *
 * ─── Producer (source side) ───────────────────────────────────────────────────────────────────
 *
 *   const producer = new NativeProducer({ config, input: createNativeRing(..), reports: createNativeRing(..) });
 *   // JS writes BatchWriter frames to producer.input (FrameKind.BATCH); the n-th frame it commits
 *   // has sequence n (0, 1, 2 …). It reads producer.reports: FrameKind.DELIVERY_REPORTS frames
 *   // (DeliveryReports: one entry per record: frame sequence, index, partition, offset, error) and
 *   // FrameKind.EVENT frames (errors). Read reports while writing: the producer stops taking frames
 *   // when its report backlog is full.
 *   await producer.close();    // produces what was committed, flushes, every record gets a report
 *
 * Rings with a native end must use NATIVE_WAKER on the JS side (createNativeRing does): V8's
 * Atomics.wait/notify cannot wake or be woken by a native thread.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RingBuffer, type RingWaker, type WaitResult } from '../engine/ring/ring-buffer.js';

// ─── loading ────────────────────────────────────────────────────────────────────────────────────

interface RawConsumer {
  storeOffsets(topics: string[], partitions: number[], offsets: number[]): number;
  commit(topics: string[] | null, partitions: number[] | null, offsets: number[] | null, timeoutMs: number): void;
  commitAsync(): void;
  commitResults(): [answers: number, error: string | null];
  rebalanceDone(seq: number): void;
  pause(topics: string[], partitions: number[]): void;
  resume(topics: string[], partitions: number[]): void;
  seek(topics: string[], partitions: number[], offsets: number[], timeoutMs: number): void;
  assignment(): NativeTopicPartition[];
  stats(): NativeConsumerStats;
  close(): Promise<void>;
  closeSync(): void;
}

interface RawProducer {
  close(timeoutMs?: number): Promise<void>;
  closeSync(timeoutMs?: number): void;
  stats(): NativeProducerStats;
}

/** The addon's exports (native/src/addon.cc). */
export interface NativeAddon {
  readonly librdkafkaVersion: string;
  wait(ctrl: Int32Array, index: number, expected: number, timeoutMs: number): WaitResult;
  waitAsync(ctrl: Int32Array, index: number, expected: number, timeoutMs: number): WaitResult | Promise<WaitResult>;
  notify(ctrl: Int32Array, index: number): number;
  errorName(code: number): string;
  errorString(code: number): string;
  /** memmove of src[srcStart, srcEnd) to dst at dstPos; returns dstPos + the bytes copied. */
  copyBytes(src: Uint8Array, srcStart: number, srcEnd: number, dst: Uint8Array, dstPos: number): number;
  /**
   * json-text/scan.ts scanRootObject in C++ (native/src/json_scan.cc): 2 × members + 1 when every
   * name is short ASCII, -1 not scanned, -2 when `cells` is too small.
   */
  scanJsonObject(bytes: Uint8Array, cells: Int32Array): number;
  /**
   * scanJsonObject for the values of records [from, to) of a frame (payload[offsets[i], +lengths[i])):
   * per record index[2k] = first member in cells (-1: not scanned), index[2k+1] = scanJsonObject's
   * answer; returns the members written or -2 when cells or index is too small.
   */
  scanJsonObjects(payload: Uint8Array, offsets: Int32Array, lengths: Int32Array, from: number, to: number, cells: Int32Array, index: Int32Array): number;
  /**
   * The printer's second pass (native/src/json_print.cc; json-text/line-script.ts): ops[from, to)
   * printed into out at pos. 0 (result[1] = the end), or -3 / -2 when a record holds a value left
   * to JavaScript / out is full (result = [the record's first op, the position there]).
   */
  printLines(payload: Uint8Array, cells: Int32Array, ops: Int32Array, from: number, to: number, scratch: Uint8Array, out: Uint8Array, pos: number, result: Int32Array): number;
  Consumer: new (
    config: string[],
    topics: string[],
    ring: Uint8Array,
    maxRecords: number,
    maxFrameBytes: number,
    batchTimeoutMs: number,
    revokeAckTimeoutMs: number,
    assignPartitions: number[] | null,
    assignOffsets: number[] | null,
  ) => RawConsumer;
  Producer: new (
    config: string[],
    input: Uint8Array,
    reports: Uint8Array,
    copy: boolean,
    maxReportsPerFrame: number,
    flushTimeoutMs: number,
  ) => RawProducer;
}

/** The addon is not built or does not load (run `npm run build:native`). */
export class NativeAddonError extends Error {
  override name = 'NativeAddonError';
}

const ADDON_BUILDS = ['native/build/Release/sluice_native.node', 'native/build/Debug/sluice_native.node'];

/** native/build/{Release,Debug} of the nearest folder above this module that has one. */
function addonCandidates(): string[] {
  const tried: string[] = [];
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    for (const rel of ADDON_BUILDS) tried.push(join(dir, rel));
    const up = dirname(dir);
    if (up === dir) return tried;
    dir = up;
  }
}

let loaded: NativeAddon | undefined;
let loadError: Error | undefined;

/**
 * The addon for this thread (loaded once per thread). SLUICE_NATIVE_ADDON may name the .node file;
 * otherwise native/build/{Release,Debug} of the package this module lives in (found by walking up
 * from this file, so src/, dist/ and compiled benchmarks all find it).
 */
export function nativeAddon(): NativeAddon {
  if (loaded !== undefined) return loaded;
  if (loadError !== undefined) throw loadError;
  const require = createRequire(import.meta.url);
  const override = process.env.SLUICE_NATIVE_ADDON;
  const paths = override ? [override] : addonCandidates();
  const found = paths.find((p) => existsSync(p));
  if (found === undefined) {
    loadError = new NativeAddonError(
      `the sluice native addon is not built (no native/build/Release/sluice_native.node above ${dirname(fileURLToPath(import.meta.url))}); run \`npm run build:native\` (needs node-rdkafka installed)`,
    );
    throw loadError;
  }
  try {
    loaded = require(found) as NativeAddon;
  } catch (err) {
    loadError = new NativeAddonError(`the sluice native addon at ${found} does not load: ${(err as Error).message}`);
    throw loadError;
  }
  return loaded;
}

/** Whether the addon can be loaded in this thread. */
export function isNativeAvailable(): boolean {
  try {
    nativeAddon();
    return true;
  } catch {
    return false;
  }
}

/** Why the addon cannot be loaded, or null when it loads. */
export function nativeLoadError(): Error | null {
  return isNativeAvailable() ? null : (loadError ?? null);
}

/** librdkafka's "name" of an error code (e.g. `_TRANSPORT`, `UNKNOWN_TOPIC_OR_PART`). */
export function kafkaErrorName(code: number): string {
  return nativeAddon().errorName(code);
}

/** librdkafka's description of an error code. */
export function kafkaErrorString(code: number): string {
  return nativeAddon().errorString(code);
}

// ─── waker and rings ────────────────────────────────────────────────────────────────────────────

/**
 * The RingWaker for the JS side of a ring whose other side is native: futex wait/wake on the
 * same word. wait() blocks the calling thread (use it in worker threads; on the main thread it
 * blocks the event loop, like Atomics.wait); waitAsync() settles a promise from a native waiter
 * thread and, like Atomics.waitAsync, does not keep the process alive by itself.
 */
export const NATIVE_WAKER: RingWaker = {
  wait: (ctrl, index, expected, timeoutMs) => nativeAddon().wait(ctrl, index, expected, timeoutMs),
  waitAsync: (ctrl, index, expected, timeoutMs) => nativeAddon().waitAsync(ctrl, index, expected, timeoutMs),
  notify: (ctrl, index) => {
    nativeAddon().notify(ctrl, index);
  },
};

/** A new ring for use with a native end (NATIVE_WAKER on this side). */
export function createNativeRing(capacity: number): RingBuffer {
  return RingBuffer.create(capacity, { waker: NATIVE_WAKER });
}

/** Frame kinds in the ring's per-frame `kind` word (native/src/ring.h FrameKind). */
export const FrameKind = {
  /** A batch frame (src/data/batch.ts). */
  BATCH: 1,
  /** A UTF-8 JSON event: ConsumerEvent / NativeErrorEvent. */
  EVENT: 2,
  /** Delivery reports of the native producer (DeliveryReports). */
  DELIVERY_REPORTS: 3,
} as const;

function bufferOf(ring: RingBuffer | SharedArrayBuffer, what: string): SharedArrayBuffer {
  const buffer = ring instanceof RingBuffer ? ring.buffer : ring;
  if (!(buffer instanceof SharedArrayBuffer)) throw new TypeError(`${what} must be a RingBuffer or the SharedArrayBuffer of one`);
  RingBuffer.attach(buffer); // validates the control block (throws RingError)
  return buffer;
}

function configEntries(config: Record<string, string | number | boolean | undefined>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(config)) if (v !== undefined) out.push(k, String(v));
  return out;
}

// ─── events ─────────────────────────────────────────────────────────────────────────────────────

export interface NativeTopicPartition {
  topic: string;
  partition: number;
}

export interface NativeTopicPartitionOffset extends NativeTopicPartition {
  /** For storeOffsets/commit: the next offset to read (last processed + 1). */
  offset: number | bigint;
}

export interface AssignEvent {
  type: 'assign';
  /** Rebalance sequence (1, 2, …) of this consumer. */
  seq: number;
  /** COOPERATIVE protocol: these partitions are added to the assignment (else they replace it). */
  incremental: boolean;
  /** Offsets are librdkafka's (-1001 = the committed offset will be used). */
  partitions: { topic: string; partition: number; offset: number }[];
}

export interface RevokeEvent {
  /** 'revoke': answer with rebalanceDone(seq) after flushing; 'lost': nothing to answer or commit. */
  type: 'revoke' | 'lost';
  seq: number;
  incremental: boolean;
  partitions: NativeTopicPartition[];
}

export interface NativeErrorEvent {
  type: 'error';
  /** librdkafka error code (rd_kafka_resp_err_t) and its name, e.g. -195 / `_TRANSPORT`. */
  code: number;
  name: string;
  message: string;
  /** The client has stopped (the ring is closed after this event). */
  fatal: boolean;
  topic?: string;
  partition?: number;
}

/**
 * A librdkafka log line (instead of librdkafka printing to stderr). `level` is syslog's: 3 error,
 * 4 warning, 6 info, 7 debug; the `log_level` / `debug` properties decide what comes.
 */
export interface NativeLogEvent {
  type: 'log';
  level: number;
  facility: string;
  message: string;
}

export type ConsumerEvent = AssignEvent | RevokeEvent | NativeErrorEvent | NativeLogEvent;

/** Decodes a FrameKind.EVENT frame (consumer ring or producer report ring). */
export function decodeEvent(frame: Uint8Array): ConsumerEvent {
  // TextDecoder refuses views of shared memory: copy the (small, rare) event first.
  return JSON.parse(eventDecoder.decode(frame.slice())) as ConsumerEvent;
}

const eventDecoder = new TextDecoder('utf-8');

// ─── consumer ───────────────────────────────────────────────────────────────────────────────────

export interface NativeConsumerOptions {
  /** librdkafka properties (group.id and bootstrap.servers at least). */
  config: Record<string, string | number | boolean | undefined>;
  /** Topics, or a regex subscription: a RegExp or a string starting with `^` (ignored with `assignment`). */
  topics: readonly string[] | string | RegExp;
  /**
   * Partitions to read without a consumer group's membership, each from `offset` (the next offset
   * to read; ASSIGN_FROM_COMMITTED for the group's committed offset, else auto.offset.reset). No
   * assign or revoke events come then. group.id is still required by librdkafka's consumer.
   */
  assignment?: readonly NativeTopicPartitionOffset[];
  /** The ring the consumer writes into (its capacity bounds the frame size: capacity / 2 - 8). */
  ring: RingBuffer | SharedArrayBuffer;
  /** Records per batch call and frame (default 5000). */
  maxRecordsPerFrame?: number;
  /** Bytes per frame (default and maximum: the ring's maxFrameBytes). */
  maxFrameBytes?: number;
  /** How long one batch call waits for maxRecordsPerFrame records (default 20 ms). */
  batchTimeoutMs?: number;
  /** How long a revocation waits for rebalanceDone(seq) (default 60 000 ms; 0 = not at all). */
  revokeAckTimeoutMs?: number;
}

export interface NativeConsumerStats {
  frames: number;
  records: number;
  /** Batch-frame bytes written to the ring. */
  bytes: number;
  events: number;
  /** The native thread is still running. */
  running: boolean;
}

/** An assignment offset meaning "the group's committed offset, else auto.offset.reset" (librdkafka's RD_KAFKA_OFFSET_STORED). */
export const ASSIGN_FROM_COMMITTED = -1000;

export const NATIVE_CONSUMER_DEFAULTS = {
  maxRecordsPerFrame: 5000,
  batchTimeoutMs: 20,
  revokeAckTimeoutMs: 60_000,
} as const;

function splitOffsets(offsets: readonly NativeTopicPartitionOffset[]): [string[], number[], number[]] {
  const topics = new Array<string>(offsets.length);
  const partitions = new Array<number>(offsets.length);
  const values = new Array<number>(offsets.length);
  for (let i = 0; i < offsets.length; i++) {
    const o = offsets[i]!;
    topics[i] = o.topic;
    partitions[i] = o.partition;
    values[i] = Number(o.offset);
  }
  return [topics, partitions, values];
}

function splitPartitions(list: readonly NativeTopicPartition[]): [string[], number[]] {
  return [list.map((p) => p.topic), list.map((p) => p.partition)];
}

/**
 * A librdkafka consumer with its own native thread, writing batch and event frames into a ring.
 * Create it in the thread that reads the ring (it is bound to that thread's event loop); the
 * reader uses `consumer.ring` (or its own RingBuffer with NATIVE_WAKER). An open consumer keeps
 * the event loop alive until close().
 */
export class NativeConsumer {
  private readonly raw: RawConsumer;
  private readonly sab: SharedArrayBuffer;
  private reader: RingBuffer | undefined;

  constructor(options: NativeConsumerOptions) {
    const addon = nativeAddon();
    this.sab = bufferOf(options.ring, 'ring');
    const topics =
      options.topics instanceof RegExp
        ? [`^${options.topics.source.replace(/^\^/, '')}`]
        : typeof options.topics === 'string'
          ? [options.topics]
          : [...options.topics];
    const assigned = options.assignment ? splitOffsets(options.assignment) : null;
    this.raw = new addon.Consumer(
      configEntries(options.config),
      assigned ? assigned[0] : topics,
      new Uint8Array(this.sab),
      options.maxRecordsPerFrame ?? NATIVE_CONSUMER_DEFAULTS.maxRecordsPerFrame,
      options.maxFrameBytes ?? 0,
      options.batchTimeoutMs ?? NATIVE_CONSUMER_DEFAULTS.batchTimeoutMs,
      options.revokeAckTimeoutMs ?? NATIVE_CONSUMER_DEFAULTS.revokeAckTimeoutMs,
      assigned ? assigned[1] : null,
      assigned ? assigned[2] : null,
    );
  }

  /** The reading side of the ring for this thread, with NATIVE_WAKER (created on first use). */
  get ring(): RingBuffer {
    return (this.reader ??= RingBuffer.attach(this.sab, { waker: NATIVE_WAKER }));
  }

  /**
   * Store the next offsets to commit (what the sink has flushed: last record + 1) for the
   * auto-commit timer, commit() and revocations. Returns how many were not stored because the
   * partition is no longer assigned to this consumer.
   */
  storeOffsets(offsets: readonly NativeTopicPartitionOffset[]): number {
    if (offsets.length === 0) return 0;
    const [t, p, o] = splitOffsets(offsets);
    return this.raw.storeOffsets(t, p, o);
  }

  /**
   * Commit now and wait for the group coordinator (blocks this thread up to timeoutMs): the
   * stored offsets, or the given ones. For shutdown and revocation; normal operation relies on
   * the auto-commit timer.
   */
  commit(offsets?: readonly NativeTopicPartitionOffset[], timeoutMs = 10_000): void {
    if (offsets === undefined) {
      this.raw.commit(null, null, null, timeoutMs);
    } else if (offsets.length > 0) {
      const [t, p, o] = splitOffsets(offsets);
      this.raw.commit(t, p, o, timeoutMs);
    }
  }

  /**
   * Commit the stored offsets without waiting for the group coordinator: its answer is read later
   * with commitResults(). How a sink task commits while it runs, as Kafka Connect's does.
   */
  commitAsync(): void {
    this.raw.commitAsync();
  }

  /**
   * The answers to commitAsync() that arrived since the last call (never waits): how many, and
   * the error of the last one that failed, if any.
   */
  commitResults(): { answers: number; error: string | null } {
    const [answers, error] = this.raw.commitResults();
    return { answers, error };
  }

  /** The revoke event `seq` is handled (sink flushed, offsets stored): the native side may commit. */
  rebalanceDone(seq: number): void {
    this.raw.rebalanceDone(seq);
  }

  /** Stop fetching these partitions (records already in the ring are still delivered). */
  pause(partitions: readonly NativeTopicPartition[]): void {
    if (partitions.length > 0) this.raw.pause(...splitPartitions(partitions));
  }

  resume(partitions: readonly NativeTopicPartition[]): void {
    if (partitions.length > 0) this.raw.resume(...splitPartitions(partitions));
  }

  /**
   * Fetch from these offsets next (blocks up to timeoutMs). Frames already in the ring still hold
   * records from before the seek: skip records below the new offset of their partition.
   */
  seek(offsets: readonly NativeTopicPartitionOffset[], timeoutMs = 5000): void {
    if (offsets.length === 0) return;
    const [t, p, o] = splitOffsets(offsets);
    this.raw.seek(t, p, o, timeoutMs);
  }

  assignment(): NativeTopicPartition[] {
    return this.raw.assignment();
  }

  stats(): NativeConsumerStats {
    return this.raw.stats();
  }

  /**
   * Leave the group (revoking partitions commits the stored offsets), stop the thread, close the
   * ring (the reader sees the end of the stream). Resolves when the thread has been joined.
   */
  close(): Promise<void> {
    return this.raw.close();
  }

  /**
   * close(), reading the ring until it ends: frames still in it are dropped (they were never
   * handed to anyone, so their offsets were never stored), and the final revocation is answered
   * at once (offsets were stored before this is called). For the thread that reads the ring.
   */
  async closeDraining(pollMs = 100): Promise<void> {
    const closed = this.close();
    const ring = this.ring;
    for (;;) {
      const frame = ring.tryRead() ?? (await ring.readAsync(pollMs));
      if (frame === null) {
        if (ring.isEnded) break;
        continue;
      }
      if (ring.frameKind === FrameKind.EVENT) {
        const event = decodeEvent(frame);
        if (event.type === 'revoke') this.rebalanceDone(event.seq);
      }
      ring.release();
    }
    await closed;
  }

  /** close(), blocking this thread until done. */
  closeSync(): void {
    this.raw.closeSync();
  }
}

// ─── producer ───────────────────────────────────────────────────────────────────────────────────

export interface NativeProducerOptions {
  /** librdkafka properties; acks=all and enable.idempotence=true unless overridden. */
  config: Record<string, string | number | boolean | undefined>;
  /** Ring of BatchWriter frames (FrameKind.BATCH) written by JS. */
  input: RingBuffer | SharedArrayBuffer;
  /** Ring the delivery reports and error events are written into. */
  reports: RingBuffer | SharedArrayBuffer;
  /**
   * true (default): librdkafka copies each value (RD_KAFKA_MSG_F_COPY) and input frames are
   * released as soon as they are enqueued. false: values are sent from the ring in place and a
   * frame is released after its last delivery report (see native/README.md for the measurement).
   */
  copy?: boolean;
  /** Delivery reports per report frame (default: as many as fit, up to 8192). */
  maxReportsPerFrame?: number;
  /** Flush timeout when the input ring is closed, or for close() without a timeout (default 30 s). */
  flushTimeoutMs?: number;
}

export interface NativeProducerStats {
  frames: number;
  records: number;
  reports: number;
  reportFrames: number;
  /** Reports with an error code. */
  failed: number;
  /** QUEUE_FULL answers from librdkafka (each followed by a 10 ms poll). */
  queueFullRetries: number;
  /** Reports dropped at close because nobody read the report ring. */
  droppedReports: number;
  running: boolean;
}

/** Layout of a FrameKind.DELIVERY_REPORTS frame (native/src/producer.cc Report). */
export const DeliveryReportLayout = {
  /** 'SLDR' as a little-endian int32, at byte 0; the entry count is at byte 4. */
  MAGIC: 0x52444c53,
  HEADER_BYTES: 16,
  ENTRY_BYTES: 32,
} as const;

/**
 * Typed views over one delivery-report frame; reuse one instance with reset(). Entry i:
 * float64 offset (-1 = not delivered), float64 timestamp (-1 = none), int32 frame sequence,
 * int32 record index, int32 partition, int32 error code (0 = delivered).
 */
export class DeliveryReports {
  count = 0;
  private f64: Float64Array = new Float64Array(0);
  private i32: Int32Array = new Int32Array(0);

  static from(frame: Uint8Array): DeliveryReports {
    return new DeliveryReports().reset(frame);
  }

  reset(frame: Uint8Array): this {
    if ((frame.byteOffset & 7) !== 0 || frame.length < DeliveryReportLayout.HEADER_BYTES) throw new RangeError('not a delivery-report frame');
    const head = new Int32Array(frame.buffer, frame.byteOffset, 2);
    if (head[0] !== DeliveryReportLayout.MAGIC) throw new RangeError('not a delivery-report frame (bad magic)');
    const n = head[1]!;
    if (DeliveryReportLayout.HEADER_BYTES + n * DeliveryReportLayout.ENTRY_BYTES > frame.length) throw new RangeError('delivery-report frame truncated');
    const at = frame.byteOffset + DeliveryReportLayout.HEADER_BYTES;
    this.f64 = new Float64Array(frame.buffer, at, 4 * n);
    this.i32 = new Int32Array(frame.buffer, at, 8 * n);
    this.count = n;
    return this;
  }

  offset(i: number): number {
    return this.f64[4 * i]!;
  }

  timestamp(i: number): number {
    return this.f64[4 * i + 1]!;
  }

  /** Sequence of the input frame (0 for the first batch frame committed to the input ring). */
  frameSeq(i: number): number {
    return this.i32[8 * i + 4]!;
  }

  /** Index of the record in its input frame. */
  index(i: number): number {
    return this.i32[8 * i + 5]!;
  }

  partition(i: number): number {
    return this.i32[8 * i + 6]!;
  }

  /** rd_kafka_resp_err_t; 0 = delivered. kafkaErrorName() names it. */
  errorCode(i: number): number {
    return this.i32[8 * i + 7]!;
  }
}

/**
 * A librdkafka producer with its own native thread, draining batch frames from `input` and
 * writing delivery reports to `reports`. An open producer keeps the event loop alive until
 * close() or until the input ring is closed and everything is flushed.
 */
export class NativeProducer {
  private readonly raw: RawProducer;
  private readonly inputSab: SharedArrayBuffer;
  private readonly reportSab: SharedArrayBuffer;
  private writer: RingBuffer | undefined;
  private reader: RingBuffer | undefined;

  constructor(options: NativeProducerOptions) {
    const addon = nativeAddon();
    this.inputSab = bufferOf(options.input, 'input');
    this.reportSab = bufferOf(options.reports, 'reports');
    if (this.inputSab === this.reportSab) throw new TypeError('input and reports must be different rings');
    this.raw = new addon.Producer(
      configEntries(options.config),
      new Uint8Array(this.inputSab),
      new Uint8Array(this.reportSab),
      options.copy ?? true,
      options.maxReportsPerFrame ?? 8192,
      options.flushTimeoutMs ?? 30_000,
    );
  }

  /** The writing side of the input ring for this thread (NATIVE_WAKER). */
  get input(): RingBuffer {
    return (this.writer ??= RingBuffer.attach(this.inputSab, { waker: NATIVE_WAKER }));
  }

  /** The reading side of the report ring for this thread (NATIVE_WAKER). */
  get reports(): RingBuffer {
    return (this.reader ??= RingBuffer.attach(this.reportSab, { waker: NATIVE_WAKER }));
  }

  stats(): NativeProducerStats {
    return this.raw.stats();
  }

  /**
   * Produce every frame committed so far, flush (purging what is left after timeoutMs, so those
   * records get error reports), write the last reports, close the report ring. Keep reading
   * reports until it resolves.
   */
  close(timeoutMs?: number): Promise<void> {
    return this.raw.close(timeoutMs);
  }

  /** close(), blocking this thread (the report ring must be read by another thread meanwhile). */
  closeSync(timeoutMs?: number): void {
    this.raw.closeSync(timeoutMs);
  }
}
