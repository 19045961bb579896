import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../../src/api/errors.js';
import { ConnectDate, ConnectTimestamp } from '../../../src/data/logical.js';
import { SinkRecord } from '../../../src/data/record.js';
import { Schema } from '../../../src/data/schema.js';
import { SchemaBuilder } from '../../../src/data/schema-builder.js';
import { Schemas } from '../../../src/data/schemas.js';
import { Struct } from '../../../src/data/struct.js';
import { TimestampConverter } from '../../../src/transforms/timestamp-converter.js';

const TS = 1_700_000_000_123; // 2023-11-14T22:13:20.123Z
const EVENT = SchemaBuilder.struct().field('id', Schemas.INT64_SCHEMA).field('at', ConnectTimestamp.SCHEMA)
  .field('text', SchemaBuilder.string().optional().build()).build();
const event = () => new Struct(EVENT).put('id', 1n).put('at', new Date(TS)).put('text', '2023-11-14 22:13');

function converter(configs: Record<string, string>, part: 'key' | 'value' = 'value'): TimestampConverter<SinkRecord> {
  const t = new TimestampConverter<SinkRecord>(part);
  t.configure(configs);
  return t;
}

const sink = (value: unknown, schema = EVENT as typeof EVENT | null) => new SinkRecord('t', 0, null, null, schema, value, 0n);

describe('TimestampConverter', () => {
  it('converts a Timestamp field to every target type', () => {
    const at = (configs: Record<string, string>) => converter({ field: 'at', ...configs }).apply(sink(event()));
    expect((at({ 'target.type': 'unix' }).value as Struct).get('at')).toBe(BigInt(TS));
    expect((at({ 'target.type': 'unix', 'unix.precision': 'seconds' }).value as Struct).get('at')).toBe(1_700_000_000n);
    expect((at({ 'target.type': 'unix', 'unix.precision': 'nanoseconds' }).value as Struct).get('at')).toBe(BigInt(TS) * 1_000_000n);
    expect((at({ 'target.type': 'string', format: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX" }).value as Struct).get('at')).toBe('2023-11-14T22:13:20.123Z');
    expect(((at({ 'target.type': 'Date' }).value as Struct).get('at') as Date).toISOString()).toBe('2023-11-14T00:00:00.000Z');
    expect(((at({ 'target.type': 'Time' }).value as Struct).get('at') as Date).getTime()).toBe(TS % 86_400_000);
    const date = at({ 'target.type': 'Date' });
    expect(date.valueSchema!.field('at')!.schema.name).toBe(ConnectDate.LOGICAL_NAME);
  });

  it('parses string fields with a SimpleDateFormat pattern, in UTC', () => {
    const out = converter({ field: 'text', 'target.type': 'Timestamp', format: 'yyyy-MM-dd HH:mm' }).apply(sink(event()));
    expect(((out.value as Struct).get('text') as Date).toISOString()).toBe('2023-11-14T22:13:00.000Z');
    expect(out.valueSchema!.field('text')!.schema.optional).toBe(true);
  });

  it('parses leniently, as SimpleDateFormat does by default', () => {
    const parse = (format: string, text: string) =>
      (converter({ 'target.type': 'Timestamp', format }).apply(sink(text, Schemas.STRING_SCHEMA)).value as Date).toISOString();
    expect(parse('yyyy-MM-dd', '2023-13-01')).toBe('2024-01-01T00:00:00.000Z');
    expect(parse('yyyyMMddHHmmss', '20231114221320')).toBe('2023-11-14T22:13:20.000Z');
    expect(parse('dd MMM yyyy hh:mm a', '14 nov 2023 10:13 PM')).toBe('2023-11-14T22:13:00.000Z');
    expect(parse("yyyy-MM-dd'T'HH:mmXXX", '2023-11-14T22:13+02:00')).toBe('2023-11-14T20:13:00.000Z');
  });

  it('converts the whole value, with or without a schema', () => {
    const whole = converter({ 'target.type': 'Timestamp', 'unix.precision': 'seconds' }).apply(sink(1_700_000_000n, Schemas.INT64_SCHEMA));
    expect((whole.value as Date).getTime()).toBe(1_700_000_000_000);
    expect(whole.valueSchema).toEqual(ConnectTimestamp.SCHEMA);
    const time = converter({ 'target.type': 'Time' }).apply(sink(BigInt(TS), null));
    expect(time.valueSchema).toBeNull();
    expect((time.value as Date).getTime()).toBe(TS % 86_400_000);
  });

  it('converts a schemaless map field and the key with the Key variant', () => {
    const out = converter({ field: 'at', 'target.type': 'string', format: 'yyyy' }).apply(sink(new Map([['at', BigInt(TS)]]), null));
    expect(out.value).toEqual(new Map([['at', '2023']]));
    const keyed = converter({ 'target.type': 'unix' }, 'key').apply(new SinkRecord('t', 0, ConnectTimestamp.SCHEMA, new Date(TS), null, 'v', 0n));
    expect(keyed.key).toBe(BigInt(TS));
  });

  it('fails clearly for input it cannot convert', () => {
    expect(() => converter({ 'target.type': 'Timestamp', format: 'yyyy-MM-dd' }).apply(sink('14/11/2023', Schemas.STRING_SCHEMA))).toThrow(
      new DataError('Could not parse timestamp: value (14/11/2023) does not match pattern (yyyy-MM-dd)'),
    );
    expect(() => converter({ 'target.type': 'unix' }).apply(sink(5, Schemas.INT32_SCHEMA))).toThrow(
      'Schema Schema{INT32} does not correspond to a known timestamp type format',
    );
    expect(() => converter({ 'target.type': 'unix' }).apply(sink(1.5, null))).toThrow(
      'TimestampConverter does not support class java.lang.Double objects as timestamps',
    );
  });

  it('validates its config with Kafka\'s messages', () => {
    expect(() => converter({ 'target.type': 'string' })).toThrow(
      new ConfigError('TimestampConverter requires format option to be specified when using string timestamps'),
    );
    expect(() => converter({ 'target.type': 'timestamp' })).toThrow(
      'Invalid value timestamp for configuration target.type: String must be one of: string, unix, Date, Time, Timestamp',
    );
    expect(() => converter({ 'target.type': 'string', format: 'yyyy-qq' })).toThrow(
      "Invalid value java.lang.IllegalArgumentException: Illegal pattern character 'q' for configuration " +
        'TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: yyyy-qq',
    );
  });
});

describe('TimestampConverter with a struct default', () => {
  it('converts the field inside the schema\'s default value too', () => {
    const base = SchemaBuilder.struct().field('at', ConnectTimestamp.SCHEMA).optional().build();
    const dflt = new Struct(base).put('at', new Date(TS));
    // SchemaBuilder refuses struct defaults, as Java's does for a struct built elsewhere; a connector can still make one.
    const schema = new Schema({ type: base.type, optional: true, fields: [...base.fields()], defaultValue: dflt });
    const t = new TimestampConverter<SinkRecord>('value');
    t.configure({ field: 'at', 'target.type': 'unix' });
    const out = t.apply(new SinkRecord('t', 0, null, null, schema, new Struct(schema).put('at', new Date(0)), 0n));
    expect((out.valueSchema!.defaultValue as Struct).get('at')).toBe(BigInt(TS));
    expect((out.value as Struct).get('at')).toBe(0n);
  });
});
