/**
 * Source offsets are keyed the way Kafka Connect keys them in its offsets topic:
 * key `["<connector>", {sourcePartition}]`, value `{sourceOffset}`, both JSON.
 * Lookups use a canonical form (sorted map keys) so that {a,b} and {b,a} name the same partition.
 */
import type { SourceMap } from '../data/record.js';

export function offsetKey(connector: string, partition: SourceMap): string {
  return canonicalJson([connector, partition]);
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'bigint') return Number(v);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}
