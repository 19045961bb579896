/**
 * A librdkafka producer for source tasks and the runtime (node-rdkafka). Delivery reports come back
 * through a per-record callback; a full local queue is back-pressure, not an error.
 */
import { Producer, CODES, type LibrdKafkaError, type DeliveryReport, type MessageHeader } from './rdkafka.js';
import { explainClientError, type ClientConfig } from './client-config.js';

export interface ProducedRecord {
  topic: string;
  partition: number | null;
  key: Buffer | null;
  value: Buffer | null;
  timestamp: number | null;
  headers: MessageHeader[] | undefined;
}

export type DeliveryCallback = (err: Error | null, report: { topic: string; partition: number; offset: bigint; timestamp: number | null } | null) => void;

/** Defaults as Kafka Connect sets them for task producers, plus librdkafka throughput settings. */
export const PRODUCER_DEFAULTS: ClientConfig = {
  acks: 'all',
  // Kafka Connect uses max.in.flight=1 to keep order across retries; the idempotent producer keeps
  // order with 5 in flight, which is what throughput needs. A deliberate difference, documented.
  'enable.idempotence': true,
  'linger.ms': 5,
  // Kafka Connect sets delivery.timeout.ms to MAX_INT: a source record is retried until delivered.
  'message.timeout.ms': 2147483647,
  'queue.buffering.max.messages': 500000,
};

export class KafkaProducer {
  private readonly producer: InstanceType<typeof Producer>;
  private closed = false;

  private constructor(producer: InstanceType<typeof Producer>) {
    this.producer = producer;
  }

  static async connect(config: ClientConfig, origin = 'producer.'): Promise<KafkaProducer> {
    let producer: InstanceType<typeof Producer>;
    try {
      producer = new Producer({ ...PRODUCER_DEFAULTS, ...config, dr_cb: true } as never);
    } catch (err) {
      throw explainClientError(err, origin);
    }
    const client = new KafkaProducer(producer);
    producer.on('delivery-report', (err: LibrdKafkaError, report: DeliveryReport) => {
      const cb = report.opaque as DeliveryCallback | undefined;
      if (!cb) return;
      if (err) cb(new Error(`Failed to deliver to ${report.topic}-${report.partition}: ${err.message}`), null);
      else cb(null, { topic: report.topic, partition: report.partition, offset: BigInt(report.offset), timestamp: report.timestamp ?? null });
    });
    producer.setPollInterval(10);
    await new Promise<void>((resolve, reject) => {
      producer.connect({ timeout: 30000 }, (err) => (err ? reject(explainClientError(err, origin)) : resolve()));
    });
    return client;
  }

  /**
   * Queue one record; `onDelivery` runs once Kafka acknowledged or finally refused it.
   * Resolves immediately unless the local queue is full, in which case it waits for room.
   */
  async send(record: ProducedRecord, onDelivery: DeliveryCallback): Promise<void> {
    for (;;) {
      try {
        this.producer.produce(record.topic, record.partition ?? -1, record.value, record.key, record.timestamp ?? undefined, onDelivery, record.headers);
        return;
      } catch (err) {
        if ((err as LibrdKafkaError).code === CODES.ERRORS.ERR__QUEUE_FULL) {
          await new Promise((r) => setTimeout(r, 5));
          continue;
        }
        throw err;
      }
    }
  }

  /** Wait until every queued record has a delivery report (or the timeout passes). */
  flush(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.producer.flush(timeoutMs, (err) => (err ? reject(err) : resolve()));
    });
  }

  async close(timeoutMs = 5000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.flush(timeoutMs);
    } catch {
      // records still undelivered keep their source offsets uncommitted; nothing is lost.
    }
    await new Promise<void>((resolve) => this.producer.disconnect(timeoutMs, () => resolve()));
  }
}
