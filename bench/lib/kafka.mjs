// What the runner asks the broker, through node-rdkafka (already a dependency of sluice): topic
// creation and deletion, high watermarks, a consumer group's committed offsets, and producing
// the JSON values native-bench cannot make.
import { createRequire } from 'node:module';
import { jsonValue } from './json-values.mjs';

const require = createRequire(import.meta.url);
// CommonJS; loaded lazily so `--help` works without the native module.
let Kafka = null;
function kafka() {
  Kafka ??= require('node-rdkafka');
  return Kafka;
}

export function librdkafkaVersion() {
  try {
    return kafka().librdkafkaVersion;
  } catch {
    return null;
  }
}

const cb2p = (fn) => new Promise((ok, fail) => fn((err, v) => (err ? fail(err) : ok(v))));

/** AdminClient + a connected producer (for watermarks and JSON pre-fill). */
export class BrokerClient {
  constructor(bootstrap) {
    this.bootstrap = bootstrap;
    this.admin = null;
    this.producer = null;
  }

  async connect() {
    const K = kafka();
    this.admin = K.AdminClient.create({ 'bootstrap.servers': this.bootstrap, 'client.id': 'sluice-bench-admin' });
    this.producer = new K.Producer(
      {
        'bootstrap.servers': this.bootstrap,
        'client.id': 'sluice-bench',
        'linger.ms': 50,
        'batch.num.messages': 10000,
        'batch.size': 1000000,
        'queue.buffering.max.messages': 500000,
        'queue.buffering.max.kbytes': 1048576,
        'compression.type': 'none',
        acks: 'all',
        dr_cb: true,
      },
      {},
    );
    await new Promise((ok, fail) => {
      this.producer.once('ready', ok);
      this.producer.once('connection.failure', fail);
      this.producer.connect({ timeout: 30_000 }, (err) => err && fail(err));
    });
    this.producer.setPollInterval(20);
  }

  async createTopic(topic, partitions) {
    await cb2p((cb) => this.admin.createTopic({ topic, num_partitions: partitions, replication_factor: 1 }, 30_000, cb)).catch((err) => {
      if (!/already exists/i.test(String(err.message))) throw err;
    });
    // Wait until every partition has a leader (metadata from the broker).
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const md = await this.metadata(topic).catch(() => null);
      const t = md?.topics.find((x) => x.name === topic);
      if (t && t.partitions.length === partitions && t.partitions.every((p) => p.leader >= 0)) return;
      await sleep(200);
    }
    throw new Error(`topic ${topic} has no leader for every partition after 30 s`);
  }

  async deleteTopic(topic) {
    await cb2p((cb) => this.admin.deleteTopic(topic, 30_000, cb)).catch(() => {});
  }

  metadata(topic) {
    return cb2p((cb) => this.producer.getMetadata({ topic, timeout: 10_000 }, cb));
  }

  /** Number of partitions of `topic` (0 if it does not exist yet). */
  async partitionCount(topic) {
    const md = await this.metadata(topic).catch(() => null);
    const t = md?.topics.find((x) => x.name === topic);
    return t && !t.error ? t.partitions.length : 0;
  }

  /** Sum of the high watermarks of partitions 0..partitions-1 (a missing partition counts 0). */
  async highWatermarkSum(topic, partitions) {
    const his = await Promise.all(
      Array.from({ length: partitions }, (_, p) =>
        cb2p((cb) => this.producer.queryWatermarkOffsets(topic, p, 5_000, cb)).then(
          (w) => Number(w.highOffset),
          () => 0,
        ),
      ),
    );
    return his.reduce((a, b) => a + b, 0);
  }

  /**
   * Produces `count` JSON values of about `size` bytes (valid JSON objects, each distinct) to
   * `topic`, round-robin over its partitions, and waits for every delivery report. With
   * `dropHeaderEvery` n, every n-th record carries a header `drop` (smt-chain-5's Filter).
   */
  async produceJson(topic, partitions, count, size, onProgress, { dropHeaderEvery = 0 } = {}) {
    let acked = 0;
    let failed = null;
    const onReport = (err) => {
      if (err) failed ??= err;
      else acked++;
    };
    this.producer.on('delivery-report', onReport);
    try {
      let sent = 0;
      while (sent < count) {
        if (failed) throw failed;
        const i = sent;
        const value = jsonValue(i, size);
        try {
          const headers = dropHeaderEvery > 0 && i % dropHeaderEvery === 0 ? [{ drop: Buffer.from('1') }] : undefined;
          this.producer.produce(topic, i % partitions, value, null, null, undefined, headers);
          sent++;
        } catch (err) {
          if (!/queue full/i.test(String(err.message)) && err.code !== -184) throw err;
          await sleep(5);
        }
        if ((sent & 0x3fff) === 0) {
          onProgress?.(acked, count);
          await new Promise(setImmediate);
        }
      }
      const deadline = Date.now() + 120_000;
      while (acked < count && !failed) {
        if (Date.now() > deadline) throw new Error(`only ${acked} of ${count} JSON records acknowledged within 120 s`);
        onProgress?.(acked, count);
        await sleep(50);
      }
      if (failed) throw failed;
    } finally {
      this.producer.off('delivery-report', onReport);
    }
  }

  async close() {
    await new Promise((ok) => (this.producer ? this.producer.disconnect(5_000, () => ok()) : ok()));
    this.admin?.disconnect();
  }
}

/**
 * Reads a consumer group's committed offsets without joining it: a consumer with that group.id
 * that never subscribes only sends OffsetFetch requests.
 */
export class CommittedReader {
  constructor(bootstrap, group, topic, partitions) {
    this.toppars = Array.from({ length: partitions }, (_, p) => ({ topic, partition: p }));
    this.consumer = new (kafka().KafkaConsumer)(
      { 'bootstrap.servers': bootstrap, 'group.id': group, 'client.id': 'sluice-bench-monitor', 'enable.auto.commit': false },
      {},
    );
  }

  async connect() {
    await cb2p((cb) => this.consumer.connect({ timeout: 30_000 }, cb));
  }

  /** Sum of the committed offsets (a partition without a committed offset counts 0). */
  async sum() {
    const tps = await cb2p((cb) => this.consumer.committed(this.toppars, 5_000, cb));
    return tps.reduce((a, tp) => a + (tp.offset >= 0 ? Number(tp.offset) : 0), 0);
  }

  async close() {
    await new Promise((ok) => this.consumer.disconnect(() => ok()));
  }
}

export function sleep(ms) {
  return new Promise((ok) => setTimeout(ok, ms));
}
