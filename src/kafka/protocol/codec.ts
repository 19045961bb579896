/**
 * Kafka's primitive wire types (https://kafka.apache.org/protocol#protocol_types), read and
 * written big-endian. "Compact" types are the flexible-version forms: lengths as unsigned varints
 * holding length + 1 (0 = null), and every struct ends in a tagged-field section.
 */

/** Builds a request body; every write returns `this` so codecs read like the BNF they implement. */
export class Writer {
  private chunks: Buffer[] = [];

  int8(v: number): this {
    const b = Buffer.alloc(1);
    b.writeInt8(v);
    return this.raw(b);
  }

  int16(v: number): this {
    const b = Buffer.alloc(2);
    b.writeInt16BE(v);
    return this.raw(b);
  }

  int32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    return this.raw(b);
  }

  int64(v: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(v);
    return this.raw(b);
  }

  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }

  unsignedVarint(v: number): this {
    const bytes: number[] = [];
    let rest = v >>> 0;
    while (rest >= 0x80) {
      bytes.push((rest & 0x7f) | 0x80);
      rest >>>= 7;
    }
    bytes.push(rest);
    return this.raw(Buffer.from(bytes));
  }

  /** STRING / NULLABLE_STRING: int16 length (-1 = null), UTF-8 bytes. */
  string(v: string | null): this {
    if (v === null) return this.int16(-1);
    const b = Buffer.from(v, 'utf8');
    return this.int16(b.length).raw(b);
  }

  /** COMPACT_STRING / COMPACT_NULLABLE_STRING. */
  compactString(v: string | null): this {
    if (v === null) return this.unsignedVarint(0);
    const b = Buffer.from(v, 'utf8');
    return this.unsignedVarint(b.length + 1).raw(b);
  }

  /** BYTES / NULLABLE_BYTES: int32 length (-1 = null). */
  bytes(v: Uint8Array | null): this {
    if (v === null) return this.int32(-1);
    return this.int32(v.length).raw(Buffer.from(v.buffer, v.byteOffset, v.length));
  }

  /** COMPACT_BYTES / COMPACT_NULLABLE_BYTES. */
  compactBytes(v: Uint8Array | null): this {
    if (v === null) return this.unsignedVarint(0);
    return this.unsignedVarint(v.length + 1).raw(Buffer.from(v.buffer, v.byteOffset, v.length));
  }

  /** ARRAY / nullable ARRAY: int32 count (-1 = null), then each element. */
  array<T>(items: readonly T[] | null, writeItem: (w: this, item: T) => void): this {
    if (items === null) return this.int32(-1);
    this.int32(items.length);
    for (const item of items) writeItem(this, item);
    return this;
  }

  /** COMPACT_ARRAY / nullable COMPACT_ARRAY. */
  compactArray<T>(items: readonly T[] | null, writeItem: (w: this, item: T) => void): this {
    if (items === null) return this.unsignedVarint(0);
    this.unsignedVarint(items.length + 1);
    for (const item of items) writeItem(this, item);
    return this;
  }

  /** An empty tagged-field section: sluice never sends tagged fields. */
  emptyTaggedFields(): this {
    return this.unsignedVarint(0);
  }

  raw(b: Buffer): this {
    this.chunks.push(b);
    return this;
  }

  build(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** Thrown when a frame ends before its schema does, or holds an impossible length. */
export class ProtocolDecodeError extends Error {
  override readonly name = 'ProtocolDecodeError';
}

/** Reads a response body; `what` names the structure in decode errors. */
export class Reader {
  private pos = 0;

  constructor(private readonly buf: Buffer, private readonly what = 'response') {}

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(n: number): number {
    if (n < 0 || this.pos + n > this.buf.length) {
      throw new ProtocolDecodeError(`${this.what} is truncated: needs ${n} more bytes at offset ${this.pos} of ${this.buf.length}`);
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  int8(): number {
    return this.buf.readInt8(this.need(1));
  }

  int16(): number {
    return this.buf.readInt16BE(this.need(2));
  }

  int32(): number {
    return this.buf.readInt32BE(this.need(4));
  }

  int64(): bigint {
    return this.buf.readBigInt64BE(this.need(8));
  }

  bool(): boolean {
    return this.int8() !== 0;
  }

  unsignedVarint(): number {
    let value = 0;
    for (let shift = 0; shift <= 28; shift += 7) {
      const b = this.buf.readUInt8(this.need(1));
      value |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return value >>> 0;
    }
    throw new ProtocolDecodeError(`${this.what} holds a varint longer than 5 bytes at offset ${this.pos}`);
  }

  string(): string {
    const s = this.nullableString();
    if (s === null) throw new ProtocolDecodeError(`${this.what} holds a null where a string is required (offset ${this.pos})`);
    return s;
  }

  nullableString(): string | null {
    const len = this.int16();
    if (len < 0) return null;
    const at = this.need(len);
    return this.buf.toString('utf8', at, at + len);
  }

  compactString(): string {
    const s = this.compactNullableString();
    if (s === null) throw new ProtocolDecodeError(`${this.what} holds a null where a string is required (offset ${this.pos})`);
    return s;
  }

  compactNullableString(): string | null {
    const len = this.unsignedVarint() - 1;
    if (len < 0) return null;
    const at = this.need(len);
    return this.buf.toString('utf8', at, at + len);
  }

  nullableBytes(): Buffer | null {
    const len = this.int32();
    if (len < 0) return null;
    const at = this.need(len);
    return this.buf.subarray(at, at + len);
  }

  bytes(): Buffer {
    return this.nullableBytes() ?? Buffer.alloc(0);
  }

  compactNullableBytes(): Buffer | null {
    const len = this.unsignedVarint() - 1;
    if (len < 0) return null;
    const at = this.need(len);
    return this.buf.subarray(at, at + len);
  }

  compactBytes(): Buffer {
    return this.compactNullableBytes() ?? Buffer.alloc(0);
  }

  /** ARRAY: null arrays read as null. */
  nullableArray<T>(readItem: (r: this) => T): T[] | null {
    const n = this.int32();
    if (n < 0) return null;
    this.checkCount(n);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(readItem(this));
    return out;
  }

  array<T>(readItem: (r: this) => T): T[] {
    return this.nullableArray(readItem) ?? [];
  }

  compactNullableArray<T>(readItem: (r: this) => T): T[] | null {
    const n = this.unsignedVarint() - 1;
    if (n < 0) return null;
    this.checkCount(n);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(readItem(this));
    return out;
  }

  compactArray<T>(readItem: (r: this) => T): T[] {
    return this.compactNullableArray(readItem) ?? [];
  }

  /** Skips a tagged-field section: sluice reads no tagged field of the APIs it speaks. */
  skipTaggedFields(): void {
    const count = this.unsignedVarint();
    for (let i = 0; i < count; i++) {
      this.unsignedVarint(); // tag
      this.need(this.unsignedVarint());
    }
  }

  /** Every element takes at least one byte, so a count beyond the bytes left is corrupt. */
  private checkCount(n: number): void {
    if (n > this.remaining) throw new ProtocolDecodeError(`${this.what} claims ${n} array elements with ${this.remaining} bytes left`);
  }
}
