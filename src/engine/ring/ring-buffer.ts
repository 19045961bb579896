/**
 * A single-producer single-consumer ring of variable-length frames on a SharedArrayBuffer.
 *
 * One side writes frames (a JS task thread, or the native addon's consumer loop), the other reads
 * them (a task thread, or the native producer loop). A frame is one batch (≥ ~1000 records), so all
 * synchronisation — one SC store, one SC add and at most one notify — happens once per frame,
 * never per record. Frames never wrap: a frame that does not fit in the tail of the data region
 * leaves a wrap marker there and starts at offset 0.
 *
 * ─── Memory layout (little-endian; every field is a 32-bit word) ─────────────────────────────
 *
 *   byte   word  field               written by   meaning
 *   ----   ----  ------------------  -----------  ---------------------------------------------
 *      0      0  MAGIC               creator      0x42524C53 (bytes "SLRB")
 *      4      1  VERSION             creator      1
 *      8      2  DATA_OFFSET         creator      byte offset of the data region (= 384)
 *     12      3  CAPACITY            creator      data region size in bytes, power of two, 64..2^30
 *     16..127    (reserved, zero)
 *    128     32  WRITE_POS           producer     free-running byte counter (uint32, wraps mod 2^32)
 *    132     33  WRITE_SEQ           producer     wake sequence: +1 after each commit and on close;
 *                                                 the consumer sleeps on this word
 *    136     34  CLOSED              producer     1 = end of stream (no frame follows)
 *    140     35  PRODUCER_WAITING    producer     1 while the producer sleeps (or is about to)
 *    144..255    (reserved: producer's cache lines; 128 bytes apart to defeat adjacent-line
 *                 prefetch false sharing)
 *    256     64  READ_POS            consumer     free-running byte counter (uint32, wraps mod 2^32)
 *    260     65  READ_SEQ            consumer     wake sequence: +1 after each release and on cancel;
 *                                                 the producer sleeps on this word
 *    264     66  CANCELLED           consumer     1 = the consumer gave up; the producer stops
 *    268     67  CONSUMER_WAITING    consumer     1 while the consumer sleeps (or is about to)
 *    272..383    (reserved)
 *    384         DATA region, CAPACITY bytes
 *
 *   used bytes = (WRITE_POS - READ_POS) mod 2^32, 0..CAPACITY; position p lives at data offset
 *   p & (CAPACITY - 1). Both counters only grow (mod 2^32) and always stay multiples of 8.
 *
 * ─── A frame in the data region (at an 8-aligned data offset o) ───────────────────────────────
 *
 *   o+0  int32 length   payload bytes (0 ≤ length ≤ CAPACITY/2 - 8), or -1 = WRAP marker
 *   o+4  int32 kind     caller's tag (e.g. batch frame, delivery report); 0 by default
 *   o+8  payload        `length` bytes, starting 8-aligned
 *   the next frame starts at o + align8(8 + length).
 *
 *   WRAP: when the frame does not fit in CAPACITY - o bytes, the producer writes -1 at o and puts
 *   the frame at offset 0; WRITE_POS then advances by (CAPACITY - o) + align8(8 + length) in ONE
 *   store, so the marker and the frame are published together. The reader, finding -1 at its
 *   position, advances by CAPACITY - o and reads the frame at 0.
 *   A frame may be at most CAPACITY/2 - 8 bytes: then it always fits once the ring is empty,
 *   whatever the tail room.
 *
 * ─── Protocol (what a C++ side does with std::atomic_ref<int32_t> on the same memory) ─────────
 *
 *   Every access to the control words is sequentially consistent (JS Atomics are; in C++ use
 *   memory_order_seq_cst, which the waiting-flag handshake below needs: it is a Dekker pattern).
 *   Frame headers and payload are plain memory; the SC store of WRITE_POS publishes them, the SC
 *   store of READ_POS hands the bytes back.
 *
 *   produce(n):    size = align8(8 + n); w = load(WRITE_POS); o = w & mask; tail = CAPACITY - o
 *                  total = size <= tail ? size : tail + size        (wrap: frame at 0)
 *                  wait until total <= CAPACITY - (w - load(READ_POS))
 *                  write payload, then [WRAP at o if wrapping], length and kind at the frame start
 *                  store(WRITE_POS, w + total); fetch_add(WRITE_SEQ, 1)
 *                  if load(CONSUMER_WAITING) != 0: wake(WRITE_SEQ)
 *   consume():     r = own READ_POS; if r == load(WRITE_POS): nothing to read
 *                  o = r & mask; if int32 at o == -1: r += CAPACITY - o; o = 0
 *                  read length, kind, payload; when done: store(READ_POS, r + align8(8 + length))
 *                  fetch_add(READ_SEQ, 1); if load(PRODUCER_WAITING) != 0: wake(READ_SEQ)
 *   consumer sleep: seq = load(WRITE_SEQ); closed = load(CLOSED); if a frame is there: take it;
 *                  if closed: end of stream; store(CONSUMER_WAITING, 1); wait(WRITE_SEQ, seq);
 *                  store(CONSUMER_WAITING, 0); retry. (Reading seq before the check means a commit
 *                  or close that lands in between changes the word, so the wait returns at once.)
 *   producer sleep: the same with READ_SEQ, PRODUCER_WAITING and CANCELLED.
 *   close():       store(CLOSED, 1); fetch_add(WRITE_SEQ, 1); wake(WRITE_SEQ)
 *   cancel():      store(CANCELLED, 1); fetch_add(READ_SEQ, 1); wake(READ_SEQ)
 *
 *   wait/wake: JS's Atomics.wait/notify are implemented inside V8 (a wait list of its own, not a
 *   futex on the word), so a native thread can neither wake nor be woken by them. A ring whose
 *   other end is native therefore needs a RingWaker from the addon on the JS side (futex on the
 *   same word in C++: FUTEX_WAIT/FUTEX_WAKE or std::atomic_ref::wait/notify_all, and for
 *   waitAsync a thread-safe function that settles the promise). JS↔JS rings use ATOMICS_WAKER.
 *   A native end never *needs* to sleep through JS: it uses the futex directly.
 *
 *   Passing the memory to C++: hand `ring.bytes` (a Uint8Array over the whole SharedArrayBuffer)
 *   to the addon and take its pointer with napi_get_typedarray_info; keep a napi_ref to it for as
 *   long as the native side uses the ring.
 */

