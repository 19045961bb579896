/**
 * Runs one sink task inside its task thread: the native consumer writes batch frames into a ring,
 * this loop reads them, hands them to putBatch() (or put() with materialized SinkRecords), and
 * stores the offsets preCommit() returns, which librdkafka then commits. Nothing is committed
 * that the task has not flushed.
 *
 * The connector's transformations run compiled (transforms/batch/compiled-chain.ts): on the frame
 * itself for a batch-aware sink when they only drop and re-route records, else on one working
 * record per record, with a SinkRecord made only for the records the chain keeps.
 */
import type { MessagePort } from 'node:worker_threads';
import { ConnectError, RetriableError } from '../../api/errors.js';
import { topicPartitionKey, type OffsetMap, type SinkTask, type SinkTaskContext, type TopicPartition } from '../../api/sink.js';
import { RecordBatch } from '../../data/batch.js';
import {
  createNativeRing, decodeEvent, FrameKind, NativeConsumer, type NativeTopicPartition,
} from '../../kafka/native.js';
import { sinkRecordsOf, transformedSinkRecordsOf } from '../batch-records.js';
import { traceOf } from '../status-listener.js';
import type { TaskConverters } from '../task-converters.js';
import type { SinkTaskSpec } from './messages.js';
import { TaskHost } from './task-host.js';
import { createTaskPlugins } from './task-plugins.js';
import type { TransformationChain } from '../../transforms/chain.js';
import { CompiledChain } from '../../transforms/batch/compiled-chain.js';
import { ValueLinePrinter } from '../value-lines.js';
import type { SinkRecord } from '../../data/record.js';

/** Ring size: a frame may use half, so 5000 records of up to ~3 KB fit in one frame. */
const RING_BYTES = 32 << 20;
const POLL_MS = 100;
const RETRY_BACKOFF_MS = 1000;
/** Records per put() for per-record sinks: Kafka Connect's max.poll.records default. */
const PUT_RECORDS = 500;

export class SinkTaskHost extends TaskHost {
  private task!: SinkTask;
  private converters!: TaskConverters;
  private transforms: TransformationChain<SinkRecord> | null = null;
  /** `transforms` compiled for the batch path (the chain keeps owning and closing the plugins). */
  private compiled!: CompiledChain;
  private consumer: NativeConsumer | null = null;
  /** For a sink that takes printed lines (putValueLines). */
  private linePrinter: ValueLinePrinter | null = null;
  /** Next offset to read per partition, for everything handed to the task. */
  private readonly current: OffsetMap = new Map();
  private nextCommitAt = 0;
  private commitRequested = false;
  /** commitAsync() calls the coordinator has not answered yet, and when the last one started. */
  private commitsInFlight = 0;
  private commitStartedAt = 0;
  private retryBackoffMs = RETRY_BACKOFF_MS;

  constructor(private readonly spec: SinkTaskSpec, port: MessagePort) {
    super(spec, port);
  }

  protected override onPause(): void {
    this.consumer?.pause(this.consumer.assignment());
  }

  protected override onResume(): void {
    this.consumer?.resume(this.consumer.assignment());
  }

  async run(): Promise<void> {
    try {
      await this.createTask();
      await this.task.start(this.spec.taskConfig);
      const ring = createNativeRing(RING_BYTES);
      this.consumer = new NativeConsumer({
        config: this.spec.consumerConfig,
        topics: 'regex' in this.spec.topics ? new RegExp(this.spec.topics.regex) : this.spec.topics,
        ring,
      });
      this.post({ type: 'state', state: this.paused ? 'PAUSED' : 'RUNNING' });
      this.nextCommitAt = Date.now() + this.spec.offsetFlushIntervalMs;
      await this.loop();
      await this.finish(true);
      this.post({ type: 'state', state: 'UNASSIGNED' });
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      this.log.error({ err: error }, `${this.name} failed: ${error.message}`);
      this.post({ type: 'state', state: 'FAILED', trace: traceOf(error), message: error.message });
      await this.finish(false).catch((e: unknown) => this.log.warn({ err: e }, `${this.name} did not close cleanly`));
    }
    this.post({ type: 'stopped' });
    this.port.close();
  }

  private async createTask(): Promise<void> {
    const { task, converters, transforms } = await createTaskPlugins<SinkRecord>(this.spec);
    this.task = task as SinkTask;
    this.converters = converters;
    this.transforms = transforms;
    this.compiled = CompiledChain.compile(transforms);
    if (typeof this.task.putValueLines === 'function') this.linePrinter = new ValueLinePrinter(converters, this.compiled);
    if (!this.compiled.isEmpty) {
      this.log.debug(`${this.name}: transformation chain compiled; ${this.compiled.pluginStages} stage(s) run through their plugin's own apply()/test()`);
    }
    const context: SinkTaskContext = {
      configs: Object.freeze({ ...this.spec.taskConfig }),
      offset: (tp, offset) => {
        this.consumer?.seek([{ ...tp, offset: Number(offset) }]);
        this.current.set(topicPartitionKey(tp.topic, tp.partition), { ...tp, offset });
      },
      timeout: (ms) => {
        this.retryBackoffMs = ms;
      },
      assignment: () => this.consumer?.assignment() ?? [],
      pause: (...tps) => this.consumer?.pause(tps),
      resume: (...tps) => this.consumer?.resume(tps),
      requestCommit: () => {
        this.commitRequested = true;
      },
    };
    this.task.initialize(context);
  }

