/**
 * A validating scan of schemaless JSON bytes that makes nothing: it finds where each value starts
 * and ends and what kind it is, so that a value can be printed as Java text straight from its
 * bytes (print.ts) or decoded only when something reads it (lazy-map.ts).
 *
 * The scan accepts a subset of what JsonConverter's parser (json.ts) accepts, and only where the
 * parser would produce a value, never an error: anything else, whether an error or merely
 * unusual (UTF-16 input, leading whitespace at the root, duplicate member names, very long or
 * deep input, non-ASCII member names), returns NOT_SCANNED and the caller takes the parser's path,
 * which also reports bad input exactly as before. So the fast paths change speed, never results.
 */

import { isNativeAvailable, nativeAddon } from '../../kafka/native.js';
import { MAX_CACHED_NAME } from './names.js';

export const NOT_SCANNED = -1;

/** What a scanned value is. */
export const enum Kind {
  /** A string without escapes: its text is its bytes between the quotes. */
  STRING = 1,
  STRING_ESCAPED = 2,
  INT = 3,
  FLOAT = 4,
  TRUE = 5,
  FALSE = 6,
  NULL = 7,
  ARRAY = 8,
  OBJECT = 9,
}

/** Deeper input goes the parser's way (its own limit is 1000). */
const MAX_SCAN_DEPTH = 64;
/** Number tokens longer than this go the parser's way (it checks StreamReadConstraints). */
const MAX_NUMBER_DIGITS = 100;

/** The kind of the value the last scanValue() call ended. */
export let scannedKind: Kind = Kind.NULL;

/** Cells per member in MemberTable.cells. */
export const CELLS = 6;
/** Offsets within a member's cells. */
export const NAME_START = 0;
export const NAME_END = 1;
/** 31-hash of the name bytes (the hash cachedName takes). */
export const NAME_HASH = 2;
export const VALUE_START = 3;
export const VALUE_END = 4;
export const KIND = 5;

/** The members of a root object, as scanRootObject found them: CELLS int32s each, in order. */
export class MemberTable {
  count = 0;
  cells = new Int32Array(16 * CELLS);
  /**
   * Where this object's cells start in `cells`: 0 for a table a scan filled, else a view into
   * a frame's scan (frame-scan.ts), which shares one array among many objects.
   */
  base = 0;
  /** True while every name is printable ASCII of at most MAX_CACHED_NAME bytes (LazyJsonMap takes only those). */
  shortAsciiNames = true;

  reset(): void {
    this.count = 0;
    this.base = 0;
    this.shortAsciiNames = true;
  }

  add(ns: number, ne: number, hash: number, ascii: boolean, vs: number, ve: number, kind: Kind): void {
    let c = this.count * CELLS;
    if (c === this.cells.length) {
      const grown = new Int32Array(this.cells.length * 2);
      grown.set(this.cells);
      this.cells = grown;
    }
    const cells = this.cells;
    cells[c++] = ns;
    cells[c++] = ne;
    cells[c++] = hash;
    cells[c++] = vs;
    cells[c++] = ve;
    cells[c] = kind;
    this.count++;
    if (!ascii || ne - ns > MAX_CACHED_NAME) this.shortAsciiNames = false;
  }
}

/**
 * True when `b` is one JSON object the parser reads without error, as the scan can tell: it
 * starts with '{' at the first byte (no byte order mark, not UTF-16), and its members go into
 * `table` (reset first). What follows the object is ignored, as the parser ignores it.
 */
export function scanRootObject(b: Uint8Array, table: MemberTable): boolean {
  if (b.length >= NATIVE_SCAN_FROM_BYTES) {
    if (nativeScan === undefined) nativeScan = isNativeAvailable() ? nativeAddon().scanJsonObject : null;
    if (nativeScan !== null) return scanRootObjectNatively(b, table, nativeScan);
  }
  return scanRootObjectInJs(b, table);
}

/** The scan in JavaScript: the reference the native scan (native/src/json_scan.cc) must equal. */
export function scanRootObjectInJs(b: Uint8Array, table: MemberTable): boolean {
  table.reset();
  // A zero second byte is how Jackson's encoding detection spots UTF-16: the parser's way.
  if (b.length < 2 || b[0] !== 0x7b || b[1] === 0) return false;
  return scanObject(b, 0, 1, table) !== NOT_SCANNED;
}

/**
 * Below this, the JavaScript scan is about as fast as the native call: a 200 B object takes it
 * ~340 ns in JavaScript, the call alone ~100.
 */
