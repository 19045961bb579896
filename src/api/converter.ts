/** Converters between Kafka bytes and Connect data (org.apache.kafka.connect.storage.Converter). */
import type { Headers } from '../data/headers.js';
import type { Schema } from '../data/schema.js';
import type { ConfigDef } from './config-def.js';

export interface SchemaAndValue {
  schema: Schema | null;
  value: unknown;
}

export interface Converter {
  /** Configure with the converter's own keys (prefix already stripped). */
  configure(configs: Record<string, string>, isKey: boolean): void;
  fromConnectData(topic: string, headers: Headers | null, schema: Schema | null, value: unknown): Uint8Array | null;
  toConnectData(topic: string, headers: Headers | null, bytes: Uint8Array | null): SchemaAndValue;
  config(): ConfigDef;
  /**
   * False when toConnectData never keeps a reference to the bytes it is given (it decodes them
   * into new values). The runtime then hands it views over the batch frame instead of copies.
   * Left undefined, the runtime assumes the converter may keep them and copies.
   */
  readonly keepsInputBytes?: boolean;
  /**
   * True when the top-level value of every toConnectData result (a Map, array or Struct) is
   * made for that call alone: not cached, not a schema's default value, not shared with another
   * result. The batch path's transformations may then change it in place instead of copying it
   * first. Left undefined, the runtime assumes it may be shared.
   */
  readonly returnsNewValues?: boolean;
  /**
   * True when toConnectData never throws, whatever the bytes: a runtime that does not need the
   * result (a sink that never reads the key) may then skip the call.
   */
  readonly neverFails?: boolean;
  /**
   * Optional fast path for sinks that print values as Java's String.valueOf does, one line per
   * record (SinkTask.putValueLines, FileStreamSink): writes the UTF-8 text of the value that
   * toConnectData(topic, null, bytes) returns, as javaToString() prints it, into `out` from `pos`
   * and returns where it ends; or -1 when it cannot do that exactly or `out` has no room. On -1
   * the runtime converts and prints as usual, which also reports bytes the converter rejects:
   * so -1 is the answer for anything unusual.
   */
  printJavaText?(bytes: Uint8Array, out: Uint8Array, pos: number): number;
}

export interface HeaderConverter {
  configure(configs: Record<string, string>): void;
  fromConnectHeader(topic: string, headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null;
  toConnectHeader(topic: string, headerKey: string, bytes: Uint8Array | null): SchemaAndValue;
  config(): ConfigDef;
  /**
   * True when toConnectHeader never throws and its schema always fits its value: converting a
   * record's headers then has no effect but the headers, and the runtime may convert them only
   * when something reads them (a record a Filter drops on its header keys never does).
   */
  readonly neverFails?: boolean;
}