/** 'SLRB' read as a little-endian int32. */
export const RING_MAGIC = 0x42524c53;
export const RING_VERSION = 1;

/** Byte offsets of the control block; `>> 2` gives the Int32Array index. */
export const RingLayout = {
  MAGIC: 0,
  VERSION: 4,
  DATA_OFFSET: 8,
  CAPACITY: 12,
  WRITE_POS: 128,
  WRITE_SEQ: 132,
  CLOSED: 136,
  PRODUCER_WAITING: 140,
  READ_POS: 256,
  READ_SEQ: 260,
  CANCELLED: 264,
  CONSUMER_WAITING: 268,
  /** Size of the control block = byte offset of the data region. */
  DATA: 384,
  /** Bytes before each frame's payload: int32 length + int32 kind. */
  FRAME_HEADER: 8,
} as const;

/** The length word of a wrap marker. */
export const WRAP_MARKER = -1;
export const MIN_CAPACITY = 64;
export const MAX_CAPACITY = 1 << 30;

const I_MAGIC = RingLayout.MAGIC >> 2;
const I_VERSION = RingLayout.VERSION >> 2;
const I_DATA_OFFSET = RingLayout.DATA_OFFSET >> 2;
const I_CAPACITY = RingLayout.CAPACITY >> 2;
const I_WRITE_POS = RingLayout.WRITE_POS >> 2;
const I_WRITE_SEQ = RingLayout.WRITE_SEQ >> 2;
const I_CLOSED = RingLayout.CLOSED >> 2;
const I_PRODUCER_WAITING = RingLayout.PRODUCER_WAITING >> 2;
const I_READ_POS = RingLayout.READ_POS >> 2;
const I_READ_SEQ = RingLayout.READ_SEQ >> 2;
const I_CANCELLED = RingLayout.CANCELLED >> 2;
const I_CONSUMER_WAITING = RingLayout.CONSUMER_WAITING >> 2;
const DATA = RingLayout.DATA;
const I_DATA = DATA >> 2;

export type WaitResult = 'ok' | 'not-equal' | 'timed-out';

/**
 * How a side sleeps on a control word and wakes the other side. The default is JS Atomics; a ring
 * with a native end uses the addon's futex-based waker on the JS side (see the header comment).
 */