const NATIVE_SCAN_FROM_BYTES = 96;

type NativeScan = (bytes: Uint8Array, cells: Int32Array) => number;
let nativeScan: NativeScan | null | undefined;

/** The same scan in C++, when the addon loads. */
export function scanRootObjectNatively(b: Uint8Array, table: MemberTable, scan: NativeScan): boolean {
  table.reset();
  let r = scan(b, table.cells);
  while (r === -2) {
    table.cells = new Int32Array(table.cells.length * 2);
    r = scan(b, table.cells);
  }
  if (r < 0) return false;
  table.count = r >>> 1;
  table.shortAsciiNames = (r & 1) === 1;
  return true;
}

/**
 * Scans the value starting at `i` (no whitespace before it); returns where it ends, with its
 * kind in `scannedKind`, or NOT_SCANNED.
 */
export function scanValue(b: Uint8Array, i: number, depth: number): number {
  const c = b[i];
  switch (c) {
    case 0x22:
      return scanString(b, i);
    case 0x7b:
      return depth >= MAX_SCAN_DEPTH ? NOT_SCANNED : scanObject(b, i, depth + 1, null);
    case 0x5b:
      return depth >= MAX_SCAN_DEPTH ? NOT_SCANNED : scanArray(b, i, depth + 1);
    case 0x74:
      scannedKind = Kind.TRUE;
      return literal(b, i, 0x72, 0x75, 0x65, -1);
    case 0x66:
      scannedKind = Kind.FALSE;
      return literal(b, i, 0x61, 0x6c, 0x73, 0x65);
    case 0x6e:
      scannedKind = Kind.NULL;
      return literal(b, i, 0x75, 0x6c, 0x6c, -1);
    default:
      if (c === 0x2d || (c !== undefined && c >= 0x30 && c <= 0x39)) return scanNumber(b, i);
      return NOT_SCANNED;
  }
}

/** Index of the first byte at or after `i` that is not JSON whitespace; NOT_SCANNED on another control byte. */
function skipWhitespace(b: Uint8Array, i: number): number {
  for (; i < b.length; i++) {
    const c = b[i]!;
    if (c > 0x20) return i;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return NOT_SCANNED;
  }
  return i;
}

/** Name hashes and spans of the objects being scanned, innermost last: for the duplicate check. */
let nestedNames = new Int32Array(3 * 64);
let nestedTop = 0;

/**
 * The object at `i` ('{'). Members go to `table` when given (the root); nested objects keep
 * theirs on a stack only while they are scanned. A repeated name (Jackson keeps its first place
 * and last value) is NOT_SCANNED.
 */
function scanObject(b: Uint8Array, i: number, depth: number, table: MemberTable | null): number {
  const base = nestedTop;
  try {
    i = skipWhitespace(b, i + 1);
    if (i === NOT_SCANNED) return NOT_SCANNED;
    if (b[i] === 0x7d) {
      scannedKind = Kind.OBJECT;
      return i + 1;
    }
    let seen = 0;
    for (;;) {
      if (b[i] !== 0x22) return NOT_SCANNED;
      // The name: printable ASCII is the common case; other valid UTF-8 is allowed, escapes are not.
      const ns = i + 1;
      let h = 0;
      let ascii = true;
      let k = ns;
      for (;;) {
        if (k >= b.length) return NOT_SCANNED;
        const c = b[k]!;
        if (c === 0x22) break;
        if (c === 0x5c || c < 0x20) return NOT_SCANNED;
        if (c >= 0x80) {
          const next = utf8SequenceEnd(b, k);
          if (next === NOT_SCANNED) return NOT_SCANNED;
          for (; k < next; k++) h = (Math.imul(h, 31) + b[k]!) | 0;
          ascii = false;
          continue;
        }
        h = (Math.imul(h, 31) + c) | 0;
        k++;
      }
      const ne = k;
      // Names are compared only when a 32-bit filter of their hashes says they may repeat.
      const bit = 1 << (h & 31);
      if ((seen & bit) !== 0 && isRepeatedName(b, base, ns, ne, h)) return NOT_SCANNED;
      seen |= bit;
      pushName(ns, ne, h);
      i = skipWhitespace(b, ne + 1);
      if (i === NOT_SCANNED || b[i] !== 0x3a) return NOT_SCANNED;
      i = skipWhitespace(b, i + 1);
      if (i === NOT_SCANNED) return NOT_SCANNED;
      const vs = i;
      i = scanValue(b, i, depth);
      if (i === NOT_SCANNED) return NOT_SCANNED;
      table?.add(ns, ne, h, ascii, vs, i, scannedKind);
      i = afterElement(b, i, 0x7d);
      if (i === CLOSED) {
        scannedKind = Kind.OBJECT;
        return closedAt;
      }
      if (i === NOT_SCANNED) return NOT_SCANNED;
    }
  } finally {
    nestedTop = base;
  }
}

