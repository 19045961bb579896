/**
 * Kafka Connect's KafkaBasedLog: a topic read from the beginning into memory and kept up to date,
 * plus a producer to append to it. The stores of distributed mode (configs, offsets, statuses) are
 * built on it.
 *
 * The consumer joins no group: it is assigned every partition and starts at the beginning. start()
 * resolves once everything up to the end offsets at that moment was consumed; readToEnd() does the
 * same later, which is how a write is made visible before acting on it (write, then read to end).
 * Records reach `onRecord` in offset order within a partition, tombstones included (value null).
 *
 * Producer settings are Kafka Connect's for these logs: acks=all and one request in flight, so
 * records are written in the order they were sent even across retries; idempotence is off as
 * Kafka Connect sets it (brokers older than 2.8 need an extra ACL for idempotent writes).
 */
import { KafkaConsumer as RdConsumer, Producer, CODES, type LibrdKafkaError, type Message, type Metadata } from '../../kafka/rdkafka.js';
import { explainClientError, type ClientConfig } from '../../kafka/client-config.js';
import { ConnectError } from '../../api/errors.js';

export interface LogRecord {
  key: Buffer | null;
  value: Buffer | null;
  partition: number;
  offset: number;
  timestamp: number | null;
}

export interface KafkaBasedLogOptions {
  topic: string;
  /** librdkafka settings shared by the producer and the consumer (bootstrap, security). */
  clientConfig: ClientConfig;
  clientId: string;
  /** Called for every record consumed, in offset order within each partition. */
  onRecord: (record: LogRecord) => void;
  /** Producer settings on top of the log's defaults (e.g. the offsets topic's partitioner). */
  producerConfig?: ClientConfig;
  /** Run before the clients start, e.g. to create the topic. */
  initializer?: () => Promise<void>;
  /** How long start() waits for the topic's partitions to appear (Kafka Connect: 30 s). */
  createTopicTimeoutMs?: number;
}

/** KafkaBasedLog.createProducer plus the stores' settings (delivery.timeout.ms = MAX_INT). */
export const LOG_PRODUCER_DEFAULTS: ClientConfig = {
  acks: 'all',
  'max.in.flight.requests.per.connection': 1,
  'enable.idempotence': false,
  'message.timeout.ms': 2147483647,
  'linger.ms': 0,
};

const OFFSET_BEGINNING = -2;
const CONSUME_BATCH = 1000;
const CONSUME_WAIT_MS = 100;

interface EndWaiter {
  targets: Map<number, number>;
  resolve: () => void;
  reject: (err: Error) => void;
}

export class KafkaBasedLog {
  readonly topic: string;
  private producer: InstanceType<typeof Producer> | null = null;
  private consumer: InstanceType<typeof RdConsumer> | null = null;
  private partitions: number[] = [];
  /** Next offset to read per partition: last consumed + 1, or the end reported by a partition EOF. */
  private readonly positions = new Map<number, number>();
  private waiters: EndWaiter[] = [];
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private loopError: Error | null = null;

  constructor(private readonly options: KafkaBasedLogOptions) {
    this.topic = options.topic;
  }

  async start(): Promise<void> {
    await this.options.initializer?.();
    const common = { ...this.options.clientConfig, 'client.id': this.options.clientId };
    try {
      const [global, topicLevel] = splitTopicConfig({ ...common, ...LOG_PRODUCER_DEFAULTS, ...this.options.producerConfig });
      this.producer = new Producer({ ...global, dr_cb: true } as never, topicLevel as never);
      this.consumer = new RdConsumer(
        {
          ...common,
          // node-rdkafka refuses a consumer without a group.id; with assign() and no commits the
          // group is never joined, so the name only has to be harmless.
          'group.id': `${this.options.clientId}-log`,
          'enable.auto.commit': false,
          'enable.auto.offset.store': false,
          'enable.partition.eof': true,
          'fetch.wait.max.ms': CONSUME_WAIT_MS,
        } as never,
        { 'auto.offset.reset': 'earliest' } as never,
      );
    } catch (err) {
      throw explainClientError(err, '');
    }
    this.producer.on('delivery-report', (err: LibrdKafkaError, report) => {
      const done = report.opaque as ((err: Error | null, partition: number, offset: number) => void) | undefined;
      if (!done) return;
      if (err) done(new ConnectError(`Failed to write to ${report.topic}-${report.partition}: ${err.message}`), report.partition, -1);
      else done(null, report.partition, report.offset);
    });
    this.producer.setPollInterval(10);
    this.consumer.on('partition.eof', (eof: { topic: string; partition: number; offset: number }) => {
      this.advance(eof.partition, eof.offset);
    });
    try {
      await Promise.all([connect(this.producer, this.topic), connect(this.consumer, this.topic)]);
      this.partitions = await this.findPartitions(this.options.createTopicTimeoutMs ?? 30000);
      for (const p of this.partitions) this.positions.set(p, 0);
      this.consumer.assign(this.partitions.map((partition) => ({ topic: this.topic, partition, offset: OFFSET_BEGINNING })));
      this.running = true;
      this.loop = this.consumeLoop();
      await this.readToEnd();
    } catch (err) {
      // Do not leave connected clients behind: they would keep the process alive.
      await this.stop();
      throw err;
    }
  }

