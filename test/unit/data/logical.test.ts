/** Decimal, Date, Time, Timestamp: Java's conversions and checks; DecimalValue as BigDecimal. */
import { describe, expect, it } from 'vitest';
import { ConnectDate, ConnectTime, ConnectTimestamp, Decimal, DecimalValue } from '../../../src/data/logical.js';
import { Type } from '../../../src/data/schema.js';

describe('DecimalValue', () => {
  it('parses like new BigDecimal(String) and prints like toString()', () => {
    const cases: [string, bigint, number, string][] = [
      ['12.34', 1234n, 2, '12.34'], ['-0.00', 0n, 2, '0.00'], ['1E+21', 1n, -21, '1E+21'], ['1e-10', 1n, 10, '1E-10'],
      ['0.0000012345', 12345n, 10, '0.0000012345'], ['0.00000012345', 12345n, 11, '1.2345E-7'], ['1.23E+4', 123n, -2, '1.23E+4'], ['+5', 5n, 0, '5'], ['.5', 5n, 1, '0.5'],
    ];
    for (const [text, unscaled, scale, printed] of cases) {
      const d = DecimalValue.parse(text);
      expect([d.unscaled, d.scale, d.toString()]).toEqual([unscaled, scale, printed]);
    }
    expect(DecimalValue.parse('1E+3').toPlainString()).toBe('1000');
    expect(() => DecimalValue.parse('1.2.3')).toThrow();
    expect(() => DecimalValue.parse('e5')).toThrow();
  });

  it('equals like BigDecimal (scale matters), compareTo by value', () => {
    expect(DecimalValue.parse('1.5').equals(DecimalValue.parse('1.50'))).toBe(false);
    expect(DecimalValue.parse('1.5').compareTo(DecimalValue.parse('1.50'))).toBe(0);
    expect(DecimalValue.parse('-2').compareTo(DecimalValue.parse('1e-9'))).toBe(-1);
  });
});

describe('Decimal', () => {
  it('is BYTES with a scale parameter and two\'s complement unscaled bytes', () => {
    const schema = Decimal.schema(2);
    expect([schema.type, schema.name, schema.version, schema.parameters]).toEqual([Type.BYTES, Decimal.LOGICAL_NAME, 1, { scale: '2' }]);
    const bytes = (text: string) => [...Decimal.fromLogical(schema, DecimalValue.parse(text))];
    expect(bytes('1.27')).toEqual([0x7f]);
    expect(bytes('1.28')).toEqual([0x00, 0x80]);
    expect(bytes('-1.28')).toEqual([0x80]);
    expect(bytes('-1.29')).toEqual([0xff, 0x7f]);
    expect(bytes('0.00')).toEqual([0x00]);
    expect(Decimal.toLogical(schema, new Uint8Array([0xff, 0x7f])).toString()).toBe('-1.29');
  });

  it('checks the scale', () => {
    expect(() => Decimal.fromLogical(Decimal.schema(2), DecimalValue.parse('1.5'))).toThrow(
      'Decimal value has mismatching scale for given Decimal schema. Schema has scale 2, value has scale 1.',
    );
    expect(() => Decimal.toLogical(Decimal.schema(2), new Uint8Array())).toThrow('Zero length BigInteger');
  });
});

describe('ConnectDate, ConnectTime, ConnectTimestamp', () => {
  it('convert to and from their integers', () => {
    expect(ConnectDate.fromLogical(ConnectDate.SCHEMA, new Date(Date.UTC(2024, 0, 31)))).toBe(19753);
    expect(ConnectDate.toLogical(ConnectDate.SCHEMA, -1).toISOString()).toBe('1969-12-31T00:00:00.000Z');
    expect(ConnectTime.fromLogical(ConnectTime.SCHEMA, new Date(43200000))).toBe(43200000);
    expect(ConnectTimestamp.fromLogical(ConnectTimestamp.SCHEMA, new Date(1700000000123))).toBe(1700000000123);
    expect(ConnectTimestamp.toLogical(ConnectTimestamp.SCHEMA, 1700000000123n).getTime()).toBe(1700000000123);
  });

  it('reject what Java rejects', () => {
    expect(() => ConnectDate.fromLogical(ConnectDate.SCHEMA, new Date(1000))).toThrow(
      'Kafka Connect Date type should not have any time fields set to non-zero values.',
    );
    expect(() => ConnectTime.fromLogical(ConnectTime.SCHEMA, new Date(86400001))).toThrow(
      'Kafka Connect Time type should not have any date fields set to non-zero values.',
    );
    expect(() => ConnectTime.toLogical(ConnectTime.SCHEMA, -1)).toThrow(
      'Time values must use number of milliseconds greater than 0 and less than 86400000',
    );
    expect(() => ConnectDate.fromLogical(ConnectTime.SCHEMA, new Date(0))).toThrow('Requested conversion of Date object but the schema does not match.');
  });

  it('fail where a JavaScript Date cannot follow java.util.Date', () => {
    expect(() => ConnectTimestamp.toLogical(ConnectTimestamp.SCHEMA, 2n ** 62n)).toThrow('outside the range of a JavaScript Date');
  });
});
