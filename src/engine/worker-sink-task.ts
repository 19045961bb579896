/**
 * Runs one SinkTask: consume → convert → put, and commits consumer offsets only for what the task
 * has flushed (preCommit), every offset.flush.interval.ms, on requestCommit(), on partition
 * revocation and on stop (Kafka Connect's WorkerSinkTask, at-least-once).
 */
import type { TargetState } from '../cluster/herder.js';
import type { SinkRecord } from '../data/record.js';
import { topicPartitionKey, type OffsetMap, type SinkTask, type SinkTaskContext, type TopicPartition } from '../api/sink.js';
import { RetriableError } from '../api/errors.js';
import type { KafkaConsumer, RebalanceEvent } from '../kafka/consumer.js';
import type { Logger } from '../util/logger.js';
import type { StatusListener } from './status-listener.js';
import type { TaskConverters } from './task-converters.js';
import type { TaskId } from './task-id.js';
import { WorkerTask } from './worker-task.js';
import { toSinkRecord } from './record-conversion.js';

export interface SinkTaskOptions {
  id: TaskId;
  task: SinkTask;
  taskConfig: Record<string, string>;
  converters: TaskConverters;
  consumer: KafkaConsumer;
  topics: string[] | RegExp;
  offsetFlushIntervalMs: number;
  /** Records per consume call. */
  batchSize: number;
  initialState: TargetState;
  status: StatusListener;
  log: Logger;
}

const CONSUME_TIMEOUT_MS = 200;
const DEFAULT_RETRY_BACKOFF_MS = 1000;

export class WorkerSinkTask extends WorkerTask {
  /** Next offset to read, per partition, for everything handed to put(). */
  private readonly current: OffsetMap = new Map();
  /** What was last committed, so unchanged offsets are not committed again. */
  private readonly committed = new Map<string, bigint>();
  private nextCommitAt = 0;
  private commitRequested = false;
  private retryBackoffMs = DEFAULT_RETRY_BACKOFF_MS;
  private readonly pausedByTask = new Set<string>();

  constructor(private readonly opts: SinkTaskOptions) {
    super(opts.id, opts.initialState, opts.status, opts.log);
  }

  private get consumer(): KafkaConsumer {
    return this.opts.consumer;
  }

  protected async initializeAndStart(): Promise<void> {
    const context: SinkTaskContext = {
      configs: Object.freeze({ ...this.opts.taskConfig }),
      offset: (tp, offset) => {
        void this.consumer.seek(tp.topic, tp.partition, offset).catch((err: unknown) => this.log.warn({ err }, `${this.name} seek failed`));
        this.current.set(topicPartitionKey(tp.topic, tp.partition), { ...tp, offset });
      },
      timeout: (ms) => {
        this.retryBackoffMs = ms;
      },
      assignment: () => this.consumer.assignment(),
      pause: (...tps) => {
        for (const tp of tps) this.pausedByTask.add(topicPartitionKey(tp.topic, tp.partition));
        this.consumer.pause(tps);
      },
      resume: (...tps) => {
        for (const tp of tps) this.pausedByTask.delete(topicPartitionKey(tp.topic, tp.partition));
        if (!this.isPaused()) this.consumer.resume(tps);
      },
      requestCommit: () => {
        this.commitRequested = true;
      },
    };
    this.opts.task.initialize(context);
    await this.opts.task.start(this.opts.taskConfig);
    this.consumer.onTransientError = (message) => this.log.warn(`${this.name}: consumer: ${message} (retrying)`);
    this.consumer.subscribe(this.opts.topics);
    this.nextCommitAt = Date.now() + this.opts.offsetFlushIntervalMs;
  }

