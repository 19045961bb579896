/** validateValue: ConnectSchema.validateValue's rules and messages over JavaScript carriers. */
import { describe, expect, it } from 'vitest';
import { ConnectDate, Decimal, DecimalValue } from '../../../src/data/logical.js';
import { SchemaBuilder } from '../../../src/data/schema-builder.js';
import { Schemas } from '../../../src/data/schemas.js';
import { Struct } from '../../../src/data/struct.js';
import { javaClassOf, validateValue } from '../../../src/data/validate.js';

describe('validateValue', () => {
  it('accepts each type\'s carrier', () => {
    expect(() => validateValue(Schemas.INT8_SCHEMA, -128)).not.toThrow();
    expect(() => validateValue(Schemas.INT64_SCHEMA, 2n ** 63n - 1n)).not.toThrow();
    expect(() => validateValue(Schemas.INT64_SCHEMA, 5)).not.toThrow();
    expect(() => validateValue(Schemas.FLOAT32_SCHEMA, 0.1)).not.toThrow();
    expect(() => validateValue(Schemas.BYTES_SCHEMA, Buffer.from('x'))).not.toThrow();
    expect(() => validateValue(Decimal.schema(2), DecimalValue.parse('1.23'))).not.toThrow();
    expect(() => validateValue(ConnectDate.SCHEMA, new Date(0))).not.toThrow();
    expect(() => validateValue(SchemaBuilder.map(Schemas.STRING_SCHEMA, Schemas.INT32_SCHEMA).build(), new Map([['a', 1]]))).not.toThrow();
  });

  it('rejects with Java\'s messages', () => {
    expect(() => validateValue(Schemas.INT8_SCHEMA, 128)).toThrow('Invalid Java object for schema with type INT8: class java.lang.Integer for value');
    expect(() => validateValue(Schemas.INT32_SCHEMA, 1.5)).toThrow('Invalid Java object for schema with type INT32: class java.lang.Double for value');
    expect(() => validateValue(Schemas.INT64_SCHEMA, 2n ** 63n)).toThrow('with type INT64: class java.math.BigInteger');
    expect(() => validateValue(Decimal.schema(2), 1)).toThrow(
      'Invalid Java object for schema "org.apache.kafka.connect.data.Decimal" with type BYTES: class java.lang.Integer for value',
    );
    expect(() => validateValue(Schemas.STRING_SCHEMA, null, 'f')).toThrow('Invalid value: null used for required field: "f", schema type: STRING');
    expect(() => validateValue(SchemaBuilder.map(Schemas.STRING_SCHEMA, Schemas.INT32_SCHEMA).build(), new Map([[1, 1]]))).toThrow(
      'Invalid Java object for schema with type STRING: class java.lang.Integer for key of map value',
    );
    const s1 = SchemaBuilder.struct().field('a', Schemas.INT8_SCHEMA).build();
    const s2 = SchemaBuilder.struct().field('b', Schemas.INT8_SCHEMA).build();
    expect(() => validateValue(s1, new Struct(s2))).toThrow('Struct schemas do not match.');
  });

  it('names the Java class of each carrier', () => {
    expect([1, 2 ** 40, 1.5, -0, 'x', true, 1n, new Uint8Array(), [], new Map(), new Date(0), DecimalValue.parse('1')].map(javaClassOf)).toEqual([
      'class java.lang.Integer', 'class java.lang.Long', 'class java.lang.Double', 'class java.lang.Double', 'class java.lang.String',
      'class java.lang.Boolean', 'class java.lang.Long', 'class [B', 'class java.util.ArrayList', 'class java.util.LinkedHashMap',
      'class java.util.Date', 'class java.math.BigDecimal',
    ]);
  });
});
