/**
 * Avro binary encoding through avsc, set up for Connect data: longs are bigints (Connect's INT64
 * carrier; avsc's default long refuses anything beyond 2^53), unions are always wrapped
 * ({branch: value}) so a value never has to be guessed into a branch, and logical types are left
 * to AvroData (avsc sees their underlying types).
 */
import avro from 'avsc';
import { DataError } from '../../data/schema.js';
import { avroSchemaToJson, type AvroSchema } from './avro-schema.js';

const BIGINT_LONG = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: bigint) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(n);
    return buf;
  },
  fromJSON: (json: number | string) => BigInt(json),
  toJSON: (n: bigint) => Number(n),
  isValid: (n: unknown) => typeof n === 'bigint',
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

function isLongSchema(schema: unknown): boolean {
  return schema === 'long' || (typeof schema === 'object' && schema !== null && !Array.isArray(schema) && (schema as { type?: unknown }).type === 'long');
}

/** Compiles an Avro schema for encoding and decoding. Throws a DataError if avsc rejects it. */
export class AvroCodec {
  private readonly type: avro.Type;

  constructor(readonly schema: AvroSchema) {
    try {
      this.type = avro.Type.forSchema(avroSchemaToJson(schema) as avro.Schema, {
        wrapUnions: true,
        typeHook: (s: unknown) => (isLongSchema(s) ? BIGINT_LONG : undefined),
      } as Partial<avro.ForSchemaOptions>);
    } catch (e) {
      throw new DataError(`Invalid Avro schema: ${(e as Error).message}`, { cause: e });
    }
  }

  encode(value: unknown): Buffer {
    try {
      return this.type.toBuffer(value);
    } catch (e) {
      throw new DataError(`Cannot write the value as Avro: ${(e as Error).message}`, { cause: e });
    }
  }

  /** Decodes exactly one value filling `bytes` (trailing bytes are an error, as in Java). */
  decode(bytes: Buffer): unknown {
    try {
      return this.type.fromBuffer(bytes);
    } catch (e) {
      throw new DataError(`Cannot read Avro data: ${(e as Error).message}`, { cause: e });
    }
  }
}
