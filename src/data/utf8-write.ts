/**
 * Buffer's UTF-8 encoder without Buffer.write's argument handling, callable on any Uint8Array:
 * `utf8Write.call(bytes, text, offset, room)` returns the bytes written. Callers keep their own
 * bounds (hot paths that encode into a buffer they size themselves).
 */
export const utf8Write = (Buffer.prototype as unknown as { utf8Write(this: Uint8Array, text: string, offset: number, length: number): number }).utf8Write;
