/**
 * Runs one source task inside its task thread: poll() → converters → batch frames written into
 * the native producer's input ring; delivery reports come back through a second ring and
 * acknowledge records. A source offset is sent to the main thread (which stores it) only once
 * every earlier record of its source partition is acknowledged.
 */
import type { MessagePort } from 'node:worker_threads';
import { ConnectError } from '../../api/errors.js';
import { SourceTask, type OffsetStorageReader, type RecordMetadata, type SourceTaskContext } from '../../api/source.js';
import { BatchWriter, type BatchHeaderEntry } from '../../data/batch-writer.js';
import type { SourceMap, SourceRecord } from '../../data/record.js';
import {
  createNativeRing, decodeEvent, DeliveryReports, FrameKind, kafkaErrorName, NativeProducer,
} from '../../kafka/native.js';
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
const REPORT_RING_BYTES = 8 << 20;
/** Records and bytes per input frame. */
const FRAME_RECORDS = 5000;
const FRAME_PAYLOAD_BYTES = 4 << 20;
const POLL_MS = 100;
/** Produced but unacknowledged records, at most (bounds what a crash can repeat). */
const MAX_UNACKNOWLEDGED = 100_000;

interface Converted {
  record: SourceRecord;
  /** Submitted in poll order, dropped records included, so offsets commit in that order. */
  handle: SubmittedRecord;
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers: BatchHeaderEntry[] | null;
}

interface PendingFrame {
  handles: SubmittedRecord[];
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

  constructor(private readonly spec: SourceTaskSpec, port: MessagePort) {
    super(spec, port);
    this.submitted = new SubmittedRecords(spec.connector);
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
      await this.loop();
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

  /** Convert records and write them as frames into the producer's input ring. */
  private async write(records: SourceRecord[]): Promise<void> {
    let chunk: Converted[] = [];
    let payload = 0;
    const chain = this.transforms!;
    for (const original of records) {
      const record = chain.isEmpty ? original : chain.apply(original);
      if (record === null) {
        // Dropped by a transformation: nothing to produce, but its offset is as committable as a
        // delivered record's once every earlier record of its partition is (Kafka Connect's recordDropped).
        this.submitted.ack(this.submitted.submit(original.sourcePartition, original.sourceOffset));
        if (this.wantsCommitRecord) this.commitRecord(original, null);
        continue;
      }
      const c = this.convert(record, this.submitted.submit(original.sourcePartition, original.sourceOffset));
      chunk.push(c);
      payload += BatchWriter.payloadSize(c.key, c.value, c.headers);
      if (chunk.length >= FRAME_RECORDS || payload >= FRAME_PAYLOAD_BYTES) {
        await this.writeFrame(chunk, payload);
        chunk = [];
        payload = 0;
      }
    }
    if (chunk.length > 0) await this.writeFrame(chunk, payload);
  }

  private convert(record: SourceRecord, handle: SubmittedRecord): Converted {
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

  private async writeFrame(chunk: Converted[], payload: number): Promise<void> {
    const producer = this.producer!;
    const topics = [...new Set(chunk.map((c) => c.record.topic))];
    this.reportActiveTopics(topics);
    const bytes = BatchWriter.estimate(chunk.length, payload, topics);
    const view = await producer.input.reserveAsync(bytes);
    if (view === null) throw new ConnectError(`${this.name}: the producer stopped taking records`);
    const w = this.writer.reset(view, chunk.length);
    const handles = new Array<SubmittedRecord>(chunk.length);
    for (let i = 0; i < chunk.length; i++) {
      const { record, key, value, headers } = chunk[i]!;
      if (!w.append(record.topic, record.kafkaPartition ?? -1, -1, record.timestamp ?? -1, key, value, headers)) {
        throw new ConnectError(`${this.name}: a record did not fit its frame (${bytes} bytes estimated)`);
      }
      handles[i] = chunk[i]!.handle;
    }
    this.frames.set(this.nextFrameSeq++, {
      handles,
      records: this.wantsCommitRecord ? chunk.map((c) => c.record) : null,
      unacked: chunk.length,
    });
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
      this.submitted.ack(pending.handles[index]!);
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
    const { offsets } = this.submitted.committable();
    if (offsets.length === 0) return;
    this.post({ type: 'offsets', offsets });
    void Promise.resolve(this.task.commit()).catch((err: unknown) => this.log.warn({ err }, `${this.name} commit failed`));
  }
}
