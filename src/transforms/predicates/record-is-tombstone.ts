/**
 * RecordIsTombstone (org.apache.kafka.connect.transforms.predicates.RecordIsTombstone): true for
 * records whose value is null, whatever their value schema.
 */
import { ConfigDef } from '../../api/config-def.js';
import type { Predicate } from '../../api/transformation.js';
import type { ConnectRecord } from '../../data/record.js';

export const RECORD_IS_TOMBSTONE_OVERVIEW_DOC =
  'A predicate which is true for records which are tombstones (i.e. have null value).';

const CONFIG_DEF = new ConfigDef();

export class RecordIsTombstone<R extends ConnectRecord<R>> implements Predicate<R> {
  configure(_configs: Record<string, string>): void {}

  test(record: R): boolean {
    return record.value === null || record.value === undefined;
  }

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  close(): void {}

  toString(): string {
    return 'RecordIsTombstone{}';
  }
}
