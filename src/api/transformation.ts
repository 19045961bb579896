/**
 * Single message transforms and their predicates (org.apache.kafka.connect.transforms.Transformation
 * and org.apache.kafka.connect.transforms.predicates.Predicate). A transformation sees one record at
 * a time and returns the record to pass on, or null to drop it; the runtime applies the chain in
 * the order of `transforms`, with `predicate`/`negate` deciding per record whether a step applies.
 *
 * Records are immutable: a transformation builds its result with `record.newRecord(...)`.
 */
import type { ConfigDef } from './config-def.js';
import type { ConnectRecord } from '../data/record.js';

export interface Transformation<R extends ConnectRecord<R> = any> {
  /** Configure with the transformation's own keys (`transforms.<alias>.` stripped, type/predicate/negate removed). */
  configure(configs: Record<string, string>): void;
  /** The transformed record, the same record, or null to drop it. @throws DataError for a record it cannot transform. */
  apply(record: R): R | null;
  config(): ConfigDef;
  close(): void;
}

export interface Predicate<R extends ConnectRecord<R> = any> {
  /** Configure with the predicate's own keys (`predicates.<alias>.` stripped, type removed). */
  configure(configs: Record<string, string>): void;
  test(record: R): boolean;
  config(): ConfigDef;
  close(): void;
}