function pushName(start: number, end: number, hash: number): void {
  if (nestedTop + 3 > nestedNames.length) {
    const grown = new Int32Array(nestedNames.length * 2);
    grown.set(nestedNames);
    nestedNames = grown;
  }
  nestedNames[nestedTop] = hash;
  nestedNames[nestedTop + 1] = start;
  nestedNames[nestedTop + 2] = end;
  nestedTop += 3;
}

/** True when the object whose names start at stack slot `base` already has this name. */
function isRepeatedName(b: Uint8Array, base: number, start: number, end: number, hash: number): boolean {
  for (let s = base; s < nestedTop; s += 3) {
    if (nestedNames[s] !== hash) continue;
    const os = nestedNames[s + 1]!;
    if (nestedNames[s + 2]! - os !== end - start) continue;
    let k = 0;
    while (start + k < end && b[os + k] === b[start + k]) k++;
    if (start + k === end) return true;
  }
  return false;
}

function scanArray(b: Uint8Array, i: number, depth: number): number {
  i = skipWhitespace(b, i + 1);
  if (i === NOT_SCANNED) return NOT_SCANNED;
  if (b[i] === 0x5d) {
    scannedKind = Kind.ARRAY;
    return i + 1;
  }
  for (;;) {
    i = scanValue(b, i, depth);
    if (i === NOT_SCANNED) return NOT_SCANNED;
    i = afterElement(b, i, 0x5d);
    if (i === CLOSED) {
      scannedKind = Kind.ARRAY;
      return closedAt;
    }
    if (i === NOT_SCANNED) return NOT_SCANNED;
  }
}

/** afterElement's answer when the container closed; `closedAt` is then the position past it. */
const CLOSED = -2;
let closedAt = 0;

/**
 * After an object member's or array element's value at `i`: past the ',' and whitespace to the
 * next one (returned), or past `closer` (CLOSED, `closedAt` set); NOT_SCANNED for anything else.
 */
function afterElement(b: Uint8Array, i: number, closer: number): number {
  i = skipWhitespace(b, i);
  if (i === NOT_SCANNED) return NOT_SCANNED;
  const c = b[i];
  if (c === 0x2c) return skipWhitespace(b, i + 1);
  if (c === closer) {
    closedAt = i + 1;
    return CLOSED;
  }
  return NOT_SCANNED;
}

/**
 * The string at `i` ('"'): control bytes are the parser's error, escapes must be well-formed and
 * bytes above 0x7f valid UTF-8 (the parser decodes them with a fatal decoder).
 */
function scanString(b: Uint8Array, i: number): number {
  let kind = Kind.STRING;
  i++;
  // Word by word only once the string has shown itself long: most strings are short.
  let wordsFrom = i + 16;
  for (;;) {
    if (i >= wordsFrom && b.length - i >= 16) {
      i = plainRunEnd(b, i);
      wordsFrom = i + 16;
    }
    if (i >= b.length) return NOT_SCANNED;
    const c = b[i]!;
    if (c === 0x22) {
      scannedKind = kind;
      return i + 1;
    }
    if (c < 0x20) return NOT_SCANNED;
    if (c === 0x5c) {
      kind = Kind.STRING_ESCAPED;
      const e = b[i + 1];
      if (e === 0x75) {
        for (let k = 2; k < 6; k++) if (hexValue(b[i + k]) < 0) return NOT_SCANNED;
        i += 6;
      } else if (e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
        i += 2;
      } else {
        return NOT_SCANNED;
      }
      continue;
    }
    if (c >= 0x80) {
      i = utf8SequenceEnd(b, i);
      if (i === NOT_SCANNED) return NOT_SCANNED;
      continue;
    }
    i++;
  }
}

/** A 32-bit view of the last buffer scanned (a ring's SharedArrayBuffer, mostly the same one). */
let wordsBuffer: ArrayBufferLike | null = null;
let words: Int32Array = new Int32Array(0);

/**
 * Skips the ordinary string bytes (printable ASCII but '"' and '\\') from `i`, four at a time on
 * aligned words: a string's body is most of a JSON message, and a byte loop costs four times as
 * much. Returns the start of the first word that holds something else (or the last whole word).
 */
