/**
 * Kafka's primitive serializers and deserializers (org.apache.kafka.common.serialization.
 * {Integer,Long,Short,Float,Double,Boolean}{Serializer,Deserializer}): fixed-size big-endian bytes,
 * null in both directions for null. The size messages are Java's, word for word, including the
 * Float/Double ones that say only "Deserializer" (their byte[] variant, the one converters call).
 *
 * Values here are already checked to fit (see number-converters.ts): these functions only lay
 * bytes. They sit on the per-record path (keys especially), so they shift bytes by hand instead of
 * making a DataView per value, and avoid bigint arithmetic for longs that fit in a double.
 */

/** org.apache.kafka.common.errors.SerializationException. */
export class SerializationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SerializationException';
  }
}

/** One fixed-size primitive format: how to write a value and read it back. */
export interface PrimitiveSerde<T> {
  /** Bytes per value. */
  readonly size: number;
  /** The simple name Java's size message uses ("IntegerDeserializer", or just "Deserializer"). */
  readonly deserializerName: string;
  /** Writes `value` into out[0, size). */
  write(out: Uint8Array, value: T): void;
  /** Reads bytes[0, size). */
  read(bytes: Uint8Array): T;
}

const TWO_32 = 4294967296;

// Floats go through one scratch word, copied in big-endian order whatever the host's order.
const scratch = new ArrayBuffer(8);
const scratchF32 = new Float32Array(scratch, 0, 1);
const scratchF64 = new Float64Array(scratch, 0, 1);
const scratchBytes = new Uint8Array(scratch);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function copyOut(out: Uint8Array, size: number): void {
  for (let i = 0; i < size; i++) out[i] = scratchBytes[LITTLE_ENDIAN ? size - 1 - i : i]!;
}

function copyIn(bytes: Uint8Array, size: number): void {
  for (let i = 0; i < size; i++) scratchBytes[LITTLE_ENDIAN ? size - 1 - i : i] = bytes[i]!;
}

function writeInt32(out: Uint8Array, offset: number, x: number): void {
  out[offset] = x >>> 24;
  out[offset + 1] = x >>> 16;
  out[offset + 2] = x >>> 8;
  out[offset + 3] = x;
}

function readInt32(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
}

export const SHORT_SERDE: PrimitiveSerde<number> = {
  size: 2,
  deserializerName: 'ShortDeserializer',
  write(out, x) {
    out[0] = x >>> 8;
    out[1] = x;
  },
  read: (b) => (((b[0]! << 8) | b[1]!) << 16) >> 16,
};

export const INTEGER_SERDE: PrimitiveSerde<number> = {
  size: 4,
  deserializerName: 'IntegerDeserializer',
  write: (out, x) => writeInt32(out, 0, x),
  read: (b) => readInt32(b, 0),
};

/** Writes a bigint, or an integral number (exact below 2^53), as a signed 64-bit big-endian long. */
export const LONG_SERDE: PrimitiveSerde<bigint | number> & { read(bytes: Uint8Array): bigint } = {
  size: 8,
  deserializerName: 'LongDeserializer',
  write(out, x) {
    if (typeof x === 'number') {
      const hi = Math.floor(x / TWO_32);
      writeInt32(out, 0, hi);
      writeInt32(out, 4, x - hi * TWO_32);
    } else {
      writeInt32(out, 0, Number(BigInt.asIntN(32, x >> 32n)));
      writeInt32(out, 4, Number(BigInt.asUintN(32, x)));
    }
  },
  read(b) {
    const hi = readInt32(b, 0);
    const lo = readInt32(b, 4) >>> 0;
    // Within ±2^53 the double is exact and one BigInt() is cheaper than bigint arithmetic.
    if (hi >= -0x200000 && hi < 0x200000) return BigInt(hi * TWO_32 + lo);
    return (BigInt(hi) << 32n) | BigInt(lo);
  },
};

// FloatSerializer writes floatToRawIntBits, DoubleSerializer doubleToLongBits (NaN canonical): a
// JavaScript NaN is the canonical one, so both come out as Java writes Float.NaN/Double.NaN.
export const FLOAT_SERDE: PrimitiveSerde<number> = {
  size: 4,
  deserializerName: 'Deserializer',
  write(out, x) {
    scratchF32[0] = x;
    copyOut(out, 4);
  },
  read(b) {
    copyIn(b, 4);
    return scratchF32[0]!;
  },
};

export const DOUBLE_SERDE: PrimitiveSerde<number> = {
  size: 8,
  deserializerName: 'Deserializer',
  write(out, x) {
    scratchF64[0] = x;
    copyOut(out, 8);
  },
  read(b) {
    copyIn(b, 8);
    return scratchF64[0]!;
  },
};

export const BOOLEAN_SERDE: PrimitiveSerde<boolean> = {
  size: 1,
  deserializerName: 'BooleanDeserializer',
  write(out, x) {
    out[0] = x ? 1 : 0;
  },
  read(b) {
    if (b[0] === 1) return true;
    if (b[0] === 0) return false;
    // Java prints the byte signed: 0xff is -1.
    throw new SerializationError(`Unexpected byte received by BooleanDeserializer: ${(b[0]! << 24) >> 24}`);
  },
};

/** Serializer.serialize: null for null, else exactly `serde.size` bytes. */
export function serialize<T>(serde: PrimitiveSerde<T>, value: T | null): Uint8Array | null {
  if (value === null) return null;
  const out = new Uint8Array(serde.size);
  serde.write(out, value);
  return out;
}

/** Deserializer.deserialize(topic, byte[]): null for null; a SerializationError for a wrong size. */
export function deserialize<T>(serde: PrimitiveSerde<T>, bytes: Uint8Array | null): T | null {
  if (bytes === null) return null;
  if (bytes.byteLength !== serde.size) {
    throw new SerializationError(`Size of data received by ${serde.deserializerName} is not ${serde.size}`);
  }
  return serde.read(bytes);
}
