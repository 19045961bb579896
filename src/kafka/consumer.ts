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

  private constructor(private readonly consumer: InstanceType<typeof RdConsumer>) {}

  static async connect(config: ClientConfig, origin = 'consumer.'): Promise<KafkaConsumer> {
    let self!: KafkaConsumer;
    let consumer: InstanceType<typeof RdConsumer>;
    try {
      consumer = new RdConsumer(
        {
          ...CONSUMER_DEFAULTS,
          ...config,
          rebalance_cb: (err: LibrdKafkaError, partitions: TopicPartition[]) => self.onRebalance(err, partitions),
        } as never,
        {},
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
    if (err.code === CODES.ERRORS.ERR__ASSIGN_PARTITIONS) {
      this.pending.push({ kind: 'assign', partitions });
    } else if (err.code === CODES.ERRORS.ERR__REVOKE_PARTITIONS) {
      this.pending.push({ kind: 'revoke', partitions });
    }
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

  /** Up to `max` messages; returns early (possibly empty) after `timeoutMs` without data. */
  consume(max: number, timeoutMs: number): Promise<Message[]> {
    this.consumer.setDefaultConsumeTimeout(timeoutMs);
    return new Promise((resolve, reject) => {
      this.consumer.consume(max, (err, messages) => (err ? reject(err) : resolve(messages)));
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

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await new Promise<void>((resolve) => this.consumer.disconnect(() => resolve()));
  }
}