export interface RingWaker {
  /** Block the calling thread while `ctrl[index] === expected`, at most `timeoutMs`. */
  wait(ctrl: Int32Array, index: number, expected: number, timeoutMs: number): WaitResult;
  /** Non-blocking variant for threads that must keep their event loop running. */
  waitAsync(ctrl: Int32Array, index: number, expected: number, timeoutMs: number): WaitResult | Promise<WaitResult>;
  /** Wake every thread sleeping on `ctrl[index]`. */
  notify(ctrl: Int32Array, index: number): void;
}

type WaitAsyncFn = (
  ta: Int32Array,
  index: number,
  value: number,
  timeout?: number,
) => { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };

// lib ES2023 does not declare Atomics.waitAsync; Node 20 has it (V8 11.3).
const atomicsWaitAsync = (Atomics as unknown as { waitAsync: WaitAsyncFn }).waitAsync;

/** JS↔JS rings: V8's Atomics.wait / Atomics.waitAsync / Atomics.notify. */
export const ATOMICS_WAKER: RingWaker = {
  wait: (ctrl, index, expected, timeoutMs) => Atomics.wait(ctrl, index, expected, timeoutMs),
  waitAsync: (ctrl, index, expected, timeoutMs) => {
    const r = atomicsWaitAsync(ctrl, index, expected, timeoutMs);
    return r.value;
  },
  notify: (ctrl, index) => {
    Atomics.notify(ctrl, index);
  },
};

export interface RingOptions {
  /** How to sleep and wake; defaults to ATOMICS_WAKER (both ends in JS). */
  waker?: RingWaker;
}

/** Thrown for misuse (wrong call order, bad sizes, foreign memory); never for full/empty. */
export class RingError extends Error {
  override name = 'RingError';
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

function now(): number {
  return performance.now();
}

/**
 * One side's handle on a ring. Create the ring once (`RingBuffer.create`), send `ring.buffer` to
 * the other thread and `RingBuffer.attach` it there. Each thread uses its own instance and only
 * one side's methods: the producer calls tryReserve/reserve/commit/close, the consumer calls
 * tryRead/read/readAsync/release/cancel. Instances cache the other side's position, so two
 * instances must never play the same role.
 */
export class RingBuffer {
  /** The shared memory: control block followed by the data region. */
  readonly buffer: SharedArrayBuffer;
  /** The whole buffer as bytes (what the native addon takes). */
  readonly bytes: Uint8Array;
  /** The whole buffer as int32 words (control block and frame headers). */
  readonly ctrl: Int32Array;
  /** Data region size in bytes (a power of two). */
  readonly capacity: number;
  /** Largest payload one frame may carry: capacity / 2 - 8. */
  readonly maxFrameBytes: number;

  private readonly mask: number;
  private readonly waker: RingWaker;

  // producer state
  private writePos = 0; // own position (only this side stores WRITE_POS)
  private cachedRead = 0; // last READ_POS seen
  private resStart = -1; // data offset of the reserved frame header, -1 = no reservation
  private resWrapAt = -1; // data offset of the wrap marker to write, -1 = no wrap
  private resSkip = 0; // bytes skipped by the wrap
  private resBytes = 0; // reserved payload bytes

  // consumer state
  private readPos = 0; // own position
  private cachedWrite = 0; // last WRITE_POS seen
  private heldNext = 0; // READ_POS after the held frame is released
  private holding = false;
  private heldKind = 0;

  private constructor(buffer: SharedArrayBuffer, waker: RingWaker) {
    this.buffer = buffer;
    this.bytes = new Uint8Array(buffer);
    this.ctrl = new Int32Array(buffer);
    this.capacity = this.ctrl[I_CAPACITY]!;
    this.mask = this.capacity - 1;
    this.maxFrameBytes = this.capacity / 2 - RingLayout.FRAME_HEADER;
    this.waker = waker;
    this.writePos = this.cachedWrite = Atomics.load(this.ctrl, I_WRITE_POS);
    this.readPos = this.cachedRead = Atomics.load(this.ctrl, I_READ_POS);
  }

  /** Total SharedArrayBuffer size for a ring of `capacity` data bytes. */
  static byteLengthFor(capacity: number): number {
    return DATA + capacity;
  }

