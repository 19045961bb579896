import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ATOMICS_WAKER,
  RING_MAGIC,
  RingBuffer,
  RingError,
  RingLayout,
  type RingWaker,
  WRAP_MARKER,
} from '../../../src/engine/ring/ring-buffer.js';
import { consumeAsync, produceAsync } from '../../fixtures/ring-records.js';
import type { RingPeerData, RingPeerResult } from '../../fixtures/ring-peer.js';
import { compileTs } from '../../fixtures/ts-run.mjs';

const W = (byte: number) => byte >> 2; // int32 index of a control-block byte offset

/** A producer and a consumer handle on one new ring, as two threads would hold them. */
function pair(capacity: number, waker?: RingWaker): { p: RingBuffer; c: RingBuffer } {
  const p = RingBuffer.create(capacity, waker ? { waker } : {});
  const c = RingBuffer.attach(p.buffer, waker ? { waker } : {});
  return { p, c };
}

function put(p: RingBuffer, bytes: number[] | Uint8Array, kind = 0): boolean {
  const v = p.tryReserve(bytes.length);
  if (v === null) return false;
  v.set(bytes);
  p.commit(bytes.length, kind);
  return true;
}

function take(c: RingBuffer): number[] | null {
  const f = c.tryRead();
  if (f === null) return null;
  const out = Array.from(f);
  c.release();
  return out;
}

describe('RingBuffer layout', () => {
  it('writes the documented control block', () => {
    const r = RingBuffer.create(1000);
    expect(r.capacity).toBe(1024); // rounded up to a power of two
    expect(r.buffer.byteLength).toBe(RingLayout.DATA + 1024);
    expect(RingBuffer.byteLengthFor(1024)).toBe(384 + 1024);
    expect(r.maxFrameBytes).toBe(512 - 8);
    const ctrl = new Int32Array(r.buffer);
    expect(ctrl[0]).toBe(RING_MAGIC);
    expect(Array.from(new Uint8Array(r.buffer, 0, 4))).toEqual([0x53, 0x4c, 0x52, 0x42]); // "SLRB"
    expect(ctrl[1]).toBe(1);
    expect(ctrl[2]).toBe(384);
    expect(ctrl[3]).toBe(1024);
    // producer's and consumer's words are on different 64-byte lines (128 bytes apart)
    expect(RingLayout.WRITE_POS).toBe(128);
    expect(RingLayout.READ_POS).toBe(256);
    for (const k of ['WRITE_POS', 'WRITE_SEQ', 'CLOSED', 'PRODUCER_WAITING'] as const) expect(RingLayout[k] >> 6).toBe(2);
    for (const k of ['READ_POS', 'READ_SEQ', 'CANCELLED', 'CONSUMER_WAITING'] as const) expect(RingLayout[k] >> 6).toBe(4);
  });

  it('lays a frame out as int32 length, int32 kind, payload, padded to 8', () => {
    const { p } = pair(256);
    put(p, [1, 2, 3], 7);
    put(p, [9], 0);
    const ctrl = new Int32Array(p.buffer);
    const d = RingLayout.DATA;
    expect(ctrl[W(d)]).toBe(3);
    expect(ctrl[W(d + 4)]).toBe(7);
    expect(Array.from(new Uint8Array(p.buffer, d + 8, 3))).toEqual([1, 2, 3]);
    expect(ctrl[W(d + 16)]).toBe(1); // next frame at align8(8 + 3) = 16
    expect(ctrl[W(RingLayout.WRITE_POS)]).toBe(32);
    expect(ctrl[W(RingLayout.WRITE_SEQ)]).toBe(2);
  });

  it('refuses foreign memory and bad sizes', () => {
    expect(() => RingBuffer.attach(new SharedArrayBuffer(1024))).toThrow(/magic/);
    expect(() => RingBuffer.attach(new ArrayBuffer(1024) as unknown as SharedArrayBuffer)).toThrow(RingError);
    expect(() => RingBuffer.create(0)).toThrow(RangeError);
    expect(() => RingBuffer.create(2 ** 31)).toThrow(RangeError);
    const r = RingBuffer.create(64);
    expect(r.capacity).toBe(64);
    expect(() => r.tryReserve(r.maxFrameBytes + 1)).toThrow(RangeError);
    expect(() => r.tryReserve(-1)).toThrow(RangeError);
    expect(() => r.tryReserve(1.5)).toThrow(RangeError);
  });
});

