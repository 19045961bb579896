/**
 * Runs one source task inside its task thread: poll() → converters → batch frames written into
 * the native producer's input ring; delivery reports come back through a second ring and
 * acknowledge records. A source offset is sent to the main thread (which stores it) only once
 * every earlier record of its source partition is acknowledged.
 */
import type { MessagePort } from 'node:worker_threads';
import { ConnectError } from '../../api/errors.js';
import {
  isKafkaInputTask, isRawSourceTask, SourceTask, type KafkaInput, type RawSourceTask, type OffsetStorageReader, type RecordMetadata, type SourceTaskContext,
} from '../../api/source.js';
import { ByteArrayConverter } from '../../converters/bytearray.js';
import { StringConverter } from '../../converters/string.js';
import { RecordBatch } from '../../data/batch.js';
import { retopicFrame, retopicFrameBytes } from '../../data/batch-retopic.js';
import { BatchWriter, type BatchHeaderEntry } from '../../data/batch-writer.js';
import type { SourceMap, SourceRecord } from '../../data/record.js';
import {
  ASSIGN_FROM_COMMITTED, createNativeRing, decodeEvent, DeliveryReports, FrameKind, kafkaErrorName, NativeConsumer,
  NativeProducer,
} from '../../kafka/native.js';
import { FrameOffsets, type FrameOffsetEntry } from '../frame-offsets.js';
import { hasNoHeaders, KafkaInputNames } from '../kafka-input-frames.js';
import { RawFrameSink } from '../raw-frame-sink.js';
import { offsetKey } from '../../storage/offset-key.js';
import { traceOf } from '../status-listener.js';
import { SubmittedRecords, type SubmittedRecord } from '../submitted-records.js';
import type { TaskConverters } from '../task-converters.js';
import type { SourceTaskSpec } from './messages.js';
import { TaskHost } from './task-host.js';
import { createTaskPlugins } from './task-plugins.js';
import { toBatchHeaders } from '../record-conversion.js';
import type { TransformationChain } from '../../transforms/chain.js';

const INPUT_RING_BYTES = 32 << 20;
/** The consumer ring of a Kafka-input task (frames up to half of it, re-topiced into the input ring). */
const CONSUMER_RING_BYTES = 32 << 20;
const REPORT_RING_BYTES = 8 << 20;
/** Records and bytes per input frame. */
const FRAME_RECORDS = 5000;
const FRAME_PAYLOAD_BYTES = 4 << 20;
const POLL_MS = 100;
/** Produced but unacknowledged records, at most (bounds what a crash can repeat). */
const MAX_UNACKNOWLEDGED = 100_000;

interface Converted {
  record: SourceRecord;
  /** Submitted in poll order, dropped records included, so offsets commit in that order (null: tracked by frame). */
  handle: SubmittedRecord | null;
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers: BatchHeaderEntry[] | null;
}

interface PendingFrame {
  /** Per record, for polled records; null for a Kafka-input task's frames, tracked by `entry`. */
  handles: (SubmittedRecord | null)[] | null;
  entry: FrameOffsetEntry | null;
  /** Kept only when the task overrides commitRecord(). */
  records: SourceRecord[] | null;
  unacked: number;
}

export class SourceTaskHost extends TaskHost {
  private task!: SourceTask;
  private converters!: TaskConverters;
  private transforms: TransformationChain<SourceRecord> | null = null;
  private producer: NativeProducer | null = null;
  private readonly writer = new BatchWriter();
  private readonly submitted: SubmittedRecords;
  private readonly frames = new Map<number, PendingFrame>();
  private nextFrameSeq = 0;
  private producerError: Error | null = null;
  private wantsCommitRecord = false;
  /** A Kafka-input task's consumer and its offsets by frame (null for polling tasks). */
  private consumer: NativeConsumer | null = null;
  private frameOffsets: FrameOffsets | null = null;

  constructor(private readonly spec: SourceTaskSpec, port: MessagePort) {
    super(spec, port);
    this.submitted = new SubmittedRecords(spec.connector);
  }

  protected override onPause(): void {
    this.consumer?.pause(this.consumer.assignment());
  }

  protected override onResume(): void {
    this.consumer?.resume(this.consumer.assignment());
  }