  private async loop(): Promise<void> {
    const consumer = this.consumer!;
    const ring = consumer.ring;
    const batch = new RecordBatch();
    const batchAware = typeof this.task.putBatch === 'function';
    while (!this.stopping) {
      if (this.paused) {
        // Records already fetched wait in the ring until resume; the consumer fetches no more.
        await this.untilResumed();
        continue;
      }
      const frame = ring.tryRead() ?? (await ring.readAsync(POLL_MS));
      if (frame === null) {
        if (ring.isEnded) throw new ConnectError(`${this.name}: the consumer stopped unexpectedly`);
        await this.maybeCommit();
        continue;
      }
      try {
        if (ring.frameKind === FrameKind.BATCH) {
          batch.reset(frame);
          await this.deliver(batch, batchAware);
        } else {
          await this.onEvent(frame);
        }
      } finally {
        ring.release();
      }
      await this.maybeCommit();
    }
  }

  private async deliver(batch: RecordBatch, batchAware: boolean): Promise<void> {
    if (batch.count === 0) return;
    const chain = this.compiled;
    // The frame's topic ids as read, for the offsets: routers on the frame rewrite the column.
    let readTopicIds = batch.topicIds;
    if (batchAware && (chain.isEmpty || chain.runsOnFrame)) {
      // A batch-aware sink gets the frame itself: no record is materialized. A chain that only
      // drops and re-routes runs on the frame (selection bits, topic column), decoding nothing.
      if (!chain.isEmpty) {
        readTopicIds = batch.topicIds.slice();
        chain.runOnFrame(batch);
      }
      await this.withRetries(() => this.task.putBatch!(batch));
    } else if (this.linePrinter !== null) {
      // A printing sink (FileStreamSink) gets its lines made here, mostly straight from the bytes.
      for (let from = 0; from < batch.count; from += PUT_RECORDS) {
        const { lines, records } = this.linePrinter.print(batch, from, Math.min(batch.count, from + PUT_RECORDS));
        if (records > 0) await this.withRetries(() => this.task.putValueLines!(lines, records));
      }
    } else {
      // Records are made, transformed and put PUT_RECORDS at a time: the garbage of one slice dies
      // young, where a whole frame's worth outlives a scavenge and costs full collections. The
      // compiled chain makes a SinkRecord only for the records it keeps.
      for (let from = 0; from < batch.count; from += PUT_RECORDS) {
        const to = Math.min(batch.count, from + PUT_RECORDS);
        const records = chain.isEmpty
          ? sinkRecordsOf(batch, this.converters, from, to)
          : transformedSinkRecordsOf(batch, this.converters, chain, from, to);
        await this.withRetries(() => this.task.put(records));
      }
    }
    const topics: string[] = [];
    for (let t = 0; t < batch.topicCount; t++) topics.push(batch.topicName(t));
    this.reportActiveTopics(topics);
    this.advanceOffsets(batch, readTopicIds);
  }

  /** put()/putBatch() until it succeeds; a RetriableError waits the task's timeout and tries again. */
  private async withRetries(put: () => void | Promise<void>): Promise<void> {
    for (;;) {
      try {
        await put();
        return;
      } catch (err) {
        if (!(err instanceof RetriableError) || this.stopping) throw err;
        this.log.warn(`${this.name}: put() asked for a retry (${err.message}); retrying in ${this.retryBackoffMs} ms`);
        await new Promise((r) => setTimeout(r, this.retryBackoffMs));
        this.retryBackoffMs = RETRY_BACKOFF_MS;
      }
    }
  }

  /**
   * The next offset to commit per partition: offsets rise within a partition, so its last record
   * in the frame wins. `topicIds`: the topic column as the frame was read (before any router).
   */
  private advanceOffsets(batch: RecordBatch, topicIds: Int32Array): void {
    const { offsets, partitions } = batch;
    const n = batch.count;
    for (let i = 0; i < n; i++) {
      // Only the last record of a run of one partition matters: skip to it.
      if (i + 1 < n && partitions[i + 1] === partitions[i] && topicIds[i + 1] === topicIds[i]) continue;
      const topic = batch.topicName(topicIds[i]!);
      const partition = partitions[i]!;
      this.current.set(topicPartitionKey(topic, partition), { topic, partition, offset: BigInt(offsets[i]! + 1) });
    }
  }

