/**
 * Values: text rendering and parsing. Expected results were produced by Apache Kafka 4.3.1's
 * org.apache.kafka.connect.data.Values (JVM time zone UTC) for the same inputs.
 */
import { describe, expect, it } from 'vitest';
import { DecimalValue, LOGICAL_DATE, LOGICAL_DECIMAL, LOGICAL_TIME, LOGICAL_TIMESTAMP } from '../../../src/data/logical.js';
import { Type } from '../../../src/data/schema.js';
import { SchemaBuilder } from '../../../src/data/schema-builder.js';
import { Schemas } from '../../../src/data/schemas.js';
import { Struct } from '../../../src/data/struct.js';
import { convertToString, decimalToFloat32, inferSchema, javaDoubleToString, javaFloatToString, parseString } from '../../../src/data/values.js';

describe('javaDoubleToString (Java 19+ Double.toString)', () => {
  it.each([
    [1, '1.0'], [100, '100.0'], [-2.5, '-2.5'], [0, '0.0'], [-0, '-0.0'], [1e7, '1.0E7'], [9999999.999, '9999999.999'],
    [0.001, '0.001'], [9.999e-4, '9.999E-4'], [1e21, '1.0E21'], [1e-7, '1.0E-7'], [1.7976931348623157e308, '1.7976931348623157E308'],
    [5e-324, '4.9E-324'], [2.82879384806159e17, '2.82879384806159E17'], [1e23, '1.0E23'], [8.41e21, '8.41E21'],
    [NaN, 'NaN'], [Infinity, 'Infinity'], [-Infinity, '-Infinity'],
  ])('%s -> %s', (v, expected) => expect(javaDoubleToString(v)).toBe(expected));
});

describe('javaFloatToString (Java 19+ Float.toString)', () => {
  it.each([
    [0.1, '0.1'], [1.5, '1.5'], [3.4028235e38, '3.4028235E38'], [1.4e-45, '1.4E-45'], [16777216, '1.6777216E7'],
    [1e7, '1.0E7'], [0.33333334, '0.33333334'], [1.17549435e-38, '1.1754944E-38'], [8.589973e9, '8.589974E9'], [-0, '-0.0'],
  ])('%s -> %s', (v, expected) => expect(javaFloatToString(v)).toBe(expected));
});

describe('decimalToFloat32', () => {
  it('rounds once, where Math.fround(Number(s)) would round twice', () => {
    // 1 + 2^-24 + 2^-80: just above the midpoint between 1 and the next float, but the nearest
    // double is the midpoint itself, which rounds to even (1.0).
    const text = '1.00000005960464477539062500000000000000000000000000000000000000000000000000000000001';
    expect(Math.fround(Number(text))).toBe(1);
    expect(decimalToFloat32(text)).toBe(Math.fround(1.0000001192092896));
    expect(decimalToFloat32('1.000000059604644775390625')).toBe(1); // the exact midpoint: ties to even
    expect(decimalToFloat32('3.4028236e38')).toBe(Infinity);
    expect(decimalToFloat32('-1e-50')).toBe(-0);
  });
});

describe('convertToString', () => {
  it('renders values as Java does', () => {
    const struct = new Struct(
      SchemaBuilder.struct().field('a', Schemas.INT32_SCHEMA).field('b', SchemaBuilder.string().optional().defaultValue('d').build()).build(),
    ).put('a', 1);
    expect(convertToString(Schemas.FLOAT32_SCHEMA, 1.5)).toBe('1.5');
    expect(convertToString(Schemas.FLOAT32_SCHEMA, Math.fround(0.1))).toBe('0.1');
    expect(convertToString(Schemas.FLOAT64_SCHEMA, 1)).toBe('1.0');
    expect(convertToString(Schemas.FLOAT64_SCHEMA, 1e10)).toBe('1.0E10');
    expect(convertToString(Schemas.INT8_SCHEMA, 5)).toBe('5');
    expect(convertToString(null, 10n)).toBe('10');
    expect(convertToString(null, 'plain')).toBe('plain');
    expect(convertToString(null, new Uint8Array([1, 2, 3]))).toBe('AQID');
    expect(convertToString(null, [1, 'two', null, true])).toBe('[1,"two",null,true]');
    const map = new Map<unknown, unknown>([['k', 1.5], [2, ['x"y', null]]]);
    expect(convertToString(SchemaBuilder.map(Schemas.STRING_SCHEMA, Schemas.FLOAT32_SCHEMA).build(), map)).toBe('{"k":1.5,2:["x\\"y",null]}');
    expect(convertToString(struct.schema, struct)).toBe('{"a":1,"b":"d"}');
    expect(convertToString(null, new Date(0))).toBe('00:00:00.000Z');
    expect(convertToString(null, new Date(86400000 * 3))).toBe('1970-01-04');
    expect(convertToString(null, new Date(86400000 * 3 + 1234))).toBe('1970-01-04T00:00:01.234Z');
    expect(convertToString(null, new Date(-1))).toBe('23:59:59.999Z');
    expect(convertToString(null, DecimalValue.parse('1.50'))).toBe('1.50');
    expect(convertToString(null, null)).toBeNull();
  });
});