describe('RingBuffer frames', () => {
  it('round-trips frames in order with their kind; the view is the shared memory', () => {
    const { p, c } = pair(1024);
    expect(c.tryRead()).toBeNull();
    const v = p.tryReserve(5)!;
    expect(v.buffer).toBe(p.buffer);
    expect(v.byteOffset % 8).toBe(0);
    v.set([10, 20, 30, 40, 50]);
    expect(c.tryRead()).toBeNull(); // nothing visible before commit
    p.commit(5, 42);
    put(p, [], 3); // empty frames are frames
    const f = c.tryRead()!;
    expect(Array.from(f)).toEqual([10, 20, 30, 40, 50]);
    expect(f.byteOffset).toBe(v.byteOffset);
    expect(c.frameKind).toBe(42);
    c.release();
    const e = c.tryRead()!;
    expect(e.length).toBe(0);
    expect(c.frameKind).toBe(3);
    c.release();
    expect(c.tryRead()).toBeNull();
    expect(c.usedBytes()).toBe(0);
  });

  it('commits fewer bytes than reserved, and can abort a reservation', () => {
    const { p, c } = pair(1024);
    const v = p.tryReserve(100)!;
    v.set([1, 2, 3, 4]);
    p.commit(4);
    expect(p.usedBytes()).toBe(16);
    p.tryReserve(50);
    p.abort();
    expect(take(c)).toEqual([1, 2, 3, 4]);
    expect(c.tryRead()).toBeNull();
    expect(() => p.commit()).toThrow(/nothing reserved/);
    p.tryReserve(8);
    expect(() => p.commit(9)).toThrow(RangeError);
  });

  it('enforces one reservation and one held frame at a time', () => {
    const { p, c } = pair(1024);
    p.tryReserve(8);
    expect(() => p.tryReserve(8)).toThrow(/not committed/);
    p.commit();
    put(p, [1]);
    c.tryRead();
    expect(() => c.tryRead()).toThrow(/release/);
    c.release();
    expect(() => c.release()).toThrow(/no frame/);
  });

  it('returns null when full and takes frames again once the consumer releases', () => {
    const { p, c } = pair(256); // 256 data bytes: eight 24-byte frames (8 header + 16 payload)
    const payload = new Array(16).fill(0);
    let n = 0;
    while (put(p, payload.map((_, k) => n + k))) n++;
    expect(n).toBe(256 / 24 | 0);
    expect(p.usedBytes()).toBe(n * 24);
    expect(p.tryReserve(16)).toBeNull();
    expect(p.tryReserve(0)).not.toBeNull(); // an 8-byte frame still fits in the last 16 bytes
    p.abort();
    expect(take(c)).toEqual(payload.map((_, k) => k));
    expect(put(p, payload.map((_, k) => n + k))).toBe(true); // wraps into the freed space
    const got: number[] = [];
    for (let f = take(c); f !== null; f = take(c)) got.push(f[0]!);
    expect(got).toEqual(Array.from({ length: n }, (_, k) => k + 1));
  });

  it('writes a wrap marker and continues at 0 when the tail has no room; frames never wrap', () => {
    const { p, c } = pair(256);
    const ctrl = new Int32Array(p.buffer);
    const d = RingLayout.DATA;
    put(p, new Uint8Array(100).fill(1)); // 112 bytes: [0, 112)
    put(p, new Uint8Array(100).fill(2)); // [112, 224)
    expect(take(c)![0]).toBe(1); // frees [0, 112)
    // 40 payload bytes need 48: the tail [224, 256) has 32, so a marker goes at 224 and the frame at 0
    const v = p.tryReserve(40)!;
    expect(v.byteOffset).toBe(d + 8);
    v.fill(3);
    p.commit();
    expect(ctrl[W(d + 224)]).toBe(WRAP_MARKER);
    expect(ctrl[W(RingLayout.WRITE_POS)]).toBe(224 + 32 + 48); // the skipped tail counts as written
    expect(p.usedBytes()).toBe(112 + 32 + 48);
    const second = c.tryRead()!;
    expect(second[0]).toBe(2);
    c.release();
    const third = c.tryRead()!;
    expect(third.byteOffset).toBe(d + 8);
    expect(third.length).toBe(40);
    expect(third.every((x) => x === 3)).toBe(true);
    c.release();
    expect(ctrl[W(RingLayout.READ_POS)]).toBe(304);
    expect(c.usedBytes()).toBe(0);
  });

  it('takes a frame of maxFrameBytes whatever the tail room, once empty', () => {
    for (let shift = 0; shift < 256; shift += 8) {
      const { p, c } = pair(256);
      for (let k = 0; k < shift; k += 8) {
        put(p, []); // an empty frame takes 8 bytes: moves the position to `shift`
        take(c);
      }
      const v = p.tryReserve(p.maxFrameBytes);
      expect(v, `tail at ${shift}`).not.toBeNull();
      v!.fill(7);
      p.commit();
      const f = c.tryRead()!;
      expect(f.length).toBe(120);
      expect(f.every((x) => x === 7)).toBe(true);
      c.release();
    }
  });

  it('keeps frames intact over many wraps with mixed sizes', () => {
    const { p, c } = pair(512);
    let seed = 1;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >>> 0) / 0x80000000;
    let written = 0;
    let read = 0;
    const sizes: number[] = [];
    for (let step = 0; step < 20000; step++) {
      if (rnd() < 0.55) {
        const size = Math.floor(rnd() * (p.maxFrameBytes + 1));
        const v = p.tryReserve(size);
        if (v !== null) {
          for (let k = 0; k < size; k++) v[k] = (written + k) & 255;
          p.commit(size, written);
          sizes.push(size);
          written++;
        }
      } else {
        const f = c.tryRead();
        if (f !== null) {
          expect(c.frameKind).toBe(read);
          expect(f.length).toBe(sizes[read]);
          for (let k = 0; k < f.length; k++) if (f[k] !== ((read + k) & 255)) throw new Error(`frame ${read} byte ${k}`);
          c.release();
          read++;
        }
      }
    }
    expect(written).toBeGreaterThan(1000);
    expect(read).toBeGreaterThan(1000);
  });

  it('works across the int32 and uint32 overflow of the free-running positions', () => {
    for (const start of [2 ** 31 - 64, -64, -8]) {
      const p = RingBuffer.create(256);
      const ctrl = new Int32Array(p.buffer);
      // an empty ring with both positions at `start` (positions are counters mod 2^32)
      ctrl[W(RingLayout.WRITE_POS)] = start;
      ctrl[W(RingLayout.READ_POS)] = start;
      const prod = RingBuffer.attach(p.buffer);
      const cons = RingBuffer.attach(p.buffer);
      for (let i = 0; i < 100; i++) {
        expect(put(prod, [i, i + 1, i + 2, i + 3, i + 4, i + 5, i + 6, i + 7, i + 8, i + 9])).toBe(true);
        expect(put(prod, new Uint8Array(50).fill(i))).toBe(true);
        expect(take(cons)).toEqual([i, i + 1, i + 2, i + 3, i + 4, i + 5, i + 6, i + 7, i + 8, i + 9]);
        expect(take(cons)).toEqual(new Array(50).fill(i));
        expect(cons.usedBytes()).toBe(0);
      }
    }
  });

  it('copies a whole frame with write()', () => {
    const { p, c } = pair(256);
    expect(p.write(Uint8Array.of(4, 5, 6), 9)).toBe(true);
    expect(take(c)).toEqual([4, 5, 6]);
    expect(c.frameKind).toBe(9);
  });
});

