/**
 * ValueLinePrinter without transformations (with them, every compiled-chain case also runs through
 * it: test/unit/transforms/batch/compiled-chain.test.ts): the lines must be what FileStreamSink's
 * put() writes for the records sinkRecordsOf makes, and bad bytes must fail as conversion does,
 * key first, naming topic, partition and offset, whichever way (from the bytes or decoded) a
 * record goes.
 */
import { describe, expect, it } from 'vitest';
import { ConnectorConfig } from '../../../src/config/connector-config.js';
import { ByteArrayConverter } from '../../../src/converters/bytearray.js';
import { JsonConverter } from '../../../src/converters/json.js';
import { SimpleHeaderConverter } from '../../../src/converters/simple-header.js';
import { StringConverter } from '../../../src/converters/string.js';
import { RecordBatch, TimestampTypeCode } from '../../../src/data/batch.js';
import { BatchWriter } from '../../../src/data/batch-writer.js';
import { javaToString } from '../../../src/data/java-string.js';
import type { SinkRecord } from '../../../src/data/record.js';
import { sinkRecordsOf } from '../../../src/engine/batch-records.js';
import type { TaskConverters } from '../../../src/engine/task-converters.js';
import { ValueLinePrinter } from '../../../src/engine/value-lines.js';
import { registerBuiltins } from '../../../src/plugins/builtins.js';
import { CompiledChain } from '../../../src/transforms/batch/compiled-chain.js';
import { TransformationChain } from '../../../src/transforms/chain.js';

const registry = registerBuiltins();
const noTransforms = (): CompiledChain =>
  CompiledChain.compile(TransformationChain.fromConfig<SinkRecord>(new ConnectorConfig({ name: 'c', 'connector.class': 'X' }, registry), registry));

function converters(value: 'json' | 'string' | 'bytes', key: 'string' | 'json' = 'string'): TaskConverters {
  const v = value === 'json' ? new JsonConverter() : value === 'string' ? new StringConverter() : new ByteArrayConverter();
  v.configure(value === 'json' ? { 'schemas.enable': 'false' } : {}, false);
  const k = key === 'json' ? new JsonConverter() : new StringConverter();
  k.configure(key === 'json' ? { 'schemas.enable': 'false' } : {}, true);
  const header = new SimpleHeaderConverter();
  header.configure({});
  return { key: k, value: v, header };
}

type Raw = { key?: string | null; value: string | Uint8Array | null; headers?: [string, string][] };

function frame(records: Raw[]): RecordBatch {
  const payload = records.reduce((n, r) => n + (r.value?.length ?? 0) + (r.key?.length ?? 0) + 64, 0);
  const target = new Uint8Array(BatchWriter.estimate(records.length, payload, ['events']));
  const w = new BatchWriter().reset(target, records.length);
  records.forEach((r, i) => {
    const value = r.value === null ? null : typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    const ok = w.append('events', 2, 10 + i, 1_700_000_000_000, r.key == null ? null : Buffer.from(r.key), value,
      (r.headers ?? []).map(([k, v]) => [k, Buffer.from(v)]), TimestampTypeCode.CREATE_TIME);
    if (!ok) throw new Error('frame too small');
  });
  return RecordBatch.from(target.subarray(0, w.finish()));
}

/** What FileStreamSink's put() writes for these records. */
function putLines(records: Raw[], conv: TaskConverters): string {
  return sinkRecordsOf(frame(records), conv).map((r) => `${javaToString(r.value, r.valueSchema)}\n`).join('');
}

function printed(records: Raw[], conv: TaskConverters): string {
  const batch = frame(records);
  const { lines, records: count } = new ValueLinePrinter(conv, noTransforms()).print(batch, 0, batch.count);
  expect(count).toBe(records.length);
  return Buffer.from(lines).toString('utf8');
}

const MIXED: Raw[] = [
  { value: '{"id":1,"user":"ann","score":1.5,"tags":["a","b"],"nested":{"x":null}}' },
  { key: 'k', value: '{"s":"tab\\there","é":"😀","big":12345678901234567890}', headers: [['h', '1']] },
  { value: null },
  { value: '"just a string"' },
  { value: '[1, 2.50, true]' },
  { value: ' {"leading":"space"}' },
  { value: '{"dup":1,"dup":2}' },
  { value: '42' },
  { value: '' },
];

describe('ValueLinePrinter without transformations', () => {
  it('writes the lines put() would write, for values printed from their bytes and decoded alike', () => {
    expect(printed(MIXED, converters('json'))).toBe(putLines(MIXED, converters('json')));
    const strings: Raw[] = [{ value: 'plain' }, { value: 'é€😀' }, { value: Uint8Array.from([0x61, 0xff, 0x62]) }, { value: null }, { value: '' }];
    expect(printed(strings, converters('string'))).toBe(putLines(strings, converters('string')));
    const bytes: Raw[] = [{ value: Uint8Array.from([1, 255]) }, { value: null }];
    expect(printed(bytes, converters('bytes'))).toBe('[1, -1]\nnull\n');
  });

  it('grows its buffer for frames larger than it', () => {
    const big: Raw[] = Array.from({ length: 600 }, (_, i) => ({ value: `{"i":${i},"pad":"${'x'.repeat(3000)}"}` }));
    expect(printed(big, converters('json'))).toBe(putLines(big, converters('json')));
  });

  it('fails on bad value bytes as conversion does, naming the record', () => {
    const batch = frame([{ value: '{"ok":1}' }, { value: '{"id":' }]);
    expect(() => new ValueLinePrinter(converters('json'), noTransforms()).print(batch, 0, batch.count))
      .toThrow(/Failed to convert the record at events-2 offset 11: Converting byte\[\] to Kafka Connect data failed/);
  });

  it('converts the key for its errors even though nothing prints it', () => {
    const bad: Raw[] = [{ value: '{"v":0}' }, { key: '{"bad key', value: '{"v":1}' }];
    const batch = frame(bad);
    let message = '';
    try {
      new ValueLinePrinter(converters('json', 'json'), noTransforms()).print(batch, 0, batch.count);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^Failed to convert the record at events-2 offset 11: Converting byte\[\] to Kafka Connect data failed/);
    expect(() => sinkRecordsOf(frame(bad), converters('json', 'json'))).toThrow(message);
    // A good JSON key does not stop the value from printing from its bytes.
    expect(printed([{ key: '{"k":1}', value: '{"v":2}' }], converters('json', 'json'))).toBe('{v=2}\n');
  });
});