  protected override onStop(): void {
    this.submitted.releaseWaiters();
    // SourceTask.stop() is how Kafka Connect interrupts a blocking poll().
    void Promise.resolve()
      .then(() => this.task?.stop())
      .catch((err: unknown) => this.log.warn({ err }, `${this.name} stop failed`));
  }

  async run(): Promise<void> {
    let commitTimer: NodeJS.Timeout | undefined;
    let reportsDone: Promise<void> | null = null;
    try {
      const { task, converters, transforms } = await createTaskPlugins<SourceRecord>(this.spec);
      this.task = task as SourceTask;
      this.converters = converters;
      this.transforms = transforms;
      this.wantsCommitRecord = this.task.commitRecord !== SourceTask.prototype.commitRecord;
      const context: SourceTaskContext = {
        configs: Object.freeze({ ...this.spec.taskConfig }),
        offsetStorageReader: () => this.offsetReader(),
      };
      this.task.initialize(context);
      await this.task.start(this.spec.taskConfig);
      this.producer = new NativeProducer({
        config: this.spec.producerConfig,
        input: createNativeRing(INPUT_RING_BYTES),
        reports: createNativeRing(REPORT_RING_BYTES),
      });
      reportsDone = this.readReports(this.producer);
      commitTimer = setInterval(() => this.postOffsets(), this.spec.offsetFlushIntervalMs);
      this.post({ type: 'state', state: this.paused ? 'PAUSED' : 'RUNNING' });
      const source = this.task;
      if (isKafkaInputTask(source)) await this.pumpKafka(await source.kafkaInput());
      else if (isRawSourceTask(source) && this.rawEligible(source)) await this.pumpRaw(source);
      else await this.loop();
      // Clean stop: everything written is produced and acknowledged (or fails) before the last commit.
      await this.producer.close(this.spec.offsetFlushTimeoutMs);
      await reportsDone;
      this.postOffsets();
      this.post({ type: 'state', state: 'UNASSIGNED' });
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      this.log.error({ err: error }, `${this.name} failed: ${error.message}`);
      this.post({ type: 'state', state: 'FAILED', trace: traceOf(error), message: error.message });
      if (this.producer) {
        await this.producer.close(this.spec.offsetFlushTimeoutMs).catch(() => {});
        await reportsDone?.catch(() => {});
      }
      // Offsets of what was acknowledged are still safe to commit.
      this.postOffsets();
    } finally {
      clearInterval(commitTimer);
      await this.closeConsumer().catch((err: unknown) => this.log.warn({ err }, `${this.name}: the consumer did not close cleanly`));
      await Promise.resolve(this.task?.stop()).catch(() => {});
      this.transforms?.close();
    }
    this.post({ type: 'stopped' });
    this.port.close();
  }

