/**
 * Java text (String.valueOf, as FileStreamSink prints it) of scanned schemaless JSON, written as
 * UTF-8 straight from the JSON bytes: the same bytes that javaToString() of JsonConverter's
 * schemaless value, encoded as UTF-8, would give (java-string.ts), without making that value.
 *
 *  - strings print as their text: the bytes between the quotes, unescaped where needed;
 *  - integers as JsonConverter reads them (INT64: leading zeros dropped, "-0" is 0, wrapped to
 *    64 bits), other numbers as the double they are (JavaScript's text, as javaToString prints a
 *    schemaless double);
 *  - arrays as "[a, b]", objects as "{k=v, k2=v2}" in member order.
 *
 * Every function returns the position after what it wrote, or NOT_PRINTED when `out` has no room
 * (the caller then takes the decoding path).
 */
import {
  CELLS, hexValue, Kind, KIND, MemberTable, NAME_END, NAME_START, NOT_SCANNED, scannedKind, scanRootObject, scanValue, VALUE_END, VALUE_START,
} from './scan.js';
import { asciiString } from './names.js';
import { copyBytes } from '../../data/shared-copy.js';
import { utf8Write } from '../../data/utf8-write.js';

export const NOT_PRINTED = -1;

/**
 * Writes the Java text of the schemaless JSON value in `b` at `out[pos]`; NOT_PRINTED when the
 * scan does not take it (see scan.ts: then decode it as usual, which also reports bad input) or
 * `out` is too small. Roots that are objects, arrays or strings are taken.
 */
export function printSchemalessJson(b: Uint8Array, out: Uint8Array, pos: number): number {
  const first = b[0];
  if (first === 0x7b) {
    return scanRootObject(b, rootTable) ? printMembers(b, rootTable, out, pos) : NOT_PRINTED;
  }
  if ((first === 0x5b || first === 0x22) && b.length >= 2 && b[1] !== 0) {
    const end = scanValue(b, 0, 1);
    return end === NOT_SCANNED ? NOT_PRINTED : printValue(b, 0, end, scannedKind, out, pos);
  }
  return NOT_PRINTED;
}

const rootTable = new MemberTable();

/** "{name=value, …}" for the members of a scanned object, in order. */
export function printMembers(b: Uint8Array, t: MemberTable, out: Uint8Array, pos: number): number {
  if (pos >= out.length) return NOT_PRINTED;
  out[pos++] = 0x7b;
  const cells = t.cells;
  for (let m = 0, c = t.base; m < t.count; m++, c += CELLS) {
    if (m > 0) pos = comma(out, pos);
    pos = printBytes(b, cells[c + NAME_START]!, cells[c + NAME_END]!, out, pos);
    if (pos === NOT_PRINTED || pos >= out.length) return NOT_PRINTED;
    out[pos++] = 0x3d;
    pos = printValue(b, cells[c + VALUE_START]!, cells[c + VALUE_END]!, cells[c + KIND] as Kind, out, pos);
    if (pos === NOT_PRINTED) return NOT_PRINTED;
  }
  if (pos >= out.length) return NOT_PRINTED;
  out[pos++] = 0x7d;
  return pos;
}

/** The Java text of one scanned value b[start, end) of kind `kind`. */
export function printValue(b: Uint8Array, start: number, end: number, kind: Kind, out: Uint8Array, pos: number): number {
  switch (kind) {
    case Kind.STRING:
      return printBytes(b, start + 1, end - 1, out, pos);
    case Kind.STRING_ESCAPED:
      return unescape(b, start + 1, end - 1, out, pos);
    case Kind.INT:
      return isPlainInteger(b, start, end) ? printBytes(b, start, end, out, pos) : printText(String(BigInt.asIntN(64, BigInt(asciiString(b, start, end)))), out, pos);
    case Kind.FLOAT:
      return isShortestDecimal(b, start, end) ? printBytes(b, start, end, out, pos) : printText(String(Number(asciiString(b, start, end))), out, pos);
    case Kind.TRUE:
    case Kind.FALSE:
    case Kind.NULL:
      return printBytes(b, start, end, out, pos);
    case Kind.ARRAY:
      return printArray(b, start, out, pos);
    case Kind.OBJECT:
      return printObject(b, start, out, pos);
  }
}

