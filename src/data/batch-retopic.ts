/**
 * Copies a batch frame with its topics renamed: what a MirrorMaker task does to a consumed frame
 * before the producer sends it on (source topic `orders` → `us-east.orders`). Partitions,
 * offsets, timestamps, keys, values and headers are the same bytes; only the topic table changes.
 *
 * Readers locate every section through the header's offsets (batch.ts), so the copy keeps the
 * frame's bytes as they are and appends a new topic table after them; the old table stays in
 * place, unreferenced. One memcpy and a few header words per frame, nothing per record.
 */
import { align8, BatchHeader, BatchFormatError, topicTableBytes } from './batch.js';
import { utf8Length } from './batch-writer.js';

const encoder = new TextEncoder();

function readI32(b: Uint8Array, p: number): number {
  return b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
}

function writeI32(b: Uint8Array, p: number, v: number): void {
  b[p] = v;
  b[p + 1] = v >> 8;
  b[p + 2] = v >> 16;
  b[p + 3] = v >> 24;
}

/** Bytes the frame takes once its topics are `names` (an upper bound for `retopicFrame`'s target). */
export function retopicFrameBytes(frame: Uint8Array, names: readonly string[]): number {
  let nameBytes = 0;
  for (const n of names) nameBytes += utf8Length(n);
  return align8(frameLength(frame)) + topicTableBytes(names.length, nameBytes);
}

function frameLength(frame: Uint8Array): number {
  const length = readI32(frame, BatchHeader.FRAME_LENGTH);
  if (length < 0 || length > frame.length) throw new BatchFormatError(`frame length ${length} outside 0..${frame.length}`);
  return length;
}

/**
 * Writes `frame` into `target` with topic id j renamed to `names[j]` (one name per entry of the
 * frame's topic table, in order) and returns the new frame's length.
 * @throws BatchFormatError when `names` does not match the frame's topic count or `target` is too small.
 */
export function retopicFrame(frame: Uint8Array, target: Uint8Array, names: readonly string[]): number {
  const topicCount = readI32(frame, BatchHeader.TOPIC_COUNT);
  if (names.length !== topicCount) {
    throw new BatchFormatError(`the frame has ${topicCount} topics, ${names.length} new names were given`);
  }
  const length = frameLength(frame);
  const encoded = names.map((n) => encoder.encode(n));
  const nameBytes = encoded.reduce((sum, e) => sum + e.length, 0);
  const tableAt = align8(length);
  const total = tableAt + topicTableBytes(topicCount, nameBytes);
  if (target.length < total) throw new BatchFormatError(`the target has ${target.length} bytes, the frame needs ${total}`);
  target.set(frame.subarray(0, length), 0);
  target.fill(0, length, tableAt);
  const namesAt = tableAt + 4 * (topicCount + 1);
  let q = 0;
  for (let j = 0; j < topicCount; j++) {
    writeI32(target, tableAt + 4 * j, q);
    target.set(encoded[j]!, namesAt + q);
    q += encoded[j]!.length;
  }
  writeI32(target, tableAt + 4 * topicCount, q);
  target.fill(0, namesAt + q, total);
  writeI32(target, BatchHeader.TOPIC_TABLE, tableAt);
  writeI32(target, BatchHeader.FRAME_LENGTH, total);
  return total;
}