  /**
   * A new ring with a data region of `capacity` bytes (rounded up to a power of two). The largest
   * frame it takes is capacity / 2 - 8 bytes, so size it to at least twice the biggest batch.
   */
  static create(capacity: number, options: RingOptions = {}): RingBuffer {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CAPACITY) {
      throw new RangeError(`capacity must be an integer from 1 to ${MAX_CAPACITY}, got ${capacity}`);
    }
    let cap = MIN_CAPACITY;
    while (cap < capacity) cap *= 2;
    const buffer = new SharedArrayBuffer(DATA + cap);
    const ctrl = new Int32Array(buffer);
    ctrl[I_MAGIC] = RING_MAGIC;
    ctrl[I_VERSION] = RING_VERSION;
    ctrl[I_DATA_OFFSET] = DATA;
    ctrl[I_CAPACITY] = cap;
    return new RingBuffer(buffer, options.waker ?? ATOMICS_WAKER);
  }

  /** This thread's handle on a ring created elsewhere (by JS or by the native addon). */
  static attach(buffer: SharedArrayBuffer, options: RingOptions = {}): RingBuffer {
    if (!(buffer instanceof SharedArrayBuffer)) throw new RingError('a ring lives in a SharedArrayBuffer');
    if (buffer.byteLength < DATA + MIN_CAPACITY) throw new RingError('buffer too small for a ring');
    const ctrl = new Int32Array(buffer, 0, DATA >> 2);
    if (ctrl[I_MAGIC] !== RING_MAGIC) throw new RingError('not a ring buffer (bad magic)');
    if (ctrl[I_VERSION] !== RING_VERSION) throw new RingError(`unsupported ring version ${ctrl[I_VERSION]}`);
    if (ctrl[I_DATA_OFFSET] !== DATA) throw new RingError(`unexpected data offset ${ctrl[I_DATA_OFFSET]}`);
    const cap = ctrl[I_CAPACITY]!;
    if (!isPowerOfTwo(cap) || cap < MIN_CAPACITY || cap > MAX_CAPACITY || DATA + cap > buffer.byteLength) {
      throw new RingError(`bad ring capacity ${cap}`);
    }
    return new RingBuffer(buffer, options.waker ?? ATOMICS_WAKER);
  }

  // ─── state ──────────────────────────────────────────────────────────────────────────────────

  /** Bytes in use (frames, headers, padding and wrap gaps) as seen now. */
  usedBytes(): number {
    return (Atomics.load(this.ctrl, I_WRITE_POS) - Atomics.load(this.ctrl, I_READ_POS)) >>> 0;
  }

  /** The producer has closed the stream (frames may still be waiting to be read). */
  get isClosed(): boolean {
    return Atomics.load(this.ctrl, I_CLOSED) !== 0;
  }

  /** The consumer has given up; the producer should stop. */
  get isCancelled(): boolean {
    return Atomics.load(this.ctrl, I_CANCELLED) !== 0;
  }

  /** Closed and every frame read and released: nothing more will come. */
  get isEnded(): boolean {
    // CLOSED first: every commit before close() is then visible to the position check.
    if (Atomics.load(this.ctrl, I_CLOSED) === 0) return false;
    return Atomics.load(this.ctrl, I_WRITE_POS) === this.readPos && !this.holding;
  }

  // ─── producer ───────────────────────────────────────────────────────────────────────────────

  /**
   * A writable view of `bytes` payload bytes for the next frame, or null if the ring has no room
   * right now (or the consumer cancelled). Nothing is visible to the consumer until commit().
   */
  tryReserve(bytes: number): Uint8Array | null {
    if (this.resStart >= 0) throw new RingError('tryReserve: the previous reservation was not committed');
    if (!(bytes >= 0 && bytes <= this.maxFrameBytes) || (bytes | 0) !== bytes) {
      throw new RangeError(`frame of ${bytes} bytes: a frame must be an integer from 0 to ${this.maxFrameBytes}`);
    }
    if (this.ctrl[I_CLOSED] !== 0) throw new RingError('tryReserve: the ring is closed');
    const size = (bytes + 15) & ~7; // 8-byte header + payload, rounded up to 8
    const w = this.writePos;
    const off = w & this.mask;
    const tail = this.capacity - off;
    const total = size <= tail ? size : tail + size;
    if (total > this.capacity - ((w - this.cachedRead) >>> 0)) {
      this.cachedRead = Atomics.load(this.ctrl, I_READ_POS);
      if (total > this.capacity - ((w - this.cachedRead) >>> 0)) return null;
    }
    if (Atomics.load(this.ctrl, I_CANCELLED) !== 0) return null;
    if (size <= tail) {
      this.resStart = off;
      this.resWrapAt = -1;
      this.resSkip = 0;
    } else {
      this.resStart = 0;
      this.resWrapAt = off;
      this.resSkip = tail;
    }
    this.resBytes = bytes;
    return new Uint8Array(this.buffer, DATA + this.resStart + 8, bytes);
  }

