import { describe, expect, it } from 'vitest';
import { ProtocolDecodeError, Reader, Writer } from '../../../../src/kafka/protocol/codec.js';

describe('protocol primitives', () => {
  it('writes unsigned varints as 7-bit groups, low first', () => {
    expect(new Writer().unsignedVarint(0).build().toString('hex')).toBe('00');
    expect(new Writer().unsignedVarint(127).build().toString('hex')).toBe('7f');
    expect(new Writer().unsignedVarint(128).build().toString('hex')).toBe('8001');
    expect(new Writer().unsignedVarint(300).build().toString('hex')).toBe('ac02');
    expect(new Writer().unsignedVarint(0xffffffff).build().toString('hex')).toBe('ffffffff0f');
    for (const n of [0, 1, 127, 128, 16383, 16384, 2 ** 31 - 1, 0xffffffff]) {
      expect(new Reader(new Writer().unsignedVarint(n).build()).unsignedVarint()).toBe(n);
    }
  });

  it('writes compact strings and bytes with length + 1, null as 0', () => {
    expect(new Writer().compactString('ab').build().toString('hex')).toBe('036162');
    expect(new Writer().compactString(null).build().toString('hex')).toBe('00');
    expect(new Writer().compactString('').build().toString('hex')).toBe('01');
    expect(new Writer().compactBytes(Buffer.from([9])).build().toString('hex')).toBe('0209');
    const r = new Reader(Buffer.from('0003616200', 'hex'));
    expect(r.compactNullableString()).toBeNull();
    expect(r.compactString()).toBe('ab');
    expect(r.compactBytes()).toEqual(Buffer.alloc(0));
  });

  it('writes classic strings, bytes and arrays with int16/int32 lengths, null as -1', () => {
    expect(new Writer().string('é').build().toString('hex')).toBe('0002c3a9');
    expect(new Writer().string(null).build().toString('hex')).toBe('ffff');
    expect(new Writer().bytes(null).build().toString('hex')).toBe('ffffffff');
    expect(new Writer().array([1, 2], (w, n) => w.int32(n)).build().toString('hex')).toBe('000000020000000100000002');
    expect(new Writer().int64(-2n).build().toString('hex')).toBe('fffffffffffffffe');
  });

  it('skips tagged fields it does not know', () => {
    // two tagged fields: tag 0 with 3 bytes, tag 5 with 1 byte; then an int16
    const r = new Reader(Buffer.from('020003aabbcc050101' + '002a', 'hex'));
    r.skipTaggedFields();
    expect(r.int16()).toBe(42);
  });

  it('names the structure when input ends early', () => {
    expect(() => new Reader(Buffer.from('0005616263', 'hex'), 'JoinGroup response').string()).toThrow(ProtocolDecodeError);
    expect(() => new Reader(Buffer.from('0005616263', 'hex'), 'JoinGroup response').string()).toThrow(/JoinGroup response is truncated/);
    expect(() => new Reader(Buffer.from('7fffffff', 'hex'), 'Connect assignment').array((r) => r.int32())).toThrow(/Connect assignment claims/);
    expect(() => new Reader(Buffer.from('ffffffffff', 'hex')).unsignedVarint()).toThrow(/truncated|varint/);
  });
});
