/** SchemaBuilder: Java's rules and messages (connect/api SchemaBuilder.java). */
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/data/logical.js';
import { Type } from '../../../src/data/schema.js';
import { SchemaBuilder } from '../../../src/data/schema-builder.js';
import { Schemas } from '../../../src/data/schemas.js';
import { Struct } from '../../../src/data/struct.js';

describe('SchemaBuilder', () => {
  it('builds every attribute', () => {
    const schema = SchemaBuilder.int32().optional().name('com.example.Id').version(3).doc('an id')
      .parameter('b', '2').parameter('a', '1').defaultValue(42).build();
    expect(schema.type).toBe(Type.INT32);
    expect(schema.optional).toBe(true);
    expect([schema.name, schema.version, schema.doc, schema.defaultValue]).toEqual(['com.example.Id', 3, 'an id', 42]);
    expect(Object.entries(schema.parameters!)).toEqual([['b', '2'], ['a', '1']]);
  });

  it('reads back what was set, Java style', () => {
    const b = SchemaBuilder.string().name('n');
    expect(b.name()).toBe('n');
    expect(b.version()).toBeNull();
    expect(b.parameters()).toBeNull();
    expect(b.parameters({}).parameters()).toBeNull();
    expect(b.parameters({ k: 'v' }).parameters()).toEqual({ k: 'v' });
    expect(b.isOptional()).toBe(false);
  });

  it('builds structs, arrays and maps', () => {
    const struct = SchemaBuilder.struct().field('a', Schemas.INT8_SCHEMA).field('b', SchemaBuilder.array(Schemas.STRING_SCHEMA).build()).build();
    expect(struct.fields().map((f) => [f.name, f.index, f.schema.type])).toEqual([['a', 0, Type.INT8], ['b', 1, Type.ARRAY]]);
    const map = SchemaBuilder.map(Schemas.STRING_SCHEMA, struct).build();
    expect(map.keySchema).toBe(Schemas.STRING_SCHEMA);
    expect(map.valueSchema).toBe(struct);
    expect(SchemaBuilder.struct().field('a', Schemas.INT8_SCHEMA).build().equals(SchemaBuilder.struct().field('a', Schemas.INT8_SCHEMA).build())).toBe(true);
  });

  it('lets each attribute be set once', () => {
    expect(() => SchemaBuilder.int8().name('a').name('b')).toThrow('Invalid SchemaBuilder call: name has already been set.');
    expect(() => SchemaBuilder.int8().optional().required()).toThrow('Invalid SchemaBuilder call: optional has already been set.');
    expect(() => SchemaBuilder.int8().version(1).version(2)).toThrow('Invalid SchemaBuilder call: version has already been set.');
    expect(() => SchemaBuilder.int8().name('a').name('a')).not.toThrow();
  });

  it('rejects bad fields and element schemas', () => {
    expect(() => SchemaBuilder.int8().field('a', Schemas.INT8_SCHEMA)).toThrow('Cannot create fields on type INT8');
    expect(() => SchemaBuilder.struct().field('', Schemas.INT8_SCHEMA)).toThrow('fieldName cannot be null.');
    expect(() => SchemaBuilder.struct().field('a', Schemas.INT8_SCHEMA).field('a', Schemas.INT8_SCHEMA)).toThrow(
      'Cannot create field because of field name duplication a',
    );
    expect(() => SchemaBuilder.array(null as never)).toThrow(expect.objectContaining({ name: 'SchemaBuilderException', message: 'valueSchema cannot be null.' }));
    expect(() => SchemaBuilder.map(null as never, Schemas.INT8_SCHEMA)).toThrow('keySchema cannot be null.');
    expect(() => SchemaBuilder.int8().fields()).toThrow('Cannot list fields on non-struct type');
  });

  it('validates the default value', () => {
    expect(() => SchemaBuilder.int32().defaultValue('x')).toThrow(
      expect.objectContaining({
        name: 'SchemaBuilderException',
        message: 'Invalid default value',
        cause: expect.objectContaining({ message: 'Invalid Java object for schema with type INT32: class java.lang.String for value' }),
      }),
    );
    expect(() => SchemaBuilder.int8().defaultValue(300)).toThrow('Invalid default value');
    expect(() => SchemaBuilder.int32().defaultValue(null)).toThrow('Invalid default value');
    expect(SchemaBuilder.int32().optional().defaultValue(null).build().defaultValue).toBeNull();
    expect(() => Decimal.builder(2).defaultValue(5)).toThrow('Invalid default value');
  });

  it('refuses a Struct default, as Java does (it compares the Struct schema with the builder)', () => {
    const b = SchemaBuilder.struct().field('a', Schemas.INT32_SCHEMA);
    const value = new Struct(b.build()).put('a', 1);
    expect(() => b.defaultValue(value)).toThrow(
      expect.objectContaining({ message: 'Invalid default value', cause: expect.objectContaining({ message: 'Struct schemas do not match.' }) }),
    );
  });
});