  /** Number of partitions of the topic, known once started. */
  partitionCount(): number {
    return this.partitions.length;
  }

  /**
   * Append a record; resolves with where it was written once the broker acknowledged it.
   * `partition` null lets the producer's partitioner choose from the key.
   */
  send(key: Buffer | string | null, value: Buffer | null, partition: number | null = null): Promise<{ partition: number; offset: number }> {
    const producer = this.producer;
    if (!producer || !this.running) return Promise.reject(new ConnectError(`The log of topic ${this.topic} is not running`));
    const keyBytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
    return new Promise((resolve, reject) => {
      const done = (err: Error | null, p: number, offset: number): void => (err ? reject(err) : resolve({ partition: p, offset }));
      const attempt = (): void => {
        try {
          producer.produce(this.topic, partition ?? -1, value, keyBytes, Date.now(), done);
        } catch (err) {
          // A full local queue is back-pressure: wait for deliveries to drain.
          if ((err as LibrdKafkaError).code === CODES.ERRORS.ERR__QUEUE_FULL) setTimeout(attempt, 5);
          else reject(explainClientError(err, ''));
        }
      };
      attempt();
    });
  }

  /** Wait until every record sent so far was acknowledged (or failed). */
  flush(timeoutMs = 30000): Promise<void> {
    const producer = this.producer;
    if (!producer) return Promise.resolve();
    return new Promise((resolve, reject) => producer.flush(timeoutMs, (err) => (err ? reject(err) : resolve())));
  }

