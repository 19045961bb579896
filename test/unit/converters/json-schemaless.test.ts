/**
 * JsonConverter without schemas reads a message in one pass, making Connect values as it parses
 * (and caches short member names). It must give exactly what converting the parsed tree gives:
 * the same tree read from an envelope with a null schema takes that second path, so the two are
 * compared on values chosen for their edges.
 */
import { describe, expect, it } from 'vitest';
import { JsonConverter } from '../../../src/converters/json.js';

function converter(schemas: boolean): JsonConverter {
  const c = new JsonConverter();
  c.configure({ 'schemas.enable': String(schemas) }, false);
  return c;
}

const plain = converter(false);
const envelope = converter(true);

/** Order-sensitive view of a Connect value (maps keep their entry order, numbers their JS type). */
function data(v: unknown): unknown {
  if (v instanceof Map) return { map: [...v].map(([k, x]) => [k, data(x)]) };
  if (Array.isArray(v)) return v.map(data);
  if (typeof v === 'bigint') return { long: String(v) };
  if (typeof v === 'number') return { double: Object.is(v, -0) ? '-0' : String(v) };
  return v;
}

const VALUES = [
  '0', '-0', '7', '-7', '9007199254740991', '9007199254740993', '-9007199254740993', '9223372036854775807', '9223372036854775808',
  '-9223372036854775809', '123456789012345678901234567890', '0012', '-00', '1.5', '-0.0', '0.0', '0e5', '-0e-5', '1e400', '-1e400',
  '1e-400', '-1e-400', '1.0', '100.0', '2.5E-10', '1E+2', '0.1', '12.30', '1e0000000009',
  'true', 'false', 'null', '""', '"abc"', '"\\u00e9\\n\\"\\\\"', '"é😀"', '[]', '[1,2.5,"x",null,[true]]',
  '{}', '{"a":1}', '{"a":1,"a":2}', '{"a":1,"b":{"c":[1,{"d":2}]},"a":{"x":null}}',
  '{"é":1,"\\u0061":2,"a":3}', '{"1":1,"0":0,"b":2}', `{"${'n'.repeat(32)}":1,"${'n'.repeat(33)}":2,"${'n'.repeat(40)}":3}`,
  '{ "id" : 1 , "ts" : 1700000000000 , "user" : "u" , "score" : 12.3 , "tags" : [ "a" ] }',
];

describe('JsonConverter schemas.enable=false reads in one pass', () => {
  for (const text of VALUES) {
    it(`${text.length > 60 ? `${text.slice(0, 60)}…` : text}`, () => {
      const one = plain.toConnectData('t', null, Buffer.from(text));
      const two = envelope.toConnectData('t', null, Buffer.from(`{"schema":null,"payload":${text}}`));
      expect(one.schema).toBeNull();
      expect(data(one.value)).toEqual(data(two.value));
    });
  }

  it('member names from the cache are the same names, whatever was read before', () => {
    // Names whose bytes collide in the cache's slots, read in turns.
    const names = Array.from({ length: 3000 }, (_, i) => `k${i.toString(36)}`);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < names.length; i += 7) {
        const text = `{"${names[i]}":${i},"${names[(i * 13) % names.length]}":true}`;
        const map = plain.toConnectData('t', null, Buffer.from(text)).value as Map<string, unknown>;
        expect([...map.keys()]).toEqual([...new Map([[names[i], 0], [names[(i * 13) % names.length], 0]]).keys()]);
      }
    }
  });

  it('keeps what is not JSON an error, and an empty message null', () => {
    for (const bad of ['{"a":}', '{"a" 1}', '{"a":1', '{"a\\x":1}', '[1,]', '01.', '-', '1e', '{"\u0001":1}', '"\xff"']) {
      expect(() => plain.toConnectData('t', null, Buffer.from(bad, bad === '"\xff"' ? 'latin1' : 'utf8')), bad).toThrow(/Converting byte\[\] to Kafka Connect data failed/);
    }
    expect(plain.toConnectData('t', null, Buffer.from(' \n'))).toEqual({ schema: null, value: null });
  });
});
