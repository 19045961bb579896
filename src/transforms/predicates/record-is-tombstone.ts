/**
 * RecordIsTombstone (org.apache.kafka.connect.transforms.predicates.RecordIsTombstone): true for
 * records whose value is null, whatever their value schema.
 */
import { ConfigDef } from '../../api/config-def.js';
import type { Predicate } from '../../api/transformation.js';
import type { ConnectRecord } from '../../data/record.js';
import { BATCH_KERNEL, type HasBatchKernel, type PredicateKernel } from '../batch/kernel.js';

export const RECORD_IS_TOMBSTONE_OVERVIEW_DOC =
  'A predicate which is true for records which are tombstones (i.e. have null value).';

const CONFIG_DEF = new ConfigDef();

/**
 * On a working record: its converted value is null. On a frame, which a batch-aware sink reads
 * as bytes with no converter in between: its value bytes are null (Kafka's tombstone).
 */
const TOMBSTONE_KERNEL: PredicateKernel = {
  test: (w) => w.value === null || w.value === undefined,
  testFrame: (batch, i) => batch.valueLengths[i]! < 0,
};

export class RecordIsTombstone<R extends ConnectRecord<R>> implements Predicate<R>, HasBatchKernel<PredicateKernel> {
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

  [BATCH_KERNEL](): PredicateKernel {
    return TOMBSTONE_KERNEL;
  }
}
