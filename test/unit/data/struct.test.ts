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

  it('needs a STRUCT schema', () => {
    expect(() => new Struct(Schemas.INT8_SCHEMA)).toThrow('Not a struct schema: Schema{INT8}');
  });
});
