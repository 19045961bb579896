/**
 * JsonConverter as a header converter (`header.converter=org.apache.kafka.connect.json.JsonConverter`).
 * In Kafka, JsonConverter.fromConnectHeader/toConnectHeader are fromConnectData/toConnectData with
 * the header key ignored, on a converter the worker configures with `converter.type=header`; the
 * converter's own configs (`header.converter.schemas.enable`, ...) apply. The bytes themselves are
 * checked against Kafka's JsonConverter in test/compat/json-converter.test.ts; here: registration,
 * configuration in the header role, and headers through the engine's record conversion.
 */
import { describe, expect, it } from 'vitest';
import { JsonConverter } from '../../../src/converters/json.js';
import { StringConverter } from '../../../src/converters/string.js';
import { Headers } from '../../../src/data/headers.js';
import { SourceRecord } from '../../../src/data/record.js';
import { SchemaBuilder } from '../../../src/data/schema-builder.js';
import { Schemas } from '../../../src/data/schemas.js';
import { Struct } from '../../../src/data/struct.js';
import { convertSinkRecord, toBatchHeaders } from '../../../src/engine/record-conversion.js';
import { registerBuiltins } from '../../../src/plugins/builtins.js';

const text = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString('utf8'));

/** A header converter as the task host builds one: by name from the registry, configure(configs). */
function headerConverter(configs: Record<string, string> = {}) {
  const h = registerBuiltins().headerConverter('org.apache.kafka.connect.json.JsonConverter').create();
  h.configure(configs);
  return h;
}

describe('JsonConverter as a header converter', () => {
  it('is registered as a header converter under its class name and its simple name', () => {
    const registry = registerBuiltins();
    expect(registry.headerConverter('JsonConverter').className).toBe('org.apache.kafka.connect.json.JsonConverter');
    expect(registry.headerConverter('org.apache.kafka.connect.json.JsonConverter').create()).toBeInstanceOf(JsonConverter);
  });

  it('writes the schema envelope by default (schemas.enable=true), as Kafka does for headers too', () => {
    const h = headerConverter();
    expect(text(h.fromConnectHeader('t', 'retries', Schemas.INT32_SCHEMA, 3))).toBe('{"schema":{"type":"int32","optional":false},"payload":3}');
    expect(h.toConnectHeader('t', 'retries', Buffer.from('{"schema":{"type":"int32","optional":false},"payload":3}'))).toEqual({
      schema: Schemas.INT32_SCHEMA,
      value: 3,
    });
  });

  it('writes bare JSON with schemas.enable=false and reads numbers back schemaless', () => {
    const h = headerConverter({ 'schemas.enable': 'false' });
    expect(text(h.fromConnectHeader('t', 'retries', Schemas.INT32_SCHEMA, 3))).toBe('3');
    expect(h.toConnectHeader('t', 'retries', Buffer.from('3'))).toEqual({ schema: null, value: 3n });
  });

  it('rejects a header without the envelope when schemas are enabled, with Kafka\'s message', () => {
    expect(() => headerConverter().toConnectHeader('t', 'h', Buffer.from('"plain"'))).toThrow(
      'JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields.',
    );
  });

  it('accepts converter.type=header and refuses an unknown converter.type, naming the key', () => {
    expect(() => headerConverter({ 'converter.type': 'header' })).not.toThrow();
    expect(() => headerConverter({ 'converter.type': 'headers' })).toThrow(/converter\.type/);
  });

  it('writes the same bytes for a header as for a value, whatever the header key', () => {
    const schema = SchemaBuilder.struct().name('trace').field('id', Schemas.STRING_SCHEMA).field('hop', Schemas.INT8_SCHEMA).build();
    const struct = new Struct(schema).put('id', 'abc').put('hop', 2);
    const value = new JsonConverter();
    value.configure({}, false);
    const header = headerConverter();
    expect(text(header.fromConnectHeader('t', 'trace', schema, struct))).toBe(text(value.fromConnectData('t', null, schema, struct)));
    expect(header.fromConnectHeader('t', 'absent', null, null)).toBeNull();
    expect(header.toConnectHeader('t', 'absent', null)).toEqual({ schema: null, value: null });
  });

  it('carries typed headers through the engine\'s record conversion and back', () => {
    const h = headerConverter();
    const schema = SchemaBuilder.struct().name('trace').field('id', Schemas.STRING_SCHEMA).build();
    const headers = new Headers()
      .addString('origin', 'db-1')
      .addLong('epoch', 9007199254740993n)
      .addStruct('trace', new Struct(schema).put('id', 'abc'))
      .addString('empty', null);
    const record = new SourceRecord(null, null, 'orders', 0, null, null, null, 'v', null, headers);

    const raw = toBatchHeaders(record, h)!;
    expect(text(raw[1]![1])).toBe('{"schema":{"type":"int64","optional":false},"payload":9007199254740993}');

    const strings = new StringConverter();
    strings.configure({}, false);
    const sink = convertSinkRecord(
      { topic: 'orders', partition: 0, offset: 7, key: null, value: Buffer.from('v'), headers: raw, timestamp: null, timestampType: 'NoTimestampType' },
      { key: strings, value: strings, header: h },
    );
    const back = [...sink.headers].map((x) => [x.key, x.schema?.type ?? null, x.value]);
    expect(back[0]).toEqual(['origin', 'STRING', 'db-1']);
    expect(back[1]).toEqual(['epoch', 'INT64', 9007199254740993n]);
    expect(back[2]![0]).toBe('trace');
    expect((back[2]![2] as Struct).get('id')).toBe('abc');
    expect(back[3]).toEqual(['empty', 'STRING', null]);
  });
});