  private offsetReader(): OffsetStorageReader {
    const stored = new Map(this.spec.storedOffsets.map((o) => [offsetKey(this.spec.connector, o.partition), o.offset]));
    const get = (p: SourceMap): SourceMap | null => stored.get(offsetKey(this.spec.connector, p)) ?? null;
    return {
      offset: async (p) => get(p),
      offsets: async (ps) => new Map(ps.map((p) => [p, get(p)] as const)),
    };
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      if (this.paused) {
        await this.untilResumed();
        continue;
      }
      if (this.producerError) throw this.producerError;
      const records = await this.task.poll();
      if (records && records.length > 0) await this.write(records);
      if (this.submitted.pending >= MAX_UNACKNOWLEDGED) await this.submitted.awaitPendingBelow(MAX_UNACKNOWLEDGED / 2);
      // poll() may answer from memory: yield so reports, timers and control messages are served.
      await new Promise((r) => setImmediate(r));
    }
  }

  /**
   * Whether the task's raw records would be the same bytes as its polled ones once converted:
   * see RawSourceTask. Otherwise (or with no raw support) the task is polled.
   */
  private rawEligible(task: SourceTask & RawSourceTask): boolean {
    const { key, value } = this.converters;
    return this.transforms!.isEmpty && !this.wantsCommitRecord &&
      task.rawValueFormat === 'utf8' && value instanceof StringConverter && value.writesUtf8 &&
      key.fromConnectData('', null, null, null) === null;
  }

  /**
   * A raw source task: pollRaw() writes records straight into frames reserved in the producer's
   * ring; their source offsets are tracked per frame. No object is made per record.
   */
  private async pumpRaw(task: SourceTask & RawSourceTask): Promise<void> {
    const offsets = (this.frameOffsets = new FrameOffsets());
    const producer = this.producer!;
    const sink = new RawFrameSink();
    const usualFrame = Math.min(producer.input.maxFrameBytes, BatchWriter.estimate(FRAME_RECORDS, FRAME_PAYLOAD_BYTES, { count: 16, nameBytes: 4096 }));
    let frameBytes = usualFrame;
    this.log.info(`${this.name}: records written straight into frames (pollRaw)`);
    while (!this.stopping) {
      if (this.paused) {
        await this.untilResumed();
        continue;
      }
      if (this.producerError) throw this.producerError;
      const view = await producer.input.reserveAsync(frameBytes);
      if (view === null) throw new ConnectError(`${this.name}: the producer stopped taking records`);
      let n: number;
      try {
        n = await task.pollRaw(sink.reset(view, FRAME_RECORDS));
      } catch (err) {
        producer.input.abort();
        throw err;
      }
      if (sink.refusedFirst >= 0) {
        // One record larger than a usual frame: give it the largest frame the ring holds, once.
        if (frameBytes === producer.input.maxFrameBytes) {
          throw new ConnectError(`${this.name}: a record of ${sink.refusedFirst} bytes does not fit a frame of the producer's ring (${frameBytes} bytes)`);
        }
        frameBytes = producer.input.maxFrameBytes;
      } else {
        frameBytes = usualFrame;
      }
      if (sink.count === 0) {
        producer.input.abort();
        // A poll that only moved offsets (nothing to produce) still makes them committable.
        if (sink.offsets.size > 0) {
          const entry = offsets.open();
          for (const [k, o] of sink.offsets) entry.offsets.set(k, o);
          offsets.seal(entry);
        }
      } else {
        const entry = offsets.open();
        for (const [k, o] of sink.offsets) entry.offsets.set(k, o);
        this.reportActiveTopics(sink.topics);
        this.frames.set(this.nextFrameSeq++, { handles: null, entry, records: null, unacked: sink.count });
        offsets.written(entry, sink.count);
        offsets.seal(entry);
        producer.input.commit(sink.finish(), FrameKind.BATCH);
      }
      // pollRaw may answer from memory: yield so reports, timers and control messages are served.
      if (n > 0) await new Promise((r) => setImmediate(r));
    }
  }

  /**
   * A Kafka-input task (MirrorMaker): consume its partitions on a native consumer and hand every
   * frame on to the producer, as it is (topics renamed) when the converters pass bytes through
   * and nothing transforms, else record by record through transforms and converters.
   */
  private async pumpKafka(input: KafkaInput): Promise<void> {
    const offsets = (this.frameOffsets = new FrameOffsets());
    const names = new KafkaInputNames(input);
    const { key, value, header } = this.converters;
    // Frames can go on whole only if every record would come out byte for byte, and only if no
    // commitRecord() wants the records themselves.
    const bytesThrough = this.transforms!.isEmpty && !this.wantsCommitRecord &&
      key instanceof ByteArrayConverter && value instanceof ByteArrayConverter;
    const headersThrough = header instanceof ByteArrayConverter;
    const producer = this.producer!;
    const consumer = (this.consumer = new NativeConsumer({
      config: input.consumerConfig,
      topics: [],
      assignment: input.partitions.map((p) => ({ topic: p.topic, partition: p.partition, offset: p.offset ?? ASSIGN_FROM_COMMITTED })),
      ring: createNativeRing(CONSUMER_RING_BYTES),
      // A consumed frame plus its new topic table must fit one frame of the producer's ring.
      maxFrameBytes: producer.input.maxFrameBytes - (64 << 10),
    }));
    if (this.paused) this.onPause();
    const how = bytesThrough
      ? (headersThrough ? 'frames passed through' : 'frames passed through unless they carry headers (header.converter is not ByteArrayConverter)')
      : 'record by record (transforms, commitRecord or converters other than ByteArrayConverter)';
    this.log.info(`${this.name}: reading ${input.partitions.map((p) => `${p.topic}-${p.partition}`).join(', ') || '(no partitions)'}; ${how}`);
    const ring = consumer.ring;
    const batch = new RecordBatch();
    while (!this.stopping) {
      if (this.producerError) throw this.producerError;
      const frame = ring.tryRead() ?? (await ring.readAsync(POLL_MS));
      if (frame === null) {
        if (ring.isEnded && !this.stopping) throw new ConnectError(`${this.name}: the consumer stopped unexpectedly`);
        continue;
      }
      try {
        if (ring.frameKind === FrameKind.BATCH) {
          batch.reset(frame);
          if (batch.count === 0) continue;
          const entry = offsets.open();
          names.recordOffsets(batch, entry);
          if (bytesThrough && (headersThrough || hasNoHeaders(batch))) await this.forwardFrame(batch, names.targetsOf(batch), entry);
          else await this.write(names.sourceRecordsOf(batch), entry);
          offsets.seal(entry);
        } else {
          const event = decodeEvent(frame);
          if (event.type === 'error') {
            if (event.fatal) throw new ConnectError(`${this.name}: consumer failed: ${event.name}: ${event.message}`);
            this.log.warn(`${this.name}: consumer: ${event.name}: ${event.message} (retrying)`);
          } else if (event.type === 'log' && event.level <= 4) {
            this.log.warn(`${this.name}: librdkafka ${event.facility}: ${event.message}`);
          }
        }
      } finally {
        ring.release();
      }
    }
  }

  /** One consumed frame into the producer's ring with its topics renamed: one copy, no record objects. */
  private async forwardFrame(batch: RecordBatch, targets: string[], entry: FrameOffsetEntry): Promise<void> {
    const producer = this.producer!;
    this.reportActiveTopics(targets);
    const view = await producer.input.reserveAsync(retopicFrameBytes(batch.bytes, targets));
    if (view === null) throw new ConnectError(`${this.name}: the producer stopped taking records`);
    const length = retopicFrame(batch.bytes, view, targets);
    this.frames.set(this.nextFrameSeq++, { handles: null, entry, records: null, unacked: batch.count });
    this.frameOffsets!.written(entry, batch.count);
    producer.input.commit(length, FrameKind.BATCH);
  }

  /** Close a Kafka-input task's consumer, dropping the frames it still holds (never produced, so never committed). */
  private async closeConsumer(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = null;
    await consumer?.closeDraining(POLL_MS);
  }

  /**
   * Convert records and write them as frames into the producer's input ring. With `entry` (a
   * Kafka-input task's frame) the records' offsets are tracked by that entry, not one by one.
   */
  private async write(records: SourceRecord[], entry: FrameOffsetEntry | null = null): Promise<void> {
    let chunk: Converted[] = [];
    let payload = 0;
    const chain = this.transforms!;
    for (const original of records) {
      const record = chain.isEmpty ? original : chain.apply(original);
      if (record === null) {
        // Dropped by a transformation: nothing to produce, but its offset is as committable as a
        // delivered record's once every earlier record of its partition is (Kafka Connect's recordDropped).
        if (!entry) this.submitted.ack(this.submitted.submit(original.sourcePartition, original.sourceOffset));
        if (this.wantsCommitRecord) this.commitRecord(original, null);
        continue;
      }
      const c = this.convert(record, entry ? null : this.submitted.submit(original.sourcePartition, original.sourceOffset));
      chunk.push(c);
      payload += BatchWriter.payloadSize(c.key, c.value, c.headers);
      if (chunk.length >= FRAME_RECORDS || payload >= FRAME_PAYLOAD_BYTES) {
        await this.writeFrame(chunk, payload, entry);
        chunk = [];
        payload = 0;
      }
    }
    if (chunk.length > 0) await this.writeFrame(chunk, payload, entry);
  }

  private convert(record: SourceRecord, handle: SubmittedRecord | null): Converted {
    const { key, value, header } = this.converters;
    try {
      const k = key.fromConnectData(record.topic, record.headers, record.keySchema, record.key);
      const v = value.fromConnectData(record.topic, record.headers, record.valueSchema, record.value);
      const headers = toBatchHeaders(record, header);
      return { record, handle, key: k, value: v, headers };
    } catch (err) {
      throw new ConnectError(
        `Failed to convert a record from ${this.name} for topic ${record.topic} (source partition ` +
          `${JSON.stringify(record.sourcePartition)}, offset ${JSON.stringify(record.sourceOffset)}): ${(err as Error).message}`,
        { cause: err },
      );
    }
  }

  private async writeFrame(chunk: Converted[], payload: number, entry: FrameOffsetEntry | null): Promise<void> {
    const producer = this.producer!;
    const topics = [...new Set(chunk.map((c) => c.record.topic))];
    this.reportActiveTopics(topics);
    const bytes = BatchWriter.estimate(chunk.length, payload, topics);
    const view = await producer.input.reserveAsync(bytes);
    if (view === null) throw new ConnectError(`${this.name}: the producer stopped taking records`);
    const w = this.writer.reset(view, chunk.length);
    const handles = entry ? null : new Array<SubmittedRecord | null>(chunk.length);
    for (let i = 0; i < chunk.length; i++) {
      const { record, key, value, headers } = chunk[i]!;
      if (!w.append(record.topic, record.kafkaPartition ?? -1, -1, record.timestamp ?? -1, key, value, headers)) {
        throw new ConnectError(`${this.name}: a record did not fit its frame (${bytes} bytes estimated)`);
      }
      if (handles) handles[i] = chunk[i]!.handle;
    }
    this.frames.set(this.nextFrameSeq++, {
      handles,
      entry,
      records: this.wantsCommitRecord ? chunk.map((c) => c.record) : null,
      unacked: chunk.length,
    });
    if (entry) this.frameOffsets!.written(entry, chunk.length);
    producer.input.commit(w.finish(), FrameKind.BATCH);
  }

  /** Acknowledge records from delivery reports until the producer closes its report ring. */
  private async readReports(producer: NativeProducer): Promise<void> {
    const ring = producer.reports;
    const reports = new DeliveryReports();
    for (;;) {
      const frame = ring.tryRead() ?? (await ring.readAsync(POLL_MS));
      if (frame === null) {
        if (ring.isEnded) return;
        continue;
      }
      try {
        if (ring.frameKind === FrameKind.DELIVERY_REPORTS) this.acknowledge(reports.reset(frame));
        else if (ring.frameKind === FrameKind.EVENT) {
          const event = decodeEvent(frame);
          if (event.type === 'error') {
            if (event.fatal) this.producerError ??= new ConnectError(`${this.name}: producer failed: ${event.name}: ${event.message}`);
            else this.log.warn(`${this.name}: producer: ${event.name}: ${event.message} (retrying)`);
          }
        }
      } finally {
        ring.release();
      }
    }
  }

  private acknowledge(reports: DeliveryReports): void {
    for (let i = 0; i < reports.count; i++) {
      const seq = reports.frameSeq(i);
      const pending = this.frames.get(seq);
      if (!pending) continue;
      const index = reports.index(i);
      const code = reports.errorCode(i);
      if (code !== 0) {
        // Never acknowledged: its offset, and every later one of its partition, stays uncommitted.
        this.producerError ??= new ConnectError(
          `${this.name}: failed to deliver a record to ${pending.records?.[index]?.topic ?? 'Kafka'} partition ${reports.partition(i)}: ${kafkaErrorName(code)}`,
        );
        continue;
      }
      if (pending.entry) this.frameOffsets!.ack(pending.entry);
      else {
        const handle = pending.handles![index];
        if (handle) this.submitted.ack(handle);
      }
      const record = pending.records?.[index];
      if (record) {
        const metadata = { topic: record.topic, partition: reports.partition(i), offset: BigInt(reports.offset(i)), timestamp: reports.timestamp(i) >= 0 ? reports.timestamp(i) : null };
        this.commitRecord(record, metadata);
      }
      if (--pending.unacked === 0) this.frames.delete(seq);
    }
  }

  /** SourceTask.commitRecord(); a failure is logged, as Kafka Connect logs it, and changes nothing else. */
  private commitRecord(record: SourceRecord, metadata: RecordMetadata | null): void {
    void Promise.resolve(this.task.commitRecord(record, metadata)).catch((err: unknown) =>
      this.log.warn({ err }, `${this.name} commitRecord failed`),
    );
  }

  /** Send the committable offsets to the main thread, which stores them; then SourceTask.commit(). */
  private postOffsets(): void {
    const { offsets } = (this.frameOffsets ?? this.submitted).committable();
    if (offsets.length === 0) return;
    this.post({ type: 'offsets', offsets });
    void Promise.resolve(this.task.commit()).catch((err: unknown) => this.log.warn({ err }, `${this.name} commit failed`));
  }
}