describe('RingBuffer close, cancel and waiting', () => {
  it('delivers every committed frame after close, then ends', () => {
    const { p, c } = pair(256);
    put(p, [1]);
    put(p, [2]);
    p.close();
    expect(c.isClosed).toBe(true);
    expect(c.isEnded).toBe(false);
    expect(() => p.tryReserve(1)).toThrow(/closed/);
    expect(Array.from(c.read()!)).toEqual([1]);
    c.release();
    expect(Array.from(c.read()!)).toEqual([2]);
    expect(c.isEnded).toBe(false); // still held
    c.release();
    expect(c.read()).toBeNull();
    expect(c.isEnded).toBe(true);
  });

  it('read() times out with null while the stream is open', () => {
    const { c } = pair(256);
    const t0 = performance.now();
    expect(c.read(30)).toBeNull();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(25);
    expect(c.isEnded).toBe(false);
  });

  it('reserve() times out with null while full', () => {
    const { p } = pair(64);
    put(p, new Uint8Array(24));
    put(p, new Uint8Array(24));
    expect(p.reserve(24, 20)).toBeNull();
    expect(p.isCancelled).toBe(false);
  });

  it('readAsync() wakes on a commit and on close', async () => {
    const { p, c } = pair(256);
    const pending = c.readAsync();
    setTimeout(() => put(p, [8, 9]), 20);
    expect(Array.from((await pending)!)).toEqual([8, 9]);
    c.release();
    const end = c.readAsync();
    setTimeout(() => p.close(), 20);
    expect(await end).toBeNull();
    expect(c.isEnded).toBe(true);
  });

  it('reserveAsync() wakes when the consumer releases, and returns null on cancel', async () => {
    const { p, c } = pair(64); // two 24-byte frames fill it
    put(p, new Uint8Array(24).fill(1));
    put(p, new Uint8Array(24).fill(2));
    const pending = p.reserveAsync(24);
    setTimeout(() => take(c), 20);
    const v = (await pending)!;
    expect(v.length).toBe(24);
    p.commit();
    const blocked = p.reserveAsync(24);
    setTimeout(() => c.cancel(), 20);
    expect(await blocked).toBeNull();
    expect(p.isCancelled).toBe(true);
    expect(p.tryReserve(0)).toBeNull();
  });

  it('notifies once per frame and only when the other side sleeps', async () => {
    const calls: number[] = [];
    const counting: RingWaker = {
      wait: ATOMICS_WAKER.wait,
      waitAsync: ATOMICS_WAKER.waitAsync,
      notify: (ctrl, index) => {
        calls.push(index);
        ATOMICS_WAKER.notify(ctrl, index);
      },
    };
    const { p, c } = pair(4096, counting);
    for (let i = 0; i < 10; i++) put(p, [i]);
    for (let i = 0; i < 10; i++) take(c);
    expect(calls).toEqual([]); // nobody was waiting: no notify at all
    const pending = c.readAsync();
    await new Promise((r) => setTimeout(r, 10));
    put(p, [1]);
    put(p, [2]); // the consumer has not run yet: its flag is still up, still one wake per frame
    await pending;
    expect(calls.every((i) => i === W(RingLayout.WRITE_SEQ))).toBe(true);
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(calls.length).toBeLessThanOrEqual(2);
  });
});

