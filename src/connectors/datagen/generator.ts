/**
 * The pure parts of Datagen's records: every choice that looks random is a hash of (seed,
 * sequence), so a record depends only on its sequence number and the config, whichever task makes
 * it and however often it is restarted. The task builds records in batches from these pieces; the
 * `reference*` functions build one record the slow, obvious way and say what the task must produce.
 */

/** murmur3's 32-bit finalizer: a cheap, well-mixed bijection on uint32. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uint32 hash of a sequence number (any safe integer ≥ 0) under a 32-bit seed. */
export function seqHash(seq: number, seed32: number): number {
  return fmix32(fmix32(((seq >>> 0) ^ seed32 ^ 0x27d4eb2f) >>> 0) ^ ((seq / 4294967296) >>> 0));
}

/** The `seed` config (a Java long) folded to 32 bits; seeds in [0, 2^32) map to themselves. */
export function seed32Of(seed: bigint | number): number {
  const s = BigInt(seed);
  return (Number(BigInt.asUintN(32, s)) ^ fmix32(Number(BigInt.asUintN(32, s >> 32n)))) >>> 0;
}

/** Salt that keeps random keys independent of the user/action choices made from the same hash. */
export const KEY_SALT = 0x5bd1e995;

/** The random key of a sequence: [0, cardinality). */
export function randomKey(seq: number, seed32: number, cardinality: number): number {
  return seqHash(seq, (seed32 ^ KEY_SALT) >>> 0) % cardinality;
}

// ---------------------------------------------------------------------------------------------
// format=bytes
// ---------------------------------------------------------------------------------------------

/** Filler characters: 64 printable ASCII bytes, so values read sensibly in kcat and compress like text. */
const FILLER_ALPHABET = new TextEncoder().encode('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_');
/** The filler pool holds about this many bytes … */
export const FILLER_POOL_BYTES = 1 << 20;
/** … in at most this many record-sized slots. */
export const FILLER_MAX_SLOTS = 1024;

/** Record-sized slots in the filler pool: the filler of sequence s is slot s mod fillerSlots(size). */
export function fillerSlots(recordSize: number): number {
  return Math.max(1, Math.min(FILLER_MAX_SLOTS, Math.floor(FILLER_POOL_BYTES / recordSize)));
}

/**
 * fillerSlots(recordSize) × recordSize pseudo-random filler bytes from the seed (xorshift32,
 * top 6 bits of each step pick a character).
 */
export function fillerPool(seed32: number, recordSize: number): Uint8Array {
  const pool = new Uint8Array(fillerSlots(recordSize) * recordSize);
  let x = fmix32((seed32 ^ 0x9e3779b9) >>> 0) || 1;
  for (let i = 0; i < pool.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    pool[i] = FILLER_ALPHABET[(x >>> 26) & 63]!;
  }
  return pool;
}

/** Writes a sequence number (safe integer ≥ 0) as an unsigned 64-bit big-endian integer. */
export function writeSeq64(view: DataView, offset: number, seq: number): void {
  view.setUint32(offset, (seq / 4294967296) >>> 0);
  view.setUint32(offset + 4, seq >>> 0);
}

/** Reads what writeSeq64 wrote; for checkers. */
export function readSeq64(bytes: Uint8Array, offset = 0): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return view.getUint32(offset) * 4294967296 + view.getUint32(offset + 4);
}

/** The value of one bytes record: the sequence (8 bytes BE), then slot (seq mod slots) of the pool from byte 8 on. */
export function referenceBytesValue(seed32: number, recordSize: number, seq: number): Uint8Array {
  const pool = fillerPool(seed32, recordSize);
  const slot = seq % fillerSlots(recordSize);
  const value = pool.slice(slot * recordSize, (slot + 1) * recordSize);
  writeSeq64(new DataView(value.buffer), 0, seq);
  return value;
}

/** An 8-byte big-endian key. */
export function referenceBytesKey(n: number): Uint8Array {
  const key = new Uint8Array(8);
  writeSeq64(new DataView(key.buffer), 0, n);
  return key;
}

// ---------------------------------------------------------------------------------------------
// format=json
// ---------------------------------------------------------------------------------------------

export const USER_COUNT = 1000;
export const ACTIONS = ['view', 'click', 'search', 'add_to_cart', 'purchase', 'share', 'comment', 'logout'] as const;
/** `user-0` … `user-999`, made once. */
export const USER_NAMES: readonly string[] = Array.from({ length: USER_COUNT }, (_, i) => `user-${i}`);
export const PAD_CHAR = 'x';

/**
 * The serialized length of a JSON value without its payload characters and without the digits of
 * seq and ts: `{"seq":,"ts":,"user":"","action":"","payload":""}`.
 */
export const JSON_FIXED_CHARS = '{"seq":,"ts":,"user":"","action":"","payload":""}'.length;

export function userOf(hash: number): string {
  return USER_NAMES[hash % USER_COUNT]!;
}

export function actionOf(hash: number): string {
  return ACTIONS[(hash >>> 16) & 7]!;
}

/** Decimal digits of a safe integer ≥ 0. */
export function decimalDigits(n: number): number {
  let d = 1;
  for (let bound = 10; n >= bound && d < 16; bound *= 10) d++;
  return d;
}

/** Payload characters that make the JSON text `recordSize` bytes long (0 when the other fields already fill it). */
export function payloadLength(recordSize: number, seqDigits: number, tsDigits: number, user: string, action: string): number {
  return Math.max(0, recordSize - JSON_FIXED_CHARS - seqDigits - tsDigits - user.length - action.length);
}

/** The value of one json record, built the obvious way. */
export function referenceJsonValue(seed32: number, recordSize: number, seq: number, ts: number): Map<string, unknown> {
  const h = seqHash(seq, seed32);
  const user = userOf(h);
  const action = actionOf(h);
  const pad = PAD_CHAR.repeat(payloadLength(recordSize, String(seq).length, String(ts).length, user, action));
  return new Map<string, unknown>([['seq', seq], ['ts', ts], ['user', user], ['action', action], ['payload', pad]]);
}