  /**
   * Resolves once every record up to the current end of every partition (its high watermark, read
   * from the broker now) was consumed and handed to `onRecord`.
   */
  async readToEnd(timeoutMs = 30000): Promise<void> {
    if (!this.running) throw new ConnectError(`The log of topic ${this.topic} is not running`);
    if (this.loopError) throw this.loopError;
    const ends = await Promise.all(this.partitions.map((p) => this.highWatermark(p, timeoutMs)));
    const targets = new Map<number, number>();
    this.partitions.forEach((p, i) => targets.set(p, ends[i]!));
    await new Promise<void>((resolve, reject) => {
      const entry: EndWaiter = { targets, resolve, reject };
      if (this.reached(entry)) return resolve();
      this.waiters.push(entry);
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== entry);
        const behind = [...targets].filter(([p, end]) => (this.positions.get(p) ?? 0) < end).map(([p, end]) => `${this.topic}-${p} at ${this.positions.get(p)} of ${end}`);
        reject(new ConnectError(`Timed out after ${timeoutMs} ms reading to the end of topic ${this.topic} (${behind.join(', ')})`));
      }, timeoutMs);
      const settle = entry.resolve;
      entry.resolve = () => {
        clearTimeout(timer);
        settle();
      };
    });
  }

  async stop(): Promise<void> {
    if (!this.producer && !this.consumer) return;
    this.running = false;
    await this.loop;
    for (const w of this.waiters.splice(0)) w.reject(new ConnectError(`The log of topic ${this.topic} was stopped`));
    const producer = this.producer;
    const consumer = this.consumer;
    this.producer = null;
    this.consumer = null;
    if (producer?.isConnected()) {
      await new Promise<void>((resolve) => producer.flush(10000, () => resolve()));
      await new Promise<void>((resolve) => producer.disconnect(10000, () => resolve()));
    }
    if (consumer?.isConnected()) await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }

  private async consumeLoop(): Promise<void> {
    const consumer = this.consumer!;
    consumer.setDefaultConsumeTimeout(CONSUME_WAIT_MS);
    while (this.running) {
      let messages: Message[];
      try {
        messages = await new Promise<Message[]>((resolve, reject) =>
          consumer.consume(CONSUME_BATCH, (err, msgs) => (err ? reject(err) : resolve(msgs))),
        );
      } catch (err) {
        const e = err as LibrdKafkaError;
        if (e.code === CODES.ERRORS.ERR__FATAL || (e as { isFatal?: boolean }).isFatal) {
          this.loopError = new ConnectError(`Consumer of topic ${this.topic} failed: ${e.message}`);
          for (const w of this.waiters.splice(0)) w.reject(this.loopError);
          return;
        }
        // Transient (broker restarting, leader moving): librdkafka retries by itself.
        await new Promise((r) => setTimeout(r, CONSUME_WAIT_MS));
        continue;
      }
      for (const m of messages) {
        this.options.onRecord({
          key: m.key == null ? null : typeof m.key === 'string' ? Buffer.from(m.key) : m.key,
          value: m.value ?? null,
          partition: m.partition,
          offset: m.offset,
          timestamp: m.timestamp ?? null,
        });
        this.advance(m.partition, m.offset + 1);
      }
    }
  }

  private advance(partition: number, next: number): void {
    if (next > (this.positions.get(partition) ?? 0)) this.positions.set(partition, next);
    if (this.waiters.length === 0) return;
    const still: EndWaiter[] = [];
    for (const w of this.waiters) {
      if (this.reached(w)) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }

  private reached(w: EndWaiter): boolean {
    for (const [p, end] of w.targets) if ((this.positions.get(p) ?? 0) < end) return false;
    return true;
  }

  /**
   * The partition's end offset, read from its leader. Retried until `timeoutMs` (as
   * TopicAdmin.retryEndOffsets): right after a topic is created its leaders may not be ready.
   */
  private async highWatermark(partition: number, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (let backoff = 50; ; backoff = Math.min(backoff * 2, 1000)) {
      const result = await new Promise<number | LibrdKafkaError>((resolve) =>
        this.consumer!.queryWatermarkOffsets(this.topic, partition, Math.max(1, deadline - Date.now()), (err, offsets) =>
          resolve(err ? err : offsets.highOffset),
        ),
      );
      if (typeof result === 'number') return result;
      if (Date.now() + backoff >= deadline || !this.running) {
        throw new ConnectError(`Could not read the end offset of ${this.topic}-${partition}: ${result.message}`);
      }
      await new Promise((r) => setTimeout(r, backoff));
    }
  }

  /** KafkaBasedLog.start: the topic may have just been created; wait for its metadata. */
  private async findPartitions(timeoutMs: number): Promise<number[]> {
    const deadline = Date.now() + timeoutMs;
    let sleepMs = 100;
    for (;;) {
      const metadata = await new Promise<Metadata | null>((resolve) =>
        this.consumer!.getMetadata({ topic: this.topic, timeout: 5000 }, (err, data) => resolve(err ? null : data)),
      );
      const found = metadata?.topics.find((t) => t.name === this.topic);
      if (found && found.partitions.length > 0 && found.partitions.every((p) => p.leader >= 0)) {
        return found.partitions.map((p) => p.id).sort((a, b) => a - b);
      }
      if (Date.now() > deadline) {
        throw new ConnectError(
          `Could not look up partition metadata for topic '${this.topic}' in the allotted period. This could indicate a ` +
            'connectivity issue, unavailable topic partitions, or if this is your first use of the topic it may have taken too long to create.',
        );
      }
      await new Promise((r) => setTimeout(r, sleepMs));
      sleepMs = Math.min(2 * sleepMs, 1000);
    }
  }
}

/** librdkafka topic-level properties used here (topic config, not global config). */
const TOPIC_LEVEL = new Set(['acks', 'request.required.acks', 'message.timeout.ms', 'partitioner', 'request.timeout.ms', 'compression.type', 'compression.codec']);

/**
 * node-rdkafka always creates a default topic config from its second argument, which replaces the
 * one librdkafka built from topic-level properties given in the global config: those must go in
 * the topic config or they are silently lost (the partitioner, acks, message.timeout.ms).
 */
function splitTopicConfig(config: ClientConfig): [ClientConfig, ClientConfig] {
  const global: ClientConfig = {};
  const topic: ClientConfig = {};
  for (const [k, v] of Object.entries(config)) (TOPIC_LEVEL.has(k) ? topic : global)[k] = v;
  return [global, topic];
}

function connect(client: InstanceType<typeof Producer> | InstanceType<typeof RdConsumer>, topic: string): Promise<void> {
  return new Promise((resolve, reject) =>
    client.connect({ timeout: 30000 }, (err) =>
      err ? reject(new ConnectError(`Could not connect to Kafka for topic ${topic}: ${err.message}`)) : resolve(),
    ),
  );
}
