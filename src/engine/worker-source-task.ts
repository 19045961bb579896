/**
 * Runs one SourceTask: poll → convert → produce, with source offsets committed only once every
 * earlier record of their source partition has been acknowledged (Kafka Connect's
 * AbstractWorkerSourceTask + SourceTaskOffsetCommitter, at-least-once).
 */
import type { TargetState } from '../cluster/herder.js';
import type { SourceRecord } from '../data/record.js';
import type { SourceTask, SourceTaskContext, OffsetStorageReader } from '../api/source.js';
import { ConnectError } from '../api/errors.js';
import type { KafkaProducer } from '../kafka/producer.js';
import type { OffsetStore } from '../storage/offset-store.js';
import type { Logger } from '../util/logger.js';
import { SubmittedRecords } from './submitted-records.js';
import type { StatusListener } from './status-listener.js';
import type { TaskConverters } from './task-converters.js';
import type { TaskId } from './task-id.js';
import { WorkerTask } from './worker-task.js';
import { toKafkaHeaders } from './record-conversion.js';

export interface SourceTaskOptions {
  id: TaskId;
  task: SourceTask;
  taskConfig: Record<string, string>;
  converters: TaskConverters;
  producer: KafkaProducer;
  offsetStore: OffsetStore;
  offsetReader: OffsetStorageReader;
  offsetFlushIntervalMs: number;
  offsetFlushTimeoutMs: number;
  initialState: TargetState;
  status: StatusListener;
  log: Logger;
}

/**
 * Records produced but not yet acknowledged, at most. Bounds what a crash can make the task send
 * twice (offsets commit only acknowledged records) and keeps delivery reports from falling behind.
 */
const MAX_UNACKNOWLEDGED = 20_000;

export class WorkerSourceTask extends WorkerTask {
  private readonly submitted: SubmittedRecords;
  private commitTimer: NodeJS.Timeout | undefined;
  private committing: Promise<void> = Promise.resolve();
  private producerError: Error | null = null;

  constructor(private readonly opts: SourceTaskOptions) {
    super(opts.id, opts.initialState, opts.status, opts.log);
    this.submitted = new SubmittedRecords(opts.id.connector);
  }

  protected async initializeAndStart(): Promise<void> {
    const context: SourceTaskContext = {
      configs: Object.freeze({ ...this.opts.taskConfig }),
      offsetStorageReader: () => this.opts.offsetReader,
    };
    this.opts.task.initialize(context);
    await this.opts.task.start(this.opts.taskConfig);
    this.commitTimer = setInterval(() => {
      this.commitOffsets().catch((err: unknown) => this.log.error({ err }, `${this.name} failed to commit offsets`));
    }, this.opts.offsetFlushIntervalMs);
  }

  protected async execute(): Promise<void> {
    while (!this.stopping) {
      await this.awaitUnpaused();
      if (this.stopping) break;
      if (this.producerError) throw this.producerError;
      const records = await this.opts.task.poll();
      if (records && records.length > 0) {
        // Active topics (KIP-558): once per topic per batch; the status board keeps a set.
        for (const topic of new Set(records.map((r) => r.topic))) this.status.onTopicActive?.(this.id.connector, topic);
        for (const record of records) await this.send(record);
        if (this.submitted.pending >= MAX_UNACKNOWLEDGED) await this.submitted.awaitPendingBelow(MAX_UNACKNOWLEDGED / 2);
      }
      // poll() may answer from memory without any I/O; yield once per batch so delivery reports,
      // the offset commit timer and the REST API are served.
      await new Promise((r) => setImmediate(r));
    }
  }

  private async send(record: SourceRecord): Promise<void> {
    const { converters } = this.opts;
    let key: Uint8Array | null;
    let value: Uint8Array | null;
    try {
      key = converters.key.fromConnectData(record.topic, record.headers, record.keySchema, record.key);
      value = converters.value.fromConnectData(record.topic, record.headers, record.valueSchema, record.value);
    } catch (err) {
      throw new ConnectError(
        `Failed to convert a record from ${this.name} for topic ${record.topic} (source partition ${JSON.stringify(record.sourcePartition)}, offset ${JSON.stringify(record.sourceOffset)}): ${(err as Error).message}`,
        { cause: err },
      );
    }
    const headers = toKafkaHeaders(record, converters.header);
    const handle = this.submitted.submit(record.sourcePartition, record.sourceOffset);
    await this.opts.producer.send(
      {
        topic: record.topic,
        partition: record.kafkaPartition,
        key: key ? Buffer.from(key.buffer, key.byteOffset, key.byteLength) : null,
        value: value ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : null,
        timestamp: record.timestamp,
        headers,
      },
      (err, report) => {
        if (err) {
          // Never acknowledged: its offset, and every later one of its partition, stays uncommitted.
          this.producerError ??= new ConnectError(`${this.name}: ${err.message}`, { cause: err });
          return;
        }
        this.submitted.ack(handle);
        void Promise.resolve(this.opts.task.commitRecord(record, report)).catch((e: unknown) =>
          this.log.warn({ err: e }, `${this.name} commitRecord failed`),
        );
      },
    );
  }

  /** Store the offsets of acknowledged records, then tell the task (SourceTask.commit). */
  private commitOffsets(): Promise<void> {
    this.committing = this.committing.then(async () => {
      const { offsets } = this.submitted.committable();
      if (offsets.length === 0) return;
      await this.opts.offsetStore.set(
        offsets.map((o) => ({ connector: this.id.connector, partition: o.partition, offset: o.offset })),
      );
      await this.opts.task.commit();
    });
    return this.committing;
  }

  protected override wakeForStop(): void {
    // SourceTask.stop() is how Kafka Connect interrupts a blocking poll().
    void this.stopTask();
    this.submitted.releaseWaiters();
  }

  private taskStopped: Promise<void> | null = null;

  private stopTask(): Promise<void> {
    this.taskStopped ??= Promise.resolve()
      .then(() => this.opts.task.stop())
      .catch((err: unknown) => this.log.warn({ err }, `${this.name} stop failed`));
    return this.taskStopped;
  }

  protected async close(clean: boolean): Promise<void> {
    clearInterval(this.commitTimer);
    if (clean) {
      // Graceful stop: wait for outstanding acknowledgements so the final commit covers everything.
      const drained = await this.submitted.awaitAllAcked(this.opts.offsetFlushTimeoutMs);
      if (!drained) this.log.warn(`${this.name}: records still unacknowledged after offset.flush.timeout.ms; their offsets stay uncommitted`);
    }
    await this.commitOffsets();
    await this.stopTask();
  }
}