describe('RingBuffer across threads', () => {
  const RECORDS = 1_000_000;
  const PER_FRAME = 1000;
  const VALUE = 100;
  let peer: { file: string; cleanup: () => void };

  beforeAll(() => {
    peer = compileTs('test/fixtures/ring-peer.ts');
  });
  afterAll(() => peer?.cleanup());

  function startPeer(data: RingPeerData): Promise<RingPeerResult> {
    return new Promise((resolve, reject) => {
      const w = new Worker(peer.file, { workerData: data });
      w.once('message', (m: RingPeerResult) => resolve(m));
      w.once('error', reject);
      w.once('exit', (code) => reject(new Error(`ring peer exited with ${code} before reporting`)));
    });
  }

  it('carries 1,000,000 records from a worker producer to the main thread, in order and intact', async () => {
    // 1 MiB ring: about 6 frames of ~130 KB in flight, so the producer fills it and waits often
    const ring = RingBuffer.create(1 << 20);
    const producer = startPeer({ role: 'produce', buffer: ring.buffer, records: RECORDS, perFrame: PER_FRAME, valueSize: VALUE });
    const got = await consumeAsync(ring, VALUE);
    const p = await producer;
    expect(p).toEqual({ ok: true, records: RECORDS, frames: RECORDS / PER_FRAME });
    expect(got).toEqual({ records: RECORDS, frames: RECORDS / PER_FRAME });
  });

  it('carries 1,000,000 records from the main thread to a worker consumer that blocks in Atomics.wait', async () => {
    const ring = RingBuffer.create(1 << 19);
    const consumer = startPeer({ role: 'consume', buffer: ring.buffer, records: RECORDS, perFrame: PER_FRAME, valueSize: VALUE });
    const frames = await produceAsync(ring, RECORDS, PER_FRAME, VALUE);
    expect(frames).toBe(RECORDS / PER_FRAME);
    expect(await consumer).toEqual({ ok: true, records: RECORDS, frames: RECORDS / PER_FRAME });
  });
});
