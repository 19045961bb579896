/**
 * Kafka Connect's primitive converters (IntegerConverter, LongConverter, ShortConverter,
 * FloatConverter, DoubleConverter, BooleanConverter): the byte layout, the schema of every read,
 * null handling, the error messages, the header-converter role and registration. Parity with
 * Kafka's own classes, byte for byte and message for message, is in
 * test/compat/number-converters.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Converter, HeaderConverter } from '../../../src/api/converter.js';
import { BooleanConverter } from '../../../src/converters/number/boolean-converter.js';
import {
  DoubleConverter, FloatConverter, IntegerConverter, LongConverter, ShortConverter,
} from '../../../src/converters/number/number-converters.js';
import { registerBuiltins } from '../../../src/plugins/builtins.js';
import { Type } from '../../../src/data/schema.js';
import { Schemas } from '../../../src/data/schemas.js';

const hex = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString('hex'));
const bytes = (h: string) => Buffer.from(h, 'hex');

function valueConverter<C extends Converter>(c: C, isKey = false): C {
  c.configure({}, isKey);
  return c;
}

describe('number converters: bytes', () => {
  it('write big-endian two\'s complement integers of the type\'s width', () => {
    expect(hex(valueConverter(new ShortConverter()).fromConnectData('t', null, null, -2))).toBe('fffe');
    expect(hex(valueConverter(new IntegerConverter()).fromConnectData('t', null, null, 0x01020304))).toBe('01020304');
    expect(hex(valueConverter(new IntegerConverter()).fromConnectData('t', null, null, -1))).toBe('ffffffff');
    expect(hex(valueConverter(new LongConverter()).fromConnectData('t', null, null, 0x0102030405060708n))).toBe('0102030405060708');
    expect(hex(valueConverter(new LongConverter()).fromConnectData('t', null, null, -(2n ** 63n)))).toBe('8000000000000000');
  });

  it('write IEEE 754 floats and doubles, big-endian', () => {
    expect(hex(valueConverter(new FloatConverter()).fromConnectData('t', null, null, 1.5))).toBe('3fc00000');
    expect(hex(valueConverter(new FloatConverter()).fromConnectData('t', null, null, Number.NaN))).toBe('7fc00000');
    expect(hex(valueConverter(new DoubleConverter()).fromConnectData('t', null, null, 1.5))).toBe('3ff8000000000000');
    expect(hex(valueConverter(new DoubleConverter()).fromConnectData('t', null, null, -0))).toBe('8000000000000000');
  });

  it('read back with the OPTIONAL schema of the type, INT64 as an exact bigint', () => {
    expect(valueConverter(new ShortConverter()).toConnectData('t', null, bytes('8000'))).toEqual({ schema: Schemas.OPTIONAL_INT16_SCHEMA, value: -32768 });
    expect(valueConverter(new IntegerConverter()).toConnectData('t', null, bytes('7fffffff'))).toEqual({ schema: Schemas.OPTIONAL_INT32_SCHEMA, value: 2147483647 });
    expect(valueConverter(new LongConverter()).toConnectData('t', null, bytes('0020000000000001'))).toEqual({
      schema: Schemas.OPTIONAL_INT64_SCHEMA,
      value: 9007199254740993n,
    });
    expect(valueConverter(new FloatConverter()).toConnectData('t', null, bytes('3dcccccd'))).toEqual({
      schema: Schemas.OPTIONAL_FLOAT32_SCHEMA,
      value: Math.fround(0.1),
    });
    expect(valueConverter(new DoubleConverter()).toConnectData('t', null, bytes('7ff0000000000000'))).toEqual({
      schema: Schemas.OPTIONAL_FLOAT64_SCHEMA,
      value: Number.POSITIVE_INFINITY,
    });
  });

  it('read from a view into a larger buffer (a batch frame) without looking outside it', () => {
    const frame = bytes('ff000000000000002aff');
    expect(valueConverter(new LongConverter()).toConnectData('t', null, frame.subarray(1, 9)).value).toBe(42n);
  });

  it('turn null into null bytes (a tombstone) and null bytes into a null value with the schema', () => {
    for (const c of [new ShortConverter(), new IntegerConverter(), new LongConverter(), new FloatConverter(), new DoubleConverter(), new BooleanConverter()]) {
      valueConverter(c);
      expect(c.fromConnectData('t', null, null, null)).toBeNull();
      const read = c.toConnectData('t', null, null);
      expect(read.value).toBeNull();
      expect(read.schema?.optional).toBe(true);
    }
  });

  it('ignore the schema given with a number, as Kafka does', () => {
    expect(hex(valueConverter(new IntegerConverter()).fromConnectData('t', null, Schemas.STRING_SCHEMA, 7))).toBe('00000007');
  });
});

describe('number converters: which JavaScript values fit', () => {
  it('accept any integral number in range for Short/Integer/Long (JavaScript has one number type)', () => {
    // Java would want a Short or a Long object here; sluice writes the number when it fits.
    expect(hex(valueConverter(new ShortConverter()).fromConnectData('t', null, null, 5))).toBe('0005');
    expect(hex(valueConverter(new LongConverter()).fromConnectData('t', null, null, 5))).toBe('0000000000000005');
    expect(hex(valueConverter(new LongConverter()).fromConnectData('t', null, null, -(2 ** 53)))).toBe('ffe0000000000000');
  });

  it('round a number to the nearest float for FloatConverter, but refuse one beyond float range', () => {
    expect(hex(valueConverter(new FloatConverter()).fromConnectData('t', null, null, 16777217))).toBe('4b800000');
    expect(() => valueConverter(new FloatConverter()).fromConnectData('t', null, null, 1e300)).toThrow(
      'Failed to serialize to float (was class java.lang.Double): class java.lang.Double cannot be cast to class java.lang.Float',
    );
  });

  it('name the Java class Kafka would have seen for a value of the wrong kind', () => {
    const int = valueConverter(new IntegerConverter());
    expect(() => int.fromConnectData('t', null, null, 'x')).toThrow('Failed to serialize to integer (was class java.lang.String): ');
    expect(() => int.fromConnectData('t', null, null, 0.5)).toThrow('Failed to serialize to integer (was class java.lang.Double): ');
    expect(() => int.fromConnectData('t', null, null, 2 ** 40)).toThrow('Failed to serialize to integer (was class java.lang.Long): ');
    expect(() => int.fromConnectData('t', null, null, 5n)).toThrow('Failed to serialize to integer (was class java.lang.Long): ');
    expect(() => valueConverter(new ShortConverter()).fromConnectData('t', null, null, 40000)).toThrow(
      'Failed to serialize to short (was class java.lang.Integer): class java.lang.Integer cannot be cast to class java.lang.Short',
    );
    expect(() => valueConverter(new LongConverter()).fromConnectData('t', null, null, 2n ** 63n)).toThrow(
      'Failed to serialize to long (was class java.math.BigInteger): ',
    );
    expect(() => valueConverter(new DoubleConverter()).fromConnectData('t', null, null, true)).toThrow(
      'Failed to serialize to double (was class java.lang.Boolean): ',
    );
  });

  it('throw a DataException whose cause is the ClassCastException', () => {
    let error: Error | undefined;
    try {
      valueConverter(new LongConverter()).fromConnectData('t', null, null, 'seven');
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe('DataException');
    expect((error?.cause as Error).name).toBe('ClassCastException');
  });
});

describe('number converters: reading bytes of the wrong size', () => {
  const cases: [Converter, string, string][] = [
    [new ShortConverter(), '000000', 'Failed to deserialize short: Size of data received by ShortDeserializer is not 2'],
    [new IntegerConverter(), '', 'Failed to deserialize integer: Size of data received by IntegerDeserializer is not 4'],
    [new LongConverter(), '00000000', 'Failed to deserialize long: Size of data received by LongDeserializer is not 8'],
    // Kafka's FloatDeserializer and DoubleDeserializer say only "Deserializer" here.
    [new FloatConverter(), '3fc0', 'Failed to deserialize float: Size of data received by Deserializer is not 4'],
    [new DoubleConverter(), '3ff80000', 'Failed to deserialize double: Size of data received by Deserializer is not 8'],
    [new BooleanConverter(), '0101', 'Failed to deserialize boolean: Size of data received by BooleanDeserializer is not 1'],
  ];
  for (const [converter, input, message] of cases) {
    it(`${converter.constructor.name} rejects ${input.length / 2} bytes: "${message}"`, () => {
      valueConverter(converter);
      let error: Error | undefined;
      try {
        converter.toConnectData('t', null, bytes(input));
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message).toBe(message);
      expect(error?.name).toBe('DataException');
      expect((error?.cause as Error).name).toBe('SerializationException');
    });
  }
});

describe('BooleanConverter', () => {
  const c = valueConverter(new BooleanConverter());

  it('writes 0x01 and 0x00 and reads them back as OPTIONAL_BOOLEAN', () => {
    expect(hex(c.fromConnectData('t', null, Schemas.BOOLEAN_SCHEMA, true))).toBe('01');
    expect(hex(c.fromConnectData('t', null, null, false))).toBe('00');
    expect(c.toConnectData('t', null, bytes('01'))).toEqual({ schema: Schemas.OPTIONAL_BOOLEAN_SCHEMA, value: true });
    expect(c.toConnectData('t', null, bytes('00')).value).toBe(false);
  });

  it('rejects any other byte, printed signed as Java prints it', () => {
    expect(() => c.toConnectData('t', null, bytes('02'))).toThrow('Failed to deserialize boolean: Unexpected byte received by BooleanDeserializer: 2');
    expect(() => c.toConnectData('t', null, bytes('ff'))).toThrow('Failed to deserialize boolean: Unexpected byte received by BooleanDeserializer: -1');
  });

  it('checks the schema before the value, null values included', () => {
    expect(() => c.fromConnectData('t', null, Schemas.INT32_SCHEMA, true)).toThrow('Invalid schema type for BooleanConverter: INT32');
    expect(() => c.fromConnectData('t', null, Schemas.OPTIONAL_STRING_SCHEMA, null)).toThrow('Invalid schema type for BooleanConverter: STRING');
    expect(() => c.fromConnectData('t', null, null, 1)).toThrow('BooleanConverter is not compatible with objects of type class java.lang.Integer');
  });
});

describe('number converters: configuration and roles', () => {
  it('define converter.type only, and validate it', () => {
    const c = new IntegerConverter();
    expect(c.config().names()).toEqual(['converter.type']);
    expect(() => c.configure({ 'converter.type': 'sideways' })).toThrow(/converter\.type/);
    expect(() => new BooleanConverter().configure({ 'converter.type': 'sideways' })).toThrow(/converter\.type/);
  });

  it('serve as header converters, ignoring the header key', () => {
    const h: HeaderConverter = new LongConverter();
    h.configure({});
    const written = h.fromConnectHeader('t', 'seq', null, 42n);
    expect(hex(written)).toBe('000000000000002a');
    expect(h.toConnectHeader('t', 'other', written)).toEqual({ schema: Schemas.OPTIONAL_INT64_SCHEMA, value: 42n });
    expect(() => h.toConnectHeader('t', 'seq', bytes('2a'))).toThrow('Size of data received by LongDeserializer is not 8');
  });

  it('are registered under Kafka\'s class names as converters and header converters', () => {
    const registry = registerBuiltins();
    const expected: [string, Type][] = [
      ['IntegerConverter', Type.INT32], ['LongConverter', Type.INT64], ['ShortConverter', Type.INT16],
      ['FloatConverter', Type.FLOAT32], ['DoubleConverter', Type.FLOAT64], ['BooleanConverter', Type.BOOLEAN],
    ];
    for (const [name, type] of expected) {
      const className = `org.apache.kafka.connect.converters.${name}`;
      const converter = registry.newConverter(className);
      converter.configure({}, false);
      expect(converter.toConnectData('t', null, null).schema?.type).toBe(type);
      expect(registry.converter(name).className).toBe(className);
      const header = registry.headerConverter(className).create();
      header.configure({});
      expect(header.toConnectHeader('t', 'h', null).schema?.type).toBe(type);
    }
  });
});