function plainRunEnd(b: Uint8Array, i: number): number {
  const buffer = b.buffer;
  if (buffer !== wordsBuffer) {
    wordsBuffer = buffer;
    words = new Int32Array(buffer, 0, buffer.byteLength >>> 2);
  }
  const offset = b.byteOffset;
  let abs = offset + i;
  // Up to the next word boundary byte by byte.
  while ((abs & 3) !== 0) {
    const c = b[abs - offset]!;
    if (c === 0x22 || c === 0x5c || c < 0x20 || c >= 0x80) return abs - offset;
    abs++;
  }
  let w = abs >>> 2;
  const end = (offset + b.length) >>> 2;
  for (; w < end; w++) {
    const x = words[w]!;
    // Per byte: the top bit (>= 0x80), below 0x20, equal to '"' or to '\\' (exact "has a zero byte" tests).
    const quote = x ^ 0x22222222;
    const backslash = x ^ 0x5c5c5c5c;
    const special = (x | (((x - 0x20202020) & ~x) | ((quote - 0x01010101) & ~quote) | ((backslash - 0x01010101) & ~backslash))) & 0x80808080;
    if (special !== 0) break;
  }
  return (w << 2) - offset;
}

/** Where the UTF-8 sequence starting at `i` ends, if it is one a fatal TextDecoder accepts. */
export function utf8SequenceEnd(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0xc2) return NOT_SCANNED;
  if (c < 0xe0) return isContinuation(b[i + 1], 0x80, 0xbf) ? i + 2 : NOT_SCANNED;
  if (c < 0xf0) {
    const lo = c === 0xe0 ? 0xa0 : 0x80;
    const hi = c === 0xed ? 0x9f : 0xbf;
    return isContinuation(b[i + 1], lo, hi) && isContinuation(b[i + 2], 0x80, 0xbf) ? i + 3 : NOT_SCANNED;
  }
  if (c < 0xf5) {
    const lo = c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xf4 ? 0x8f : 0xbf;
    return isContinuation(b[i + 1], lo, hi) && isContinuation(b[i + 2], 0x80, 0xbf) && isContinuation(b[i + 3], 0x80, 0xbf)
      ? i + 4
      : NOT_SCANNED;
  }
  return NOT_SCANNED;
}

function isContinuation(c: number | undefined, lo: number, hi: number): boolean {
  return c !== undefined && c >= lo && c <= hi;
}

/** A number token; it must be followed by the end, whitespace or a separator (else the parser's way). */
function scanNumber(b: Uint8Array, i: number): number {
  const start = i;
  if (b[i] === 0x2d) i++;
  const intStart = i;
  while (i < b.length && b[i]! >= 0x30 && b[i]! <= 0x39) i++;
  if (i === intStart) return NOT_SCANNED;
  let kind = Kind.INT;
  if (b[i] === 0x2e) {
    kind = Kind.FLOAT;
    const f = ++i;
    while (i < b.length && b[i]! >= 0x30 && b[i]! <= 0x39) i++;
    if (i === f) return NOT_SCANNED;
  }
  if (b[i] === 0x65 || b[i] === 0x45) {
    kind = Kind.FLOAT;
    i++;
    if (b[i] === 0x2b || b[i] === 0x2d) i++;
    const e = i;
    while (i < b.length && b[i]! >= 0x30 && b[i]! <= 0x39) i++;
    // Ten exponent digits or more may overflow BigDecimal's scale, which the parser checks.
    if (i === e || i - e >= 10) return NOT_SCANNED;
  }
  if (i - start > MAX_NUMBER_DIGITS || !endsToken(b[i])) return NOT_SCANNED;
  scannedKind = kind;
  return i;
}

/** true/false/null: the rest of the word, then the end, whitespace or a separator. */
function literal(b: Uint8Array, i: number, c1: number, c2: number, c3: number, c4: number): number {
  if (b[i + 1] !== c1 || b[i + 2] !== c2 || b[i + 3] !== c3) return NOT_SCANNED;
  let end = i + 4;
  if (c4 >= 0) {
    if (b[end] !== c4) return NOT_SCANNED;
    end++;
  }
  return endsToken(b[end]) ? end : NOT_SCANNED;
}

function endsToken(c: number | undefined): boolean {
  return c === undefined || c === 0x2c || c === 0x7d || c === 0x5d || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

export function hexValue(c: number | undefined): number {
  if (c === undefined) return -1;
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}