/** Digits that print as they are: no leading zero, not "-0", too few to wrap (under 2^63). */
function isPlainInteger(b: Uint8Array, start: number, end: number): boolean {
  const digits = b[start] === 0x2d ? start + 1 : start;
  return end - digits <= 18 && (b[digits] !== 0x30 || (end - digits === 1 && digits === start));
}

/**
 * True when JavaScript prints the double of this token as the token itself: plain decimal
 * notation (no exponent), no leading zero, no trailing zero, at most 15 significant digits
 * (such a decimal is the shortest text of its double) and at least 1e-6 (below, JavaScript
 * switches to exponent notation).
 */
function isShortestDecimal(b: Uint8Array, start: number, end: number): boolean {
  let i = b[start] === 0x2d ? start + 1 : start;
  const intStart = i;
  while (b[i] !== 0x2e) {
    if (i >= end || b[i]! > 0x39) return false; // an exponent
    i++;
  }
  const intDigits = i - intStart;
  if (b[end - 1] === 0x30 || (b[intStart] === 0x30 && intDigits > 1)) return false;
  for (let k = i + 1; k < end; k++) if (b[k]! > 0x39) return false;
  let significant = intDigits + (end - i - 1);
  if (intDigits === 1 && b[intStart] === 0x30) {
    let zeros = 0;
    while (b[i + 1 + zeros] === 0x30) zeros++;
    if (zeros > 5) return false;
    significant = end - i - 1 - zeros;
  }
  return significant <= 15;
}

/** The scan has checked the array already: this walk only finds its elements again. */
function printArray(b: Uint8Array, i: number, out: Uint8Array, pos: number): number {
  if (pos >= out.length) return NOT_PRINTED;
  out[pos++] = 0x5b;
  i = whitespaceEnd(b, i + 1);
  let first = true;
  while (b[i] !== 0x5d) {
    if (!first) {
      i = whitespaceEnd(b, i + 1); // past the comma
      pos = comma(out, pos);
    }
    first = false;
    const end = scanValue(b, i, 0);
    pos = printValue(b, i, end, scannedKind, out, pos);
    if (pos === NOT_PRINTED) return NOT_PRINTED;
    i = whitespaceEnd(b, end);
  }
  if (pos >= out.length) return NOT_PRINTED;
  out[pos++] = 0x5d;
  return pos;
}

function printObject(b: Uint8Array, i: number, out: Uint8Array, pos: number): number {
  if (pos >= out.length) return NOT_PRINTED;
  out[pos++] = 0x7b;
  i = whitespaceEnd(b, i + 1);
  let first = true;
  while (b[i] !== 0x7d) {
    if (!first) {
      i = whitespaceEnd(b, i + 1);
      pos = comma(out, pos);
    }
    first = false;
    let k = i + 1;
    while (b[k] !== 0x22) k++; // names have no escapes (scan.ts)
    pos = printBytes(b, i + 1, k, out, pos);
    if (pos === NOT_PRINTED || pos >= out.length) return NOT_PRINTED;
    out[pos++] = 0x3d;
    i = whitespaceEnd(b, whitespaceEnd(b, k + 1) + 1); // past the colon
    const end = scanValue(b, i, 0);
    pos = printValue(b, i, end, scannedKind, out, pos);
    if (pos === NOT_PRINTED) return NOT_PRINTED;
    i = whitespaceEnd(b, end);
  }
  if (pos >= out.length) return NOT_PRINTED;
  out[pos++] = 0x7d;
  return pos;
}

function whitespaceEnd(b: Uint8Array, i: number): number {
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x09)) i++;
  return i;
}

/** ", " (a NOT_PRINTED position stays NOT_PRINTED). */
export function comma(out: Uint8Array, pos: number): number {
  if (pos === NOT_PRINTED || pos + 2 > out.length) return NOT_PRINTED;
  out[pos] = 0x2c;
  out[pos + 1] = 0x20;
  return pos + 2;
}

