/**
 * JsonConverter behaviour around the byte format, which test/compat/json-converter checks against
 * Kafka's own fixtures: configuration, header use, schema caching and the schema API.
 */
import { describe, expect, it } from 'vitest';
import { JsonConverter } from '../../../src/converters/json.js';
import { DecimalValue, Decimal } from '../../../src/data/logical.js';
import { SchemaBuilder } from '../../../src/data/schema-builder.js';
import { Schemas } from '../../../src/data/schemas.js';
import { Struct } from '../../../src/data/struct.js';

const text = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString('utf8'));
const bytes = (s: string) => Buffer.from(s, 'utf8');

function converter(configs: Record<string, string> = {}, isKey = false): JsonConverter {
  const c = new JsonConverter();
  c.configure(configs, isKey);
  return c;
}

describe('JsonConverter', () => {
  it('defines Kafka Connect\'s configs with their defaults', () => {
    const parsed = new JsonConverter().config().parse({ 'converter.type': 'value' });
    expect(parsed).toMatchObject({
      'schemas.enable': true,
      'schemas.cache.size': 1000,
      'schema.content': null,
      'decimal.format': 'BASE64',
      'replace.null.with.default': true,
    });
  });

  it('writes the envelope by default and plain JSON with schemas.enable=false', () => {
    expect(text(converter().fromConnectData('t', null, Schemas.INT32_SCHEMA, 5))).toBe('{"schema":{"type":"int32","optional":false},"payload":5}');
    expect(text(converter({ 'schemas.enable': 'false' }).fromConnectData('t', null, Schemas.INT32_SCHEMA, 5))).toBe('5');
  });

  it('reads a decimal per decimal.format and accepts either form', () => {
    const schema = Decimal.schema(2);
    const value = DecimalValue.parse('-12.34');
    expect(text(converter({ 'schemas.enable': 'false' }).fromConnectData('t', null, schema, value))).toBe('"+y4="');
    expect(text(converter({ 'schemas.enable': 'false', 'decimal.format': 'numeric' }).fromConnectData('t', null, schema, value))).toBe('-12.34');
  });

  it('works as a header converter', () => {
    const c = new JsonConverter();
    c.configure({ 'schemas.enable': 'false' });
    const written = c.fromConnectHeader('t', 'h', Schemas.STRING_SCHEMA, 'v');
    expect(text(written)).toBe('"v"');
    expect(c.toConnectHeader('t', 'h', written)).toEqual({ schema: null, value: 'v' });
  });

  it('returns a tombstone for null and reads null bytes as the null pair', () => {
    expect(converter().fromConnectData('t', null, null, null)).toBeNull();
    expect(converter().toConnectData('t', null, null)).toEqual({ schema: null, value: null });
  });

  it('round-trips a struct through its own bytes', () => {
    const schema = SchemaBuilder.struct().name('row').field('id', Schemas.INT64_SCHEMA).field('tags', SchemaBuilder.array(Schemas.STRING_SCHEMA).build()).build();
    const value = new Struct(schema).put('id', 9007199254740993n).put('tags', ['a', 'b']);
    const c = converter();
    const read = c.toConnectData('t', null, c.fromConnectData('t', null, schema, value));
    expect(read.schema!.equals(schema)).toBe(true);
    expect((read.value as Struct).equals(value)).toBe(true);
  });

  it('exposes the schema translation both ways', () => {
    const c = converter();
    const schema = SchemaBuilder.map(Schemas.INT32_SCHEMA, Schemas.OPTIONAL_STRING_SCHEMA).doc('d').build();
    const json = c.asJsonSchema(schema)!;
    expect(json).toBe('{"type":"map","keys":{"type":"int32","optional":false},"values":{"type":"string","optional":true},"optional":false,"doc":"d"}');
    expect(c.asConnectSchema(json)!.equals(schema)).toBe(true);
    expect(c.asConnectSchema('null')).toBeNull();
  });

  it('reuses schemas it has read (schemas.cache.size) and still reads every message', () => {
    const c = converter();
    const message = '{"schema":{"type":"struct","fields":[{"field":"a","type":"int32"}]},"payload":{"a":1}}';
    const first = c.toConnectData('t', null, bytes(message));
    const second = c.toConnectData('t', null, bytes(message.replace('"a":1}}', '"a":2}}')));
    expect(second.schema).toBe(first.schema);
    expect((second.value as Struct).get('a')).toBe(2);
    // Without a cache, alternating schemas are each read afresh, and correctly.
    const uncached = converter({ 'schemas.cache.size': '0' });
    const other = '{"schema":{"type":"string"},"payload":"x"}';
    for (const m of [message, other, message, other]) {
      const read = uncached.toConnectData('t', null, bytes(m));
      expect(read.schema!.equals(m === other ? Schemas.STRING_SCHEMA : first.schema)).toBe(true);
    }
  });

  it('uses schema.content for every message when set', () => {
    const c = converter({ 'schema.content': '{"type":"int64"}' });
    expect(c.toConnectData('t', null, bytes('12'))).toEqual({ schema: Schemas.INT64_SCHEMA, value: 12n });
  });

  it('rejects bad configuration', () => {
    expect(() => converter({ 'decimal.format': 'TEXT' })).toThrow(expect.objectContaining({ name: 'ConfigException', key: 'decimal.format' }));
    expect(() => converter({ 'schema.content': '{' })).toThrow('Failed to parse schema in converter config due to serialization error: ');
  });
});
