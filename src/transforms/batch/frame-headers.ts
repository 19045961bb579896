/** Header lookups on a batch frame's raw header blocks, without decoding ASCII keys. */
import type { RecordBatch } from '../../data/batch.js';

const encoder = new TextEncoder();

/** A header name, with its UTF-8 bytes for comparing against a frame's raw keys. */
export class HeaderName {
  readonly bytes: Uint8Array;

  constructor(readonly name: string) {
    this.bytes = encoder.encode(name);
  }
}

/**
 * Whether record `i` has at least one header named `name`, as the key the runtime decodes
 * (HeaderCursor.key()) would say. An ASCII key decodes to itself, so its bytes are compared; any
 * other key is decoded first, since decoding may change it (a BOM is dropped, invalid UTF-8
 * becomes U+FFFD).
 */
export function frameHasHeader(batch: RecordBatch, i: number, name: HeaderName): boolean {
  if (batch.headerLengths[i]! <= 0) return false;
  const bytes = batch.bytes;
  const want = name.bytes;
  const cursor = batch.headers(i);
  next: while (cursor.next()) {
    const at = cursor.keyOffset;
    const n = cursor.keyLength;
    let ascii = true;
    for (let k = 0; k < n; k++) {
      if (bytes[at + k]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (!ascii) {
      if (cursor.key() === name.name) return true;
      continue;
    }
    if (n !== want.length) continue;
    for (let k = 0; k < n; k++) if (bytes[at + k] !== want[k]) continue next;
    return true;
  }
  return false;
}