/** b[start, end) as it is. */
export function printBytes(b: Uint8Array, start: number, end: number, out: Uint8Array, pos: number): number {
  const n = end - start;
  if (pos === NOT_PRINTED || pos + n > out.length) return NOT_PRINTED;
  // Short runs by a loop: subarray() + set() cost more than they save below a few dozen bytes.
  if (n < 48) {
    for (let k = 0; k < n; k++) out[pos + k] = b[start + k]!;
    return pos + n;
  }
  return copyBytes(b, start, end, out, pos);
}

/** `text` as UTF-8: short ASCII text (names, separators, numbers) by a loop, cheaper than the native call. */
export function printText(text: string, out: Uint8Array, pos: number): number {
  if (pos === NOT_PRINTED) return NOT_PRINTED;
  if (text.length <= 32 && pos + text.length <= out.length) {
    let k = 0;
    for (; k < text.length; k++) {
      const c = text.charCodeAt(k);
      if (c >= 0x80) break;
      out[pos + k] = c;
    }
    if (k === text.length) return pos + k;
  }
  // 3 bytes per UTF-16 unit is the most UTF-8 needs.
  if (pos + 3 * text.length > out.length && pos + Buffer.byteLength(text) > out.length) return NOT_PRINTED;
  return pos + utf8Write.call(out, text, pos, out.length - pos);
}

/**
 * A string's escaped text as the JavaScript string the parser makes of it would be encoded by
 * Buffer's UTF-8 encoder: \uXXXX pairs of surrogates become one 4-byte character, a lone
 * surrogate becomes U+FFFD (EF BF BD), as the encoder writes it.
 */
function unescape(b: Uint8Array, start: number, end: number, out: Uint8Array, pos: number): number {
  // At most 3 output bytes per input byte (a \uXXXX of 6 bytes writes at most 3).
  if (pos + 3 * (end - start) > out.length) return NOT_PRINTED;
  let i = start;
  while (i < end) {
    const c = b[i]!;
    if (c !== 0x5c) {
      out[pos++] = c;
      i++;
      continue;
    }
    const e = b[i + 1]!;
    i += 2;
    switch (e) {
      case 0x62:
        out[pos++] = 0x08;
        continue;
      case 0x66:
        out[pos++] = 0x0c;
        continue;
      case 0x6e:
        out[pos++] = 0x0a;
        continue;
      case 0x72:
        out[pos++] = 0x0d;
        continue;
      case 0x74:
        out[pos++] = 0x09;
        continue;
      case 0x75:
        break;
      default: // " \ /
        out[pos++] = e;
        continue;
    }
    let code = hex4(b, i);
    i += 4;
    if (code >= 0xd800 && code <= 0xdbff && b[i] === 0x5c && b[i + 1] === 0x75) {
      const low = hex4(b, i + 2);
      if (low >= 0xdc00 && low <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i += 6;
      }
    }
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd;
    pos = utf8Encode(code, out, pos);
  }
  return pos;
}

function hex4(b: Uint8Array, i: number): number {
  return (hexValue(b[i]) << 12) | (hexValue(b[i + 1]) << 8) | (hexValue(b[i + 2]) << 4) | hexValue(b[i + 3]);
}

function utf8Encode(code: number, out: Uint8Array, pos: number): number {
  if (code < 0x80) {
    out[pos] = code;
    return pos + 1;
  }
  if (code < 0x800) {
    out[pos] = 0xc0 | (code >> 6);
    out[pos + 1] = 0x80 | (code & 0x3f);
    return pos + 2;
  }
  if (code < 0x10000) {
    out[pos] = 0xe0 | (code >> 12);
    out[pos + 1] = 0x80 | ((code >> 6) & 0x3f);
    out[pos + 2] = 0x80 | (code & 0x3f);
    return pos + 3;
  }
  out[pos] = 0xf0 | (code >> 18);
  out[pos + 1] = 0x80 | ((code >> 12) & 0x3f);
  out[pos + 2] = 0x80 | ((code >> 6) & 0x3f);
  out[pos + 3] = 0x80 | (code & 0x3f);
  return pos + 4;
}