  /**
   * Blocking reserve for producers on a worker thread (Atomics.wait). Returns null if the consumer
   * cancelled or `timeoutMs` passed first.
   */
  reserve(bytes: number, timeoutMs = Infinity): Uint8Array | null {
    let view = this.tryReserve(bytes);
    if (view !== null) return view;
    const ctrl = this.ctrl;
    const deadline = timeoutMs === Infinity ? Infinity : now() + timeoutMs;
    for (;;) {
      const seq = Atomics.load(ctrl, I_READ_SEQ);
      view = this.tryReserve(bytes);
      if (view !== null) return view;
      if (Atomics.load(ctrl, I_CANCELLED) !== 0) return null;
      const remaining = deadline - now();
      if (remaining <= 0) return null;
      Atomics.store(ctrl, I_PRODUCER_WAITING, 1);
      this.waker.wait(ctrl, I_READ_SEQ, seq, remaining);
      Atomics.store(ctrl, I_PRODUCER_WAITING, 0);
    }
  }

  /** reserve() for a thread that must not block (the main thread): waits with Atomics.waitAsync. */
  async reserveAsync(bytes: number, timeoutMs = Infinity): Promise<Uint8Array | null> {
    let view = this.tryReserve(bytes);
    if (view !== null) return view;
    const ctrl = this.ctrl;
    const deadline = timeoutMs === Infinity ? Infinity : now() + timeoutMs;
    for (;;) {
      const seq = Atomics.load(ctrl, I_READ_SEQ);
      view = this.tryReserve(bytes);
      if (view !== null) return view;
      if (Atomics.load(ctrl, I_CANCELLED) !== 0) return null;
      const remaining = deadline - now();
      if (remaining <= 0) return null;
      Atomics.store(ctrl, I_PRODUCER_WAITING, 1);
      const r = this.waker.waitAsync(ctrl, I_READ_SEQ, seq, remaining);
      if (typeof r !== 'string') await r;
      Atomics.store(ctrl, I_PRODUCER_WAITING, 0);
    }
  }

  /**
   * Publish the reserved frame. `length` may be smaller than what was reserved (a writer that
   * reserved for the worst case); `kind` is a tag the consumer sees (`frameKind`).
   */
  commit(length = this.resBytes, kind = 0): void {
    const start = this.resStart;
    if (start < 0) throw new RingError('commit: nothing reserved');
    if (!(length >= 0 && length <= this.resBytes) || (length | 0) !== length) {
      throw new RangeError(`commit: length ${length} outside the reserved 0..${this.resBytes}`);
    }
    const ctrl = this.ctrl;
    if (this.resWrapAt >= 0) ctrl[(DATA + this.resWrapAt) >> 2] = WRAP_MARKER;
    const h = (DATA + start) >> 2;
    ctrl[h] = length;
    ctrl[h + 1] = kind | 0;
    const w = (this.writePos + this.resSkip + ((length + 15) & ~7)) | 0;
    this.writePos = w;
    this.resStart = -1;
    Atomics.store(ctrl, I_WRITE_POS, w);
    Atomics.add(ctrl, I_WRITE_SEQ, 1);
    if (Atomics.load(ctrl, I_CONSUMER_WAITING) !== 0) this.waker.notify(ctrl, I_WRITE_SEQ);
  }

  /** Drop the current reservation without publishing anything. */
  abort(): void {
    this.resStart = -1;
  }

  /** Copy `frame` into the ring as one frame, waiting for room (worker threads). */
  write(frame: Uint8Array, kind = 0, timeoutMs = Infinity): boolean {
    const view = this.reserve(frame.length, timeoutMs);
    if (view === null) return false;
    view.set(frame);
    this.commit(frame.length, kind);
    return true;
  }

  /** Producer: end of stream. Frames already committed are still delivered. */
  close(): void {
    this.resStart = -1;
    const ctrl = this.ctrl;
    Atomics.store(ctrl, I_CLOSED, 1);
    Atomics.add(ctrl, I_WRITE_SEQ, 1);
    this.waker.notify(ctrl, I_WRITE_SEQ);
  }

  // ─── consumer ───────────────────────────────────────────────────────────────────────────────

