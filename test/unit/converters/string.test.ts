/** StringConverter: text in a charset, OPTIONAL_STRING on the way in (StringConverter.java). */
import { describe, expect, it } from 'vitest';
import { StringConverter } from '../../../src/converters/string.js';
import { Schemas } from '../../../src/data/schemas.js';

function converter(configs: Record<string, string> = {}): StringConverter {
  const c = new StringConverter();
  c.configure(configs, false);
  return c;
}

describe('StringConverter', () => {
  it('writes UTF-8 by default and reads an optional string', () => {
    const c = converter();
    expect([...c.fromConnectData('t', null, null, 'h\u00e9')!]).toEqual([0x68, 0xc3, 0xa9]);
    expect(c.toConnectData('t', null, Buffer.from('h\u00e9'))).toEqual({ schema: Schemas.OPTIONAL_STRING_SCHEMA, value: 'h\u00e9' });
    expect(c.toConnectData('t', null, null)).toEqual({ schema: Schemas.OPTIONAL_STRING_SCHEMA, value: null });
    expect(c.fromConnectData('t', null, null, null)).toBeNull();
  });

  it('writes any value as its string form', () => {
    expect(Buffer.from(converter().fromConnectData('t', null, Schemas.INT64_SCHEMA, 12n)!).toString()).toBe('12');
  });

  it('honours converter.encoding with Java charset names', () => {
    expect([...converter({ 'converter.encoding': 'ISO-8859-1' }).fromConnectData('t', null, null, '\u00e9\u20ac')!]).toEqual([0xe9, 0x3f]);
    expect([...converter({ 'converter.encoding': 'UTF-16' }).fromConnectData('t', null, null, 'a')!]).toEqual([0xfe, 0xff, 0x00, 0x61]);
    expect(converter({ 'converter.encoding': 'utf-16be' }).toConnectData('t', null, new Uint8Array([0x00, 0x61])).value).toBe('a');
    expect(() => converter({ 'converter.encoding': 'EBCDIC-XYZ' })).toThrow(expect.objectContaining({ name: 'ConfigException', key: 'converter.encoding' }));
  });

  it('is a header converter too', () => {
    const c = new StringConverter();
    c.configure({});
    expect(c.toConnectHeader('t', 'k', c.fromConnectHeader('t', 'k', null, 'v')).value).toBe('v');
  });
});
