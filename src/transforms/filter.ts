/**
 * Filter (org.apache.kafka.connect.transforms.Filter): drops every record. It is meant to run
 * under a predicate (`transforms.<alias>.predicate`), so that only the matching (or, negated, the
 * non-matching) records are dropped.
 */
import { ConfigDef } from '../api/config-def.js';
import type { Transformation } from '../api/transformation.js';
import type { ConnectRecord } from '../data/record.js';
import { BATCH_KERNEL, type HasBatchKernel, type TransformKernel } from './batch/kernel.js';

export const FILTER_OVERVIEW_DOC =
  'Drops all records, filtering them from subsequent transformations in the chain. ' +
  'This is intended to be used conditionally to filter out records matching (or not matching) ' +
  'a particular Predicate.';

const CONFIG_DEF = new ConfigDef();

/** On the batch path a Filter clears the record's selection bit; nothing is read. */
const FILTER_KERNEL: TransformKernel = {
  apply: () => false,
  applyToFrame: () => false,
  fieldStep: { names: [], readsRecord: false, apply: () => false },
};

export class Filter<R extends ConnectRecord<R>> implements Transformation<R>, HasBatchKernel<TransformKernel> {
  configure(_configs: Record<string, string>): void {}

  apply(_record: R): R | null {
    return null;
  }

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  close(): void {}

  [BATCH_KERNEL](): TransformKernel {
    return FILTER_KERNEL;
  }
}
