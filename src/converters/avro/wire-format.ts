/**
 * Confluent's wire format: magic byte 0, the schema id as a 4-byte big-endian int, then the Avro
 * binary encoding of the value.
 */
import { DataError } from '../../data/schema.js';

export const MAGIC_BYTE = 0;
export const ID_SIZE = 4;
export const HEADER_SIZE = 1 + ID_SIZE;

export function frame(schemaId: number, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(HEADER_SIZE + payload.length);
  out[0] = MAGIC_BYTE;
  out.writeInt32BE(schemaId, 1);
  out.set(payload, HEADER_SIZE);
  return out;
}

export interface Unframed {
  schemaId: number;
  payload: Buffer;
}

/** Splits a message into schema id and payload; throws "Unknown magic byte!" as Confluent does. */
export function unframe(bytes: Uint8Array): Unframed {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < HEADER_SIZE || buf[0] !== MAGIC_BYTE) throw new DataError('Unknown magic byte!');
  return { schemaId: buf.readInt32BE(1), payload: buf.subarray(HEADER_SIZE) };
}