  private async onEvent(frame: Uint8Array): Promise<void> {
    const event = decodeEvent(frame);
    if (event.type === 'assign') {
      const parts = event.partitions.map((p) => ({ topic: p.topic, partition: p.partition }));
      this.log.info(`${this.name}: partitions assigned: ${describe(parts)}`);
      if (this.paused) this.consumer!.pause(parts);
      await this.task.open(parts);
    } else if (event.type === 'revoke' || event.type === 'lost') {
      const parts = event.partitions.map((p) => ({ topic: p.topic, partition: p.partition }));
      this.log.info(`${this.name}: partitions ${event.type === 'lost' ? 'lost' : 'revoked'}: ${describe(parts)}`);
      if (event.type === 'revoke') await this.commit(parts);
      await this.task.close(parts);
      for (const p of parts) this.current.delete(topicPartitionKey(p.topic, p.partition));
      if (event.type === 'revoke') this.consumer!.rebalanceDone(event.seq);
    } else if (event.type === 'error') {
      if (event.fatal) throw new ConnectError(`${this.name}: consumer failed: ${event.name}: ${event.message}`);
      this.log.warn(`${this.name}: consumer: ${event.name}: ${event.message} (retrying)`);
    } else if (event.type === 'log') {
      if (event.level <= 4) this.log.warn(`${this.name}: librdkafka ${event.facility}: ${event.message}`);
      else this.log.debug(`${this.name}: librdkafka ${event.facility}: ${event.message}`);
    }
  }

  private async maybeCommit(): Promise<void> {
    if (this.commitRequested || Date.now() >= this.nextCommitAt) await this.commit();
  }

  /**
   * preCommit() with what was delivered (only `only`'s partitions when given); store what it
   * returns, then commit it: without waiting while the task runs (`wait` false), waiting when it
   * stops. Revocations commit on the native side.
   */
  private async commit(only?: TopicPartition[], wait = false): Promise<void> {
    this.commitRequested = false;
    this.nextCommitAt = Date.now() + this.spec.offsetFlushIntervalMs;
    let offsets: OffsetMap = new Map(this.current);
    if (only) {
      const keep = new Set(only.map((p) => topicPartitionKey(p.topic, p.partition)));
      offsets = new Map([...offsets].filter(([k]) => keep.has(k)));
    }
    if (offsets.size === 0) return;
    const safe = await this.task.preCommit(offsets);
    const consumer = this.consumer!;
    consumer.storeOffsets([...safe.values()].map((o) => ({ topic: o.topic, partition: o.partition, offset: Number(o.offset) })));
    // Commit now rather than on librdkafka's next auto-commit tick, so a crash repeats at most one
    // offset.flush.interval.ms of records. During a revocation the native side commits after
    // rebalanceDone().
    if (only) return;
    // As Kafka Connect's WorkerSinkTask: a failed commit is logged, not fatal. The offsets stay
    // stored and the next commit (or librdkafka's auto-commit) sends them again; meanwhile a
    // crash would repeat more records, never lose any. Seen while the group coordinator's
    // broker restarts ("Coordinator load in progress").
    const failed = (err: unknown): void =>
      this.log.warn(`${this.name}: commit of offsets failed (${err instanceof Error ? err.message : String(err)}); they are committed again on the next attempt`);
    this.readCommitAnswers();
    try {
      if (wait) {
        consumer.commit();
      } else if (this.commitsInFlight === 0) {
        // One at a time: while the coordinator has not answered (a broker restarting), the
        // offsets stored since wait for the next interval instead of queueing commits.
        consumer.commitAsync();
        this.commitsInFlight++;
        this.commitStartedAt = Date.now();
      }
    } catch (err) {
      failed(err);
    }
  }

  /**
   * Takes the answers to earlier asynchronous commits; logs a failed one. One unanswered for
   * longer than offset.flush.timeout.ms is given up, as WorkerSinkTask does ("Commit of offsets
   * timed out"), so that the next interval commits again (librdkafka's auto-commit timer keeps
   * committing the stored offsets meanwhile).
   */
  private readCommitAnswers(): void {
    if (this.commitsInFlight === 0 || !this.consumer) return;
    const { answers, error } = this.consumer.commitResults();
    this.commitsInFlight = Math.max(0, this.commitsInFlight - answers);
    if (error !== null) {
      this.log.warn(`${this.name}: commit of offsets failed (commit: ${error}); they are committed again on the next attempt`);
    }
    if (this.commitsInFlight > 0 && Date.now() - this.commitStartedAt > this.spec.offsetFlushTimeoutMs) {
      this.log.warn(`${this.name}: commit of offsets timed out after ${this.spec.offsetFlushTimeoutMs} ms (offset.flush.timeout.ms); committing again on the next interval`);
      this.commitsInFlight = 0;
    }
  }

  /**
   * After the loop. On a clean stop: commit what was delivered and flushed (frames still in the
   * ring were never delivered and are not committed), close the task's partitions, stop it. Then
   * close the consumer, draining the ring so its final revocation is answered at once.
   */
  private async finish(clean: boolean): Promise<void> {
    const consumer = this.consumer;
    try {
      if (clean && consumer) {
        await this.commit(undefined, true);
        await this.task.close(consumer.assignment());
      }
    } finally {
      try {
        await this.task?.stop();
      } finally {
        this.transforms?.close();
        await consumer?.closeDraining(POLL_MS);
      }
    }
  }
}

function describe(parts: NativeTopicPartition[]): string {
  return parts.map((p) => `${p.topic}-${p.partition}`).join(', ') || '(none)';
}