  /**
   * The next frame's payload, or null if none is there yet. The view stays valid until release();
   * only one frame is held at a time.
   */
  tryRead(): Uint8Array | null {
    if (this.holding) throw new RingError('tryRead: release() the previous frame first');
    let r = this.readPos;
    if (r === this.cachedWrite) {
      this.cachedWrite = Atomics.load(this.ctrl, I_WRITE_POS);
      if (r === this.cachedWrite) return null;
    }
    const ctrl = this.ctrl;
    let off = r & this.mask;
    let len = ctrl[I_DATA + (off >> 2)]!;
    if (len === WRAP_MARKER) {
      r = (r + this.capacity - off) | 0;
      off = 0;
      len = ctrl[I_DATA]!;
    }
    if (len < 0 || len > this.maxFrameBytes) throw new RingError(`corrupt frame length ${len} at data offset ${off}`);
    this.readPos = r;
    this.heldKind = ctrl[I_DATA + (off >> 2) + 1]!;
    this.heldNext = (r + ((len + 15) & ~7)) | 0;
    this.holding = true;
    return new Uint8Array(this.buffer, DATA + off + 8, len);
  }

  /** The `kind` tag of the frame returned by the last read. */
  get frameKind(): number {
    return this.heldKind;
  }

  /**
   * Blocking read for consumers on a worker thread (Atomics.wait). Returns null at end of stream
   * (closed and drained), after cancel(), or when `timeoutMs` passes; `isEnded` tells which.
   */
  read(timeoutMs = Infinity): Uint8Array | null {
    let frame = this.tryRead();
    if (frame !== null) return frame;
    const ctrl = this.ctrl;
    const deadline = timeoutMs === Infinity ? Infinity : now() + timeoutMs;
    for (;;) {
      const seq = Atomics.load(ctrl, I_WRITE_SEQ);
      const closed = Atomics.load(ctrl, I_CLOSED);
      frame = this.tryRead();
      if (frame !== null) return frame;
      if (closed !== 0 || Atomics.load(ctrl, I_CANCELLED) !== 0) return null;
      const remaining = deadline - now();
      if (remaining <= 0) return null;
      Atomics.store(ctrl, I_CONSUMER_WAITING, 1);
      this.waker.wait(ctrl, I_WRITE_SEQ, seq, remaining);
      Atomics.store(ctrl, I_CONSUMER_WAITING, 0);
    }
  }

  /**
   * read() for threads that keep their event loop running (the main thread, a task thread whose
   * sink does async I/O): sleeps with Atomics.waitAsync. On the hot path prefer
   * `ring.tryRead() ?? await ring.readAsync()`, which allocates no promise when a frame is there.
   * A pending waitAsync does not keep a Node process alive by itself.
   */
  async readAsync(timeoutMs = Infinity): Promise<Uint8Array | null> {
    let frame = this.tryRead();
    if (frame !== null) return frame;
    const ctrl = this.ctrl;
    const deadline = timeoutMs === Infinity ? Infinity : now() + timeoutMs;
    for (;;) {
      const seq = Atomics.load(ctrl, I_WRITE_SEQ);
      const closed = Atomics.load(ctrl, I_CLOSED);
      frame = this.tryRead();
      if (frame !== null) return frame;
      if (closed !== 0 || Atomics.load(ctrl, I_CANCELLED) !== 0) return null;
      const remaining = deadline - now();
      if (remaining <= 0) return null;
      Atomics.store(ctrl, I_CONSUMER_WAITING, 1);
      const r = this.waker.waitAsync(ctrl, I_WRITE_SEQ, seq, remaining);
      if (typeof r !== 'string') await r;
      Atomics.store(ctrl, I_CONSUMER_WAITING, 0);
    }
  }

  /** Hand the held frame's bytes back to the producer. Its views must not be used afterwards. */
  release(): void {
    if (!this.holding) throw new RingError('release: no frame is held');
    this.holding = false;
    const r = this.heldNext;
    this.readPos = r;
    const ctrl = this.ctrl;
    Atomics.store(ctrl, I_READ_POS, r);
    Atomics.add(ctrl, I_READ_SEQ, 1);
    if (Atomics.load(ctrl, I_PRODUCER_WAITING) !== 0) this.waker.notify(ctrl, I_READ_SEQ);
  }

  /** Consumer: stop taking frames; a producer waiting for room wakes and gets null. */
  cancel(): void {
    const ctrl = this.ctrl;
    Atomics.store(ctrl, I_CANCELLED, 1);
    Atomics.add(ctrl, I_READ_SEQ, 1);
    this.waker.notify(ctrl, I_READ_SEQ);
  }
}