describe('parseString', () => {
  const describeSchema = (s: ReturnType<typeof parseString>) => {
    const sc = s?.schema;
    if (!sc) return sc;
    let d = sc.type + (sc.name ? `/${sc.name}` : '');
    if (sc.type === Type.ARRAY && sc.valueSchema) d += `<${sc.valueSchema.type}>`;
    if (sc.type === Type.MAP && sc.keySchema) d += `<${sc.keySchema.type},${sc.valueSchema?.type ?? 'null'}>`;
    return d;
  };

  it.each<[string, string, unknown]>([
    ['true', 'BOOLEAN', true],
    ['12', 'INT8', 12],
    ['300', 'INT16', 300],
    ['70000', 'INT32', 70000],
    ['3000000000', 'INT64', 3000000000n],
    ['1.5', 'FLOAT32', 1.5],
    ['1.1', 'FLOAT32', Math.fround(1.1)],
    ['1.50', 'FLOAT32', 1.5],
    ['1.0', 'INT8', 1],
    ['1e5', 'INT32', 100000],
    ['-129', 'INT16', -129],
    ['+7', 'INT8', 7],
    ['-0', 'INT8', 0],
    ['12345678901234567890', `BYTES/${LOGICAL_DECIMAL}`, DecimalValue.parse('12345678901234567890')],
    ['1e400', `BYTES/${LOGICAL_DECIMAL}`, DecimalValue.parse('1E+400')],
    ['2024-01-31', `INT32/${LOGICAL_DATE}`, new Date(1706659200000)],
    ['2024-13-45', `INT32/${LOGICAL_DATE}`, new Date(1739491200000)],
    ['12:34:56.789Z', `INT32/${LOGICAL_TIME}`, new Date(45296789)],
    ['2024-01-31T12:34:56.789Z', `INT64/${LOGICAL_TIMESTAMP}`, new Date(1706704496789)],
    ['[1,2,3]', 'ARRAY<INT8>', [1, 2, 3]],
    ['[1,2.5]', 'ARRAY<FLOAT32>', [1, 2.5]],
    ['[1,"a"]', 'ARRAY', [1, 'a']],
    ['[]', 'ARRAY', []],
    ['[null]', 'ARRAY', [null]],
    ['[ "  " ]', 'ARRAY<STRING>', ['']],
    ['["a","b"]', 'ARRAY<STRING>', ['a', 'b']],
    ['{"a":1,"b":2}', 'MAP<STRING,INT8>', new Map([['a', 1], ['b', 2]])],
    ['{1:true}', 'MAP<INT8,BOOLEAN>', new Map([[1, true]])],
    ['{"k":null}', 'MAP<STRING,null>', new Map([['k', null]])],
    ['{a:1}', 'STRING', '{a:1}'],
    ['[1,,2]', 'STRING', '[1,,2]'],
    ['[1', 'STRING', '[1'],
    ['true}', 'STRING', 'true}'],
    ['  x ', 'STRING', '  x '],
    ['"quoted"', 'STRING', '"quoted"'],
    ['abc:def', 'STRING', 'abc:def'],
  ])('%s', (input, schema, value) => {
    const parsed = parseString(input);
    expect(describeSchema(parsed)).toBe(schema);
    expect(parsed!.value).toEqual(value);
  });

  it('returns null for "null", the null pair for null and a STRING for ""', () => {
    expect(parseString('null')).toBeNull();
    expect(parseString(null)).toEqual({ schema: null, value: null });
    expect(parseString('')).toEqual({ schema: Schemas.STRING_SCHEMA, value: '' });
  });
});

describe('inferSchema', () => {
  it('infers from the carrier and needs one element type', () => {
    expect(inferSchema('x')).toBe(Schemas.STRING_SCHEMA);
    expect(inferSchema(1)).toBe(Schemas.INT32_SCHEMA);
    expect(inferSchema(2 ** 40)).toBe(Schemas.INT64_SCHEMA);
    expect(inferSchema(1.5)).toBe(Schemas.FLOAT64_SCHEMA);
    expect(inferSchema([1, null])!.equals(SchemaBuilder.array(SchemaBuilder.int32().optional().build()).build())).toBe(true);
    expect(inferSchema([1, 'a'])).toBeNull();
    expect(inferSchema([])).toBeNull();
    expect(inferSchema(new Date())).toBeNull();
  });
});
