/** Struct: put validates, get falls back to defaults, validate() checks required fields (Struct.java). */
import { describe, expect, it } from 'vitest';
import { SchemaBuilder } from '../../../src/data/schema-builder.js';
import { Schemas } from '../../../src/data/schemas.js';
import { Struct } from '../../../src/data/struct.js';

const schema = SchemaBuilder.struct()
  .field('id', Schemas.INT64_SCHEMA)
  .field('name', SchemaBuilder.string().optional().defaultValue('anon').build())
  .field('tags', SchemaBuilder.array(Schemas.STRING_SCHEMA).optional().build())
  .field('score', SchemaBuilder.float64().defaultValue(0.5).build())
  .build();

describe('Struct', () => {
  it('gets by name or Field, with the default for null', () => {
    const s = new Struct(schema).put('id', 7n);
    expect(s.get('id')).toBe(7n);
    expect(s.get(schema.field('name')!)).toBe('anon');
    expect(s.getWithoutDefault('name')).toBeNull();
    expect(s.get('tags')).toBeNull();
    expect(s.getString('name')).toBeNull(); // typed getters do not apply defaults, as in Java
    expect(s.getInt64('id')).toBe(7n);
  });

  it('validates on put', () => {
    const s = new Struct(schema);
    expect(() => s.put('id', 'x')).toThrow(
      expect.objectContaining({ name: 'DataException', message: 'Invalid Java object for schema with type INT64: class java.lang.String for field: "id"' }),
    );
    expect(() => s.put('id', null)).toThrow('Invalid value: null used for required field: "id", schema type: INT64');
    expect(() => s.put('tags', ['a', 1])).toThrow(
      'Invalid Java object for schema with type STRING: class java.lang.Integer for element of array field: "tags"',
    );
    expect(() => s.put('nope', 1)).toThrow('nope is not a valid field name');
    expect(() => s.getInt32('id')).toThrow("Field 'id' is not of type INT32");
  });

  it('validate() accepts null only for optional fields or fields with a default', () => {
    const s = new Struct(schema);
    expect(() => s.validate()).toThrow('Invalid value: null used for required field: "id", schema type: INT64');
    s.put('id', 1n);
    expect(() => s.validate()).not.toThrow();
  });

  it('compares by schema and values, and prints the set fields', () => {
    const a = new Struct(schema).put('id', 1n).put('tags', ['x']);
    const b = new Struct(schema).put('id', 1n).put('tags', ['x']);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(new Struct(schema).put('id', 2n))).toBe(false);
    expect(a.toString()).toBe('Struct{id=1,tags=[x]}');
  });

  it('prints floating-point fields as Java does (Double/Float.toString), nested ones too', () => {
    const floats = SchemaBuilder.struct()
      .field('d', Schemas.FLOAT64_SCHEMA)
      .field('f', Schemas.FLOAT32_SCHEMA)
      .field('big', Schemas.FLOAT64_SCHEMA)
      .field('list', SchemaBuilder.array(Schemas.FLOAT64_SCHEMA).build())
      .field('byName', SchemaBuilder.map(Schemas.STRING_SCHEMA, Schemas.FLOAT64_SCHEMA).build())
      .field('n', Schemas.INT32_SCHEMA)
      .build();
    const s = new Struct(floats).put('d', 1).put('f', 0.1).put('big', 1e7).put('list', [2, -0.5]).put('byName', new Map([['a', 3]])).put('n', 4);
    expect(s.toString()).toBe('Struct{d=1.0,f=0.1,big=1.0E7,list=[2.0, -0.5],byName={a=3.0},n=4}');
  });

  it('needs a STRUCT schema', () => {
    expect(() => new Struct(Schemas.INT8_SCHEMA)).toThrow('Not a struct schema: Schema{INT8}');
  });
});
