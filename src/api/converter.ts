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
}

export interface HeaderConverter {
  configure(configs: Record<string, string>): void;
  fromConnectHeader(topic: string, headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null;
  toConnectHeader(topic: string, headerKey: string, bytes: Uint8Array | null): SchemaAndValue;
  config(): ConfigDef;
}