  protected async execute(): Promise<void> {
    while (!this.stopping) {
      await this.handleRebalances();
      if (this.isPaused()) {
        // Consumption is paused on the consumer; keep serving rebalances and commits.
        await new Promise((r) => setTimeout(r, CONSUME_TIMEOUT_MS));
      } else {
        const messages = await this.consumer.consume(this.opts.batchSize, CONSUME_TIMEOUT_MS);
        if (this.stopping && messages.length === 0) break;
        if (messages.length > 0) {
          // Active topics (KIP-558): once per topic per batch; the status board keeps a set.
          for (const topic of new Set(messages.map((m) => m.topic))) this.status.onTopicActive?.(this.id.connector, topic);
          const records = new Array<SinkRecord>(messages.length);
          for (let i = 0; i < messages.length; i++) records[i] = toSinkRecord(messages[i]!, this.opts.converters);
          await this.deliver(records);
          for (const m of messages) {
            this.current.set(topicPartitionKey(m.topic, m.partition), { topic: m.topic, partition: m.partition, offset: BigInt(m.offset) + 1n });
          }
        }
      }
      if (this.commitRequested || Date.now() >= this.nextCommitAt) await this.commitOffsets();
    }
  }

  /** put(), retried after a back-off while the task throws RetriableError. */
  private async deliver(records: SinkRecord[]): Promise<void> {
    for (;;) {
      try {
        await this.opts.task.put(records);
        return;
      } catch (err) {
        if (!(err instanceof RetriableError) || this.stopping) throw err;
        this.log.warn(`${this.name}: put() asked for a retry (${err.message}); retrying in ${this.retryBackoffMs} ms`);
        await new Promise((r) => setTimeout(r, this.retryBackoffMs));
        this.retryBackoffMs = DEFAULT_RETRY_BACKOFF_MS;
      }
    }
  }

  private async handleRebalances(): Promise<void> {
    for (const event of this.consumer.takeRebalanceEvents()) await this.onRebalance(event);
  }

  private async onRebalance(event: RebalanceEvent): Promise<void> {
    const parts: TopicPartition[] = event.partitions.map((p) => ({ topic: p.topic, partition: p.partition }));
    this.log.info(`${this.name}: partitions ${event.kind === 'assign' ? 'assigned' : 'revoked'}: ${parts.map((p) => `${p.topic}-${p.partition}`).join(', ') || '(none)'}`);
    if (event.kind === 'revoke') {
      await this.commitOffsets(parts);
      await this.opts.task.close(parts);
      for (const p of parts) {
        const key = topicPartitionKey(p.topic, p.partition);
        this.current.delete(key);
        this.committed.delete(key);
      }
      this.consumer.completeRebalance(event);
    } else {
      this.consumer.completeRebalance(event);
      if (this.isPaused()) this.consumer.pause(parts);
      await this.opts.task.open(parts);
    }
  }

  /**
   * preCommit() with what was delivered; commit what it returns. Only partitions in `only` when
   * given (a revocation).
   */
  private async commitOffsets(only?: TopicPartition[]): Promise<void> {
    this.commitRequested = false;
    this.nextCommitAt = Date.now() + this.opts.offsetFlushIntervalMs;
    let offsets: OffsetMap = new Map(this.current);
    if (only) {
      const keep = new Set(only.map((p) => topicPartitionKey(p.topic, p.partition)));
      offsets = new Map([...offsets].filter(([k]) => keep.has(k)));
    }
    if (offsets.size === 0) return;
    const safe = await this.opts.task.preCommit(offsets);
    const toCommit = [...safe.entries()]
      .filter(([k, o]) => this.committed.get(k) !== o.offset)
      .map(([, o]) => o);
    if (toCommit.length === 0) return;
    this.consumer.commit(toCommit);
    for (const o of toCommit) this.committed.set(topicPartitionKey(o.topic, o.partition), o.offset);
  }

  protected override onPause(): void {
    const assigned = this.consumer.assignment();
    if (assigned.length > 0) this.consumer.pause(assigned);
  }

  protected override onResume(): void {
    const resumable = this.consumer.assignment().filter((p) => !this.pausedByTask.has(topicPartitionKey(p.topic, p.partition)));
    if (resumable.length > 0) this.consumer.resume(resumable);
  }

  protected async close(clean: boolean): Promise<void> {
    try {
      if (clean) {
        await this.commitOffsets();
        await this.opts.task.close(this.consumer.assignment());
      }
    } finally {
      try {
        await this.opts.task.stop();
      } finally {
        await this.consumer.close();
      }
    }
  }
}
