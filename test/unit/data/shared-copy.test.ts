/** copyBytes: the same bytes whichever way it copies (native memmove out of shared memory, else set()). */
import { describe, expect, it } from 'vitest';
import { copyBytes } from '../../../src/data/shared-copy.js';
import { nativeAddon } from '../../../src/kafka/native.js';

describe('copyBytes', () => {
  it('copies out of shared and ordinary memory alike, short and long runs, at any offset', () => {
    const shared = new Uint8Array(new SharedArrayBuffer(8192), 3, 5000);
    const plain = new Uint8Array(5000);
    for (let i = 0; i < 5000; i++) shared[i] = plain[i] = (i * 31 + 7) & 0xff;
    for (const [start, end, pos] of [[0, 10, 0], [5, 300, 1], [17, 4999, 3], [100, 100, 9]] as const) {
      const a = Buffer.alloc(5100);
      const b = Buffer.alloc(5100);
      expect(copyBytes(shared, start, end, a, pos)).toBe(pos + end - start);
      expect(copyBytes(plain, start, end, b, pos)).toBe(pos + end - start);
      expect(a.equals(b)).toBe(true);
      expect(a.subarray(pos, pos + end - start).equals(Buffer.from(plain.subarray(start, end)))).toBe(true);
    }
  });

  it('the native copy refuses ranges outside either array', () => {
    const copy = nativeAddon().copyBytes;
    const src = new Uint8Array(new SharedArrayBuffer(1024));
    expect(() => copy(src, 0, 2000, new Uint8Array(4096), 0)).toThrow(/range outside/);
    expect(() => copy(src, 0, 1000, new Uint8Array(500), 0)).toThrow(/range outside/);
    expect(() => copy(src, 10, 5, new Uint8Array(500), 0)).toThrow(/range outside/);
  });
});
