/**
 * Converters in a real pipeline: the real CLI, a real broker, bytes checked on the topic.
 *
 * 1. Datagen (json values: Maps; INT64 sequence keys) → Kafka with key.converter=LongConverter and
 *    value.converter=MsgPack: every key on the topic is the 8-byte big-endian long Kafka's
 *    LongSerializer writes, every value a plain MessagePack map any reader decodes. The same topic
 *    then → FileStreamSink with value.converter=MsgPack: each line is the decoded map.
 * 2. Long values produced by a plain Kafka client (what a Java LongSerializer writes, including
 *    2^53+1, which a double cannot hold) → FileStreamSink with value.converter=LongConverter: the
 *    exact numbers come out.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Unpackr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { bootstrap, consumeAll, createTopic, produce, uniqueTopic } from '../helpers/kafka.js';
import { cleanedUpRuns, freePort, startStandalone, waitFor, writeProperties } from '../helpers/sluice-process.js';

const { running, dirs } = cleanedUpRuns();

/** A plain MessagePack reader, as a consumer written in any language would read the topic. */
const msgpack = new Unpackr({ useRecords: false, mapsAsObjects: false, int64AsType: 'bigint' });

async function workerIn(dir: string): Promise<{ worker: string; restPort: number }> {
  const restPort = await freePort();
  const worker = writeProperties(join(dir, 'worker.properties'), {
    'bootstrap.servers': bootstrap(),
    // The worker's converters are not the ones under test: connectors override them.
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'offset.storage.file.filename': join(dir, 'connect.offsets'),
    'offset.flush.interval.ms': 1000,
    listeners: `http://127.0.0.1:${restPort}`,
  });
  return { worker, restPort };
}

function readLines(file: string): string[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  return text.length === 0 ? [] : text.slice(0, text.endsWith('\n') ? -1 : undefined).split('\n');
}

describe('converters through a standalone pipeline', () => {
  it('Datagen → Kafka with LongConverter keys and MsgPack values → FileStreamSink reading MsgPack', async () => {
    const COUNT = 300;
    const dir = mkdtempSync(join(tmpdir(), 'sluice-converters-'));
    dirs.push(dir);
    const topic = uniqueTopic('converters-msgpack');
    await createTopic(topic, 1);
    const { worker, restPort } = await workerIn(dir);
    const output = join(dir, 'sink.txt');
    const source = writeProperties(join(dir, 'datagen.properties'), {
      name: 'datagen', 'connector.class': 'Datagen', 'tasks.max': 1, topic,
      count: COUNT, format: 'json', 'key.pattern': 'sequence', 'record.size': 100,
      'key.converter': 'org.apache.kafka.connect.converters.LongConverter',
      'value.converter': 'MsgPack',
    });
    const sink = writeProperties(join(dir, 'sink.properties'), {
      name: 'msgpack-sink', 'connector.class': 'FileStreamSink', 'tasks.max': 1, topics: topic, file: output,
      'value.converter': 'dev.sluice.connect.converters.MsgPackConverter',
    });
    const run = startStandalone(dir, worker, [source, sink], restPort);
    running.push(run);
    const log = (): string => (existsSync(run.logFile) ? readFileSync(run.logFile, 'utf8') : '(no log)');

    try {
      const messages = await consumeAll(topic, COUNT, 90_000);
      expect(messages).toHaveLength(COUNT);
      for (const [i, m] of messages.entries()) {
        // LongSerializer's bytes: exactly 8, big-endian.
        expect(m.key).toHaveLength(8);
        expect(m.key!.readBigInt64BE(0)).toBe(BigInt(i));
        const value = msgpack.unpack(m.value!) as Map<string, unknown>;
        expect([...value.keys()]).toEqual(['seq', 'ts', 'user', 'action', 'payload']);
        expect(value.get('seq')).toBe(i);
        // A millisecond timestamp needs more than 32 bits: it is a MessagePack int 64, not a float.
        expect(value.get('ts')).toBe(BigInt(m.timestamp!));
        expect(value.get('user')).toMatch(/^user-\d+$/);
        expect(value.get('payload')).toMatch(/^x*$/);
      }

      const lines = await waitFor('the file sink to write every record', () => {
        const found = readLines(output);
        return found.length >= COUNT ? found : undefined;
      }, 60_000, 200);
      expect(lines).toHaveLength(COUNT);
      for (const [i, line] of lines.entries()) {
        const ts = msgpack.unpack(messages[i]!.value!).get('ts') as bigint;
        expect(line).toMatch(new RegExp(`^\\{seq=${i}, ts=${ts}, user=user-\\d+, action=\\w+, payload=x*\\}$`));
      }
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- sluice log ---\n${log().slice(-5000)}`, { cause: err });
    }
  });

  it('Kafka (LongSerializer bytes) → FileStreamSink with value.converter=LongConverter', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-converters-'));
    dirs.push(dir);
    const topic = uniqueTopic('converters-long');
    await createTopic(topic, 1);
    const values = [0n, 1n, -1n, 9007199254740993n, -(2n ** 63n), 2n ** 63n - 1n];
    await produce(topic, [
      ...values.map((v) => {
        const bytes = Buffer.alloc(8);
        bytes.writeBigInt64BE(v);
        return { value: bytes };
      }),
      { value: null },
    ]);
    const { worker, restPort } = await workerIn(dir);
    const output = join(dir, 'longs.txt');
    const sink = writeProperties(join(dir, 'sink.properties'), {
      name: 'long-sink', 'connector.class': 'FileStreamSink', 'tasks.max': 1, topics: topic, file: output,
      'value.converter': 'org.apache.kafka.connect.converters.LongConverter',
    });
    const run = startStandalone(dir, worker, [sink], restPort);
    running.push(run);
    const log = (): string => (existsSync(run.logFile) ? readFileSync(run.logFile, 'utf8') : '(no log)');

    try {
      const lines = await waitFor('the file sink to write every record', () => {
        const found = readLines(output);
        return found.length >= values.length + 1 ? found : undefined;
      }, 60_000, 200);
      // A null value (a tombstone) reaches the sink as null, which FileStreamSink prints as "null".
      expect(lines).toEqual([...values.map(String), 'null']);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- sluice log ---\n${log().slice(-5000)}`, { cause: err });
    }
  });
});
