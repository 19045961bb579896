// Read-only looks at the test broker for end-to-end assertions: its cluster id, and how many
// messages a topic holds. Written independently of src/kafka so a test can check sluice against it.
import { createConnection } from 'node:net';
// node-rdkafka is CommonJS and Node only detects some of its named exports: use the default export.
import Kafka from 'node-rdkafka';
import type { Metadata } from 'node-rdkafka';
import { bootstrap } from './kafka.js';

/**
 * The broker's cluster id, from a Metadata v4 request written by hand (node-rdkafka does not
 * expose it): request header v1, body `topics=[]` (int32 0) and `allow_auto_topic_creation=false`.
 */
export async function brokerClusterId(timeoutMs = 10_000): Promise<string> {
  const [host, portText] = splitHostPort(bootstrap().split(',')[0]!);
  const clientId = Buffer.from('sluice-test');
  const header = Buffer.alloc(2 + 2 + 4 + 2);
  header.writeInt16BE(3, 0); // api_key: Metadata
  header.writeInt16BE(4, 2); // api_version
  header.writeInt32BE(1, 4); // correlation_id
  header.writeInt16BE(clientId.length, 8);
  const body = Buffer.from([0, 0, 0, 0, 0]);
  const payload = Buffer.concat([header, clientId, body]);
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length);

  const response = await new Promise<Buffer>((resolve, reject) => {
    const socket = createConnection({ host, port: Number(portText) });
    const timer = setTimeout(() => socket.destroy(new Error(`no Metadata response from ${host}:${portText} within ${timeoutMs} ms`)), timeoutMs);
    let received = Buffer.alloc(0);
    socket.on('connect', () => socket.write(Buffer.concat([size, payload])));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 4 && received.length >= 4 + received.readInt32BE(0)) {
        clearTimeout(timer);
        socket.end();
        resolve(received.subarray(4, 4 + received.readInt32BE(0)));
      }
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });

  // correlation_id, throttle_time_ms, brokers [node_id, host, port, rack], cluster_id
  let pos = 8;
  const readString = (): string | null => {
    const len = response.readInt16BE(pos);
    pos += 2;
    if (len < 0) return null;
    const s = response.toString('utf8', pos, pos + len);
    pos += len;
    return s;
  };
  const brokers = response.readInt32BE(pos);
  pos += 4;
  for (let i = 0; i < brokers; i++) {
    pos += 4; // node_id
    readString(); // host
    pos += 4; // port
    readString(); // rack
  }
  const clusterId = readString();
  if (!clusterId) throw new Error(`the broker at ${bootstrap()} reported no cluster id`);
  return clusterId;
}

function splitHostPort(address: string): [string, string] {
  const i = address.lastIndexOf(':');
  return [address.slice(0, i).replace(/^\[|\]$/g, ''), address.slice(i + 1)];
}

/** How many messages `topic` holds: the sum of its partitions' high watermarks (no compaction, no deletes). */
export async function messageCount(topic: string): Promise<number> {
  const producer = new Kafka.Producer({ 'metadata.broker.list': bootstrap() });
  await new Promise<void>((ok, fail) => producer.connect({ timeout: 30_000 }, (err) => (err ? fail(new Error(`connect: ${err.message}`)) : ok())));
  try {
    const metadata = await new Promise<Metadata>((ok, fail) =>
      producer.getMetadata({ topic, timeout: 10_000 }, (err, data) => (err ? fail(new Error(`metadata of ${topic}: ${err.message}`)) : ok(data))),
    );
    const partitions = metadata.topics.find((t) => t.name === topic)?.partitions ?? [];
    if (partitions.length === 0) throw new Error(`topic ${topic} does not exist`);
    let total = 0;
    for (const p of partitions) {
      total += await new Promise<number>((ok, fail) =>
        producer.queryWatermarkOffsets(topic, p.id, 10_000, (err, offsets) =>
          err ? fail(new Error(`watermarks of ${topic}-${p.id}: ${err.message}`)) : ok(offsets.highOffset),
        ),
      );
    }
    return total;
  } finally {
    await new Promise<void>((ok) => producer.disconnect(() => ok()));
  }
}
