/** ByteArrayConverter: bytes pass through (ByteArrayConverter.java). */
import { describe, expect, it } from 'vitest';
import { ByteArrayConverter } from '../../../src/converters/bytearray.js';
import { Schemas } from '../../../src/data/schemas.js';

describe('ByteArrayConverter', () => {
  const c = new ByteArrayConverter();

  it('passes bytes through both ways', () => {
    const bytes = new Uint8Array([0, 1, 255]);
    expect(c.fromConnectData('t', null, Schemas.BYTES_SCHEMA, bytes)).toBe(bytes);
    expect(c.fromConnectData('t', null, null, null)).toBeNull();
    expect(c.toConnectData('t', null, bytes)).toEqual({ schema: Schemas.OPTIONAL_BYTES_SCHEMA, value: bytes });
    expect(c.toConnectHeader('t', 'h', null)).toEqual({ schema: Schemas.OPTIONAL_BYTES_SCHEMA, value: null });
  });

  it('rejects other schemas and values, as Java does', () => {
    expect(() => c.fromConnectData('t', null, Schemas.STRING_SCHEMA, 'x')).toThrow(
      expect.objectContaining({ name: 'DataException', message: 'Invalid schema type for ByteArrayConverter: STRING' }),
    );
    expect(() => c.fromConnectData('t', null, null, 'x')).toThrow('ByteArrayConverter is not compatible with objects of type class java.lang.String');
  });
});
