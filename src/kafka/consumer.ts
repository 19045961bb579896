/**
 * A librdkafka consumer for sink tasks (node-rdkafka). Offsets are committed only when the sink
 * task says so: auto commit is off and commits carry explicit offsets.
 *
 * Rebalances arrive asynchronously; they are queued and handed to the task loop between batches,
 * so a rebalance never runs in the middle of put(), as in Kafka Connect where it happens in poll().
 */
import { KafkaConsumer as RdConsumer, CODES, type LibrdKafkaError, type Message, type TopicPartition } from './rdkafka.js';
import { explainClientError, type ClientConfig } from './client-config.js';

export type { Message };

export interface RebalanceEvent {
  kind: 'assign' | 'revoke';
  partitions: TopicPartition[];
}

export interface CommitOffset {
  topic: string;
  partition: number;
  /** The next offset to read, as Kafka stores it (last processed + 1). */
  offset: bigint;
}

/** Kafka Connect's sink consumer defaults (WorkerSinkTask / Worker.baseConsumerConfigs). */
export const CONSUMER_DEFAULTS: ClientConfig = {
  'enable.auto.commit': false,
  'enable.auto.offset.store': false,
  'auto.offset.reset': 'earliest',
  // librdkafka's default 1 s back-off after a full prefetch queue stalls fast sinks (librdkafka#3662).
  'fetch.queue.backoff.ms': 10,
};

export class KafkaConsumer {
  private readonly pending: RebalanceEvent[] = [];
  private closed = false;
  /** While closing there is no task loop left to complete rebalances: do it at once. */
  private closing = false;
  /** The last transient consume error, reported once until consumption recovers. */
  private lastConsumeError: string | null = null;
  /** Called with transient errors (unknown topic, broker down): they do not fail the task. */
  onTransientError: (message: string) => void = () => {};

  private constructor(private readonly consumer: InstanceType<typeof RdConsumer>) {}

  static async connect(config: ClientConfig, origin = 'consumer.'): Promise<KafkaConsumer> {
    let self!: KafkaConsumer;
    let consumer: InstanceType<typeof RdConsumer>;
    try {
      const { 'auto.offset.reset': autoOffsetReset, ...global } = { ...CONSUMER_DEFAULTS, ...config };
      consumer = new RdConsumer(
        {
          ...global,
          rebalance_cb: (err: LibrdKafkaError, partitions: TopicPartition[]) => self.onRebalance(err, partitions),
        } as never,
        // A topic config given here replaces the default topic config built from the global one,
        // so the topic-level auto.offset.reset must go here or it is silently lost.
        { 'auto.offset.reset': autoOffsetReset } as never,
      );
    } catch (err) {
      throw explainClientError(err, origin);
    }
    self = new KafkaConsumer(consumer);
    await new Promise<void>((resolve, reject) => {
      consumer.connect({ timeout: 30000 }, (err) => (err ? reject(explainClientError(err, origin)) : resolve()));
    });
    return self;
  }

  private onRebalance(err: LibrdKafkaError, partitions: TopicPartition[]): void {
    let event: RebalanceEvent;
    if (err.code === CODES.ERRORS.ERR__ASSIGN_PARTITIONS) event = { kind: 'assign', partitions };
    else if (err.code === CODES.ERRORS.ERR__REVOKE_PARTITIONS) event = { kind: 'revoke', partitions };
    else return;
    // librdkafka waits for assign/unassign; when closing, nobody else will call them.
    if (this.closing) this.completeRebalance(event);
    else this.pending.push(event);
  }

  /** Rebalance events since the last call. The caller must then call completeRebalance(event). */
  takeRebalanceEvents(): RebalanceEvent[] {
    return this.pending.splice(0, this.pending.length);
  }

  completeRebalance(event: RebalanceEvent): void {
    const cooperative = this.consumer.rebalanceProtocol() === 'COOPERATIVE';
    if (event.kind === 'assign') {
      if (cooperative) this.consumer.incrementalAssign(event.partitions);
      else this.consumer.assign(event.partitions);
    } else if (cooperative) {
      this.consumer.incrementalUnassign(event.partitions);
    } else {
      this.consumer.unassign();
    }
  }

  /** Subscribe to a topic list, or to a regex (Kafka Connect's topics.regex). */
  subscribe(topics: string[] | RegExp): void {
    if (topics instanceof RegExp) {
      // librdkafka treats a subscription starting with ^ as a regex.
      this.consumer.subscribe([`^${topics.source.replace(/^\^/, '')}`]);
    } else {
      this.consumer.subscribe(topics);
    }
  }

  /**
   * Up to `max` messages; returns early (possibly empty) after `timeoutMs` without data.
   * Consumer errors are transient in librdkafka (it retries: a topic not created yet, a broker
   * restarting) unless marked fatal; only fatal ones reject.
   */
  consume(max: number, timeoutMs: number): Promise<Message[]> {
    this.consumer.setDefaultConsumeTimeout(timeoutMs);
    return new Promise((resolve, reject) => {
      this.consumer.consume(max, (err, messages) => {
        if (!err) {
          if (messages.length > 0) this.lastConsumeError = null;
          resolve(messages);
          return;
        }
        if (err.code === CODES.ERRORS.ERR__FATAL || (err as { isFatal?: boolean }).isFatal) {
          reject(err);
          return;
        }
        if (this.lastConsumeError !== err.message) {
          this.lastConsumeError = err.message;
          this.onTransientError(err.message);
        }
        // Do not spin on a persistent error.
        setTimeout(() => resolve([]), timeoutMs);
      });
    });
  }

  /** Commit synchronously: returns once the group coordinator accepted the offsets. */
  commit(offsets: CommitOffset[]): void {
    if (offsets.length === 0) return;
    this.consumer.commitSync(offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: Number(o.offset) })));
  }

  committed(partitions: TopicPartition[], timeoutMs = 10000): Promise<CommitOffset[]> {
    return new Promise((resolve, reject) => {
      this.consumer.committed(partitions, timeoutMs, (err, tps) =>
        err ? reject(err) : resolve(tps.map((t) => ({ topic: t.topic, partition: t.partition, offset: BigInt(t.offset ?? -1) }))),
      );
    });
  }

  assignment(): TopicPartition[] {
    return this.consumer.assignments().map((a) => ({ topic: a.topic, partition: a.partition }));
  }

  pause(partitions: TopicPartition[]): void {
    this.consumer.pause(partitions);
  }

  resume(partitions: TopicPartition[]): void {
    this.consumer.resume(partitions);
  }

  seek(topic: string, partition: number, offset: bigint): Promise<void> {
    return new Promise((resolve, reject) => {
      this.consumer.seek({ topic, partition, offset: Number(offset) }, 5000, (err) => (err ? reject(err) : resolve()));
    });
  }

  /**
   * Leave the group and release the client. Partitions are revoked first (unsubscribe, then wait
   * for the assignment to empty), so librdkafka's close needs no rebalance callback: one that
   * reaches JavaScript while the native close holds the client can never be completed.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closing = true;
    for (const event of this.takeRebalanceEvents()) this.completeRebalance(event);
    try {
      this.consumer.unsubscribe();
      // librdkafka delivers the revocation only from a consume call; what such a call returns is
      // dropped: it was never handed to the task, so its offsets were never committed.
      const deadline = Date.now() + 5000;
      while (this.consumer.assignments().length > 0 && Date.now() < deadline) {
        await this.consume(100, 10);
      }
    } catch {
      // not connected any more: nothing to revoke
    }
    await new Promise<void>((resolve) => this.consumer.disconnect(() => resolve()));
  }
}
