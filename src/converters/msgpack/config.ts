/**
 * MsgPackConverter's configuration: `schemas.enable` and `schemas.cache.size` as JsonConverter has
 * them (but schemas are off by default: plain MessagePack is what other MessagePack readers expect),
 * plus msgpackr's record structures (`msgpack.shared.structures`, `msgpack.structures`).
 */
import { ConfigDef, ConfigType, Importance, invalidValue, LambdaValidator, Range, Width } from '../../api/config-def.js';
import { newConverterConfigDef, withConverterType } from '../string.js';

export const SCHEMAS_ENABLE_CONFIG = 'schemas.enable';
export const SCHEMAS_CACHE_SIZE_CONFIG = 'schemas.cache.size';
export const SHARED_STRUCTURES_CONFIG = 'msgpack.shared.structures';
export const STRUCTURES_CONFIG = 'msgpack.structures';

/** The field-name lists of `msgpack.structures`, or a ConfigError naming the key. */
export function parseStructures(text: string): string[][] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw invalidValue(STRUCTURES_CONFIG, text, `not JSON: ${(e as Error).message}`);
  }
  const ok =
    Array.isArray(parsed) &&
    parsed.every((s) => Array.isArray(s) && s.length > 0 && s.every((k) => typeof k === 'string') && new Set(s).size === s.length);
  if (!ok) {
    throw invalidValue(
      STRUCTURES_CONFIG,
      text,
      'must be a JSON array of structures, each a non-empty array of distinct field names, e.g. [["id","name"],["seq","ts"]]',
    );
  }
  return parsed as string[][];
}

export const MSGPACK_CONFIG_DEF: ConfigDef = newConverterConfigDef()
  .define({
    name: SCHEMAS_ENABLE_CONFIG,
    type: ConfigType.BOOLEAN,
    defaultValue: false,
    importance: Importance.HIGH,
    documentation:
      'Wrap each message in a {"schema": <JsonConverter schema JSON>, "payload": <value>} MessagePack map so the ' +
      'Connect schema (int8..int64, float32/64, bytes, Decimal, Date, Time, Timestamp, structs) survives the trip. ' +
      'Off: plain MessagePack values with no schema.',
    group: 'Schemas',
    orderInGroup: 0,
    width: Width.MEDIUM,
    displayName: 'Enable Schemas',
  })
  .define({
    name: SCHEMAS_CACHE_SIZE_CONFIG,
    type: ConfigType.INT,
    defaultValue: 1000,
    validator: Range.atLeast(0),
    importance: Importance.HIGH,
    documentation: 'The maximum number of schemas that can be cached in this converter instance.',
    group: 'Schemas',
    orderInGroup: 1,
    width: Width.MEDIUM,
    displayName: 'Schema Cache Size',
  })
  .define({
    name: SHARED_STRUCTURES_CONFIG,
    type: ConfigType.BOOLEAN,
    defaultValue: false,
    importance: Importance.MEDIUM,
    documentation:
      "Write structs as msgpackr records: the field names of the structures listed in msgpack.structures are not " +
      'written at all, other shapes carry their field names once per message. Smaller and faster, but only msgpackr ' +
      'reads records, and a reader must be configured with exactly the same msgpack.structures. Off: standard ' +
      'MessagePack maps that any MessagePack library reads.',
    group: 'MessagePack',
    orderInGroup: 0,
    width: Width.SHORT,
    displayName: 'Shared record structures',
    dependents: [STRUCTURES_CONFIG],
  })
  .define({
    name: STRUCTURES_CONFIG,
    type: ConfigType.STRING,
    defaultValue: '[]',
    validator: LambdaValidator.with((_name, value) => void parseStructures(String(value)), 'JSON array of arrays of field names'),
    importance: Importance.MEDIUM,
    documentation:
      'With msgpack.shared.structures=true: the shared structures, a JSON array of field-name lists such as ' +
      '[["id","name","ts"]]. A struct whose field names are exactly one of these lists, in order, is written as a ' +
      'reference to it. The list is fixed by this config and never grows at run time, so every writer and reader ' +
      'configured alike agrees on it; append new structures at the end and never reorder or remove one that data ' +
      'on a topic still uses.',
    group: 'MessagePack',
    orderInGroup: 1,
    width: Width.LONG,
    displayName: 'Shared record structures (list)',
  });

export interface MsgPackConfig {
  schemasEnabled: boolean;
  schemasCacheSize: number;
  sharedStructures: string[][] | null;
}

export function parseMsgPackConfig(configs: Readonly<Record<string, string>>, isKey: boolean | undefined): MsgPackConfig {
  const parsed = MSGPACK_CONFIG_DEF.parse(withConverterType(configs, isKey));
  return {
    schemasEnabled: parsed[SCHEMAS_ENABLE_CONFIG] as boolean,
    schemasCacheSize: parsed[SCHEMAS_CACHE_SIZE_CONFIG] as number,
    sharedStructures: (parsed[SHARED_STRUCTURES_CONFIG] as boolean) ? parseStructures(parsed[STRUCTURES_CONFIG] as string) : null,
  };
}
