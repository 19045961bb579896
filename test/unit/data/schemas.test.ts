/** The primitive schema constants (Schema.X_SCHEMA in Java). */
import { expect, it } from 'vitest';
import { Type } from '../../../src/data/schema.js';
import { Schemas } from '../../../src/data/schemas.js';

it('has a required and an optional schema for every primitive type', () => {
  for (const type of [Type.INT8, Type.INT16, Type.INT32, Type.INT64, Type.FLOAT32, Type.FLOAT64, Type.BOOLEAN, Type.STRING, Type.BYTES]) {
    const required = Schemas[`${type}_SCHEMA` as keyof typeof Schemas];
    const optional = Schemas[`OPTIONAL_${type}_SCHEMA` as keyof typeof Schemas];
    expect([required.type, required.optional, required.name, required.defaultValue]).toEqual([type, false, null, null]);
    expect([optional.type, optional.optional]).toEqual([type, true]);
  }
  expect(Object.isFrozen(Schemas)).toBe(true);
});
