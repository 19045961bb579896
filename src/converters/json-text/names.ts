/**
 * Strings for the ASCII bytes of JSON member names and numbers, shared by JsonConverter's parser
 * and the schemaless fast paths (lazy-map.ts): the same names repeat from message to message, so
 * short ones come from a cache instead of being made anew.
 */

/** Member names of at most this many bytes are cached. */
export const MAX_CACHED_NAME = 32;
const NAME_CACHE_SLOTS = 512;
const nameCache: ({ bytes: Uint8Array; name: string } | undefined)[] = new Array(NAME_CACHE_SLOTS).fill(undefined);

/**
 * The name held by the ASCII bytes b[start, end) (no escapes, at most MAX_CACHED_NAME bytes),
 * `hash` being their 31-hash (h = h * 31 + byte, as int32): from the cache when the same bytes
 * were seen before, so no new string and its hash already computed for the Map it goes into.
 */
export function cachedName(b: Uint8Array, start: number, end: number, hash: number): string {
  const length = end - start;
  const slot = (hash ^ (hash >>> 11)) & (NAME_CACHE_SLOTS - 1);
  const cached = nameCache[slot];
  if (cached !== undefined && cached.bytes.length === length) {
    const bytes = cached.bytes;
    let k = 0;
    while (k < length && bytes[k] === b[start + k]) k++;
    if (k === length) return cached.name;
  }
  const name = asciiString(b, start, end);
  nameCache[slot] = { bytes: b.slice(start, end), name };
  return name;
}

/** Buffer's native latin1 slicing works on any Uint8Array and is about twice TextDecoder's speed. */
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice(this: Uint8Array, start: number, end: number): string }).latin1Slice;

/** An ASCII run of bytes as a string: short runs (most keys) by a loop, which beats any native call. */
export function asciiString(b: Uint8Array, start: number, end: number): string {
  if (end - start > 16) return latin1Slice.call(b, start, end);
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]!);
  return s;
}
