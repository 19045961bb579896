import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../../src/api/errors.js';
import { ConnectTimestamp, Decimal, DecimalValue } from '../../../src/data/logical.js';
import { SinkRecord, SourceRecord } from '../../../src/data/record.js';
import { SchemaBuilder } from '../../../src/data/schema-builder.js';
import { Schemas } from '../../../src/data/schemas.js';
import { Struct } from '../../../src/data/struct.js';
import { Cast } from '../../../src/transforms/cast.js';
import { registerBuiltins } from '../../../src/plugins/builtins.js';

const ROW = SchemaBuilder.struct().name('Row').version(2)
  .field('id', Schemas.INT64_SCHEMA)
  .field('qty', SchemaBuilder.int32().optional().defaultValue(3).build())
  .field('price', Schemas.FLOAT64_SCHEMA)
  .field('flag', Schemas.STRING_SCHEMA)
  .field('raw', Schemas.BYTES_SCHEMA)
  .build();

function row(): Struct {
  return new Struct(ROW).put('id', 300n).put('qty', null).put('price', -2.75).put('flag', 'TRUE').put('raw', new Uint8Array([0, 255]));
}

function sink(value: unknown, schema = ROW as typeof ROW | null, key: unknown = null, keySchema = null as typeof ROW | null): SinkRecord {
  return new SinkRecord('t', 1, keySchema, key, schema, value, 5n, 1_700_000_000_000, 'CreateTime');
}

function cast(part: 'key' | 'value', spec: string, extra: Record<string, string> = {}): Cast<SinkRecord> {
  const t = new Cast<SinkRecord>(part);
  t.configure({ spec, ...extra });
  return t;
}

describe('Cast', () => {
  it('casts struct fields with Java semantics: wrapping, truncation, base64 and boolean parsing', () => {
    const out = cast('value', 'id:int8,price:int32,flag:boolean,raw:string,qty:string').apply(sink(row()));
    const v = out.value as Struct;
    expect(v.get('id')).toBe(44); // 300 wraps to a byte
    expect(v.get('price')).toBe(-2); // truncates toward zero
    expect(v.get('flag')).toBe(true); // Boolean.parseBoolean ignores case
    expect(v.get('raw')).toBe('AP8=');
    expect(v.get('qty')).toBe('3'); // the default is cast too
    expect(out.valueSchema!.field('qty')!.schema.optional).toBe(true);
    expect(out.valueSchema!.field('qty')!.schema.defaultValue).toBe('3');
    expect(out.valueSchema!.name).toBe('Row');
  });

  it('keeps a null field null when replace.null.with.default is false', () => {
    const v = cast('value', 'qty:string', { 'replace.null.with.default': 'false' }).apply(sink(row())).value as Struct;
    expect(v.getWithoutDefault('qty')).toBeNull();
  });

  it('casts the whole value, keeping the schema name (as Kafka does, even for logical types)', () => {
    const out = cast('value', 'int32').apply(sink(5_000_000_000n, Schemas.INT64_SCHEMA));
    expect(out.value).toBe(705_032_704);
    const ts = cast('value', 'int64').apply(sink(new Date(1_700_000_000_000), ConnectTimestamp.SCHEMA));
    expect(ts.value).toBe(1_700_000_000_000n);
    expect(ts.valueSchema!.name).toBe(ConnectTimestamp.LOGICAL_NAME);
  });

  it('casts decimals and floats the way Java numbers narrow', () => {
    const schema = SchemaBuilder.struct().field('d', Decimal.schema(2)).field('f', Schemas.FLOAT64_SCHEMA).build();
    const value = new Struct(schema).put('d', new DecimalValue(1234n, 2)).put('f', 0.5);
    const v = cast('value', 'd:string,f:boolean').apply(sink(value, schema)).value as Struct;
    expect(v.get('d')).toBe('12.34');
    expect(v.get('f')).toBe(false); // (long) 0.5 is 0
  });

  it('casts schemaless maps and adds named fields that are missing as null', () => {
    const out = cast('value', 'a:string,b:float64,missing:int8').apply(sink(new Map<string, unknown>([['a', 12n], ['b', '2.5']]), null));
    expect(out.value).toEqual(new Map<string, unknown>([['a', '12'], ['b', 2.5], ['missing', null]]));
  });

  it('casts the key with the Key variant and leaves the value alone', () => {
    const out = cast('key', 'string').apply(sink(row(), ROW, 7n, Schemas.INT64_SCHEMA as never));
    expect(out.key).toBe('7');
    expect(out.keySchema).toEqual(Schemas.STRING_SCHEMA);
    expect(out.value).toEqual(row());
  });

  it('passes null values and tombstones through untouched', () => {
    const record = sink(null);
    expect(cast('value', 'id:int8').apply(record)).toBe(record);
  });

  it('rejects bad specs at configure time with Kafka\'s messages', () => {
    expect(() => cast('value', '')).toThrow(new ConfigError('Must specify at least one field to cast.'));
    expect(() => cast('value', 'a:bytes')).toThrow(
      'Cast transformation does not support casting to BYTES; supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING]',
    );
    expect(() => cast('value', 'int32,a:int8')).toThrow(
      'Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec',
    );
    expect(() => cast('value', 'a:b:int8')).toThrow('Invalid value [a:b:int8] for configuration renames: Invalid rename mapping: a:b:int8');
    expect(() => new Cast('value').configure({})).toThrow('Missing required configuration "spec" which has no default value.');
  });

  it('fails on values it cannot cast, naming the value', () => {
    const schema = SchemaBuilder.struct().field('s', Schemas.STRING_SCHEMA).build();
    expect(() => cast('value', 's:int8').apply(sink(new Struct(schema).put('s', '128'), schema))).toThrow(
      new DataError('Value (128) was out of range for requested data type'),
    );
    expect(() => cast('value', 'a:int8').apply(sink('text', null))).toThrow(
      'Only Map objects supported in absence of schema for [cast types], found: java.lang.String',
    );
    expect(() => cast('value', 'string').apply(sink(row()))).toThrow(
      'Cast transformation does not support casting from STRUCT; supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING, BYTES]',
    );
  });

  it('works on source records and is registered under Kafka\'s class names', () => {
    const registry = registerBuiltins();
    const t = registry.transformation('Cast$Value').create() as Cast<SourceRecord>;
    expect(registry.transformation('org.apache.kafka.connect.transforms.Cast$Key').className).toBe('org.apache.kafka.connect.transforms.Cast$Key');
    t.configure({ spec: 'float32' });
    const out = t.apply(new SourceRecord({ f: 'a' }, { o: 1 }, 't', null, null, null, Schemas.STRING_SCHEMA, '0.1', null))!;
    expect(out.value).toBe(Math.fround(0.1));
    expect(out.sourcePartition).toEqual({ f: 'a' });
  });
});
