/**
 * Field steps: what a value transformation does to a schemaless value (a Map of top-level
 * fields), said in terms of named fields only, so that the runtime can run it on fields that
 * are still bytes in a batch frame (json-text/scanned-fields.ts) without making the Map.
 *
 * A kernel offers one (TransformKernel.fieldStep) when, for a schemaless Map value, its apply()
 * reads and writes only the fields it names, through get/set/delete, and nothing else of the
 * record but its topic, partition, offset and timestamp. The step runs the same code as the
 * kernel's schemaless branch: only the storage differs.
 *
 * The contract the runtime relies on:
 *  - `names` holds every field the step may touch (a name outside it is an error of the step,
 *    and the runtime falls back to the Map);
 *  - the step has no effect outside `fields` (caches aside): if it throws, the runtime runs the
 *    record again the usual way, which raises the error as Kafka Connect does.
 */
import type { WorkingRecord } from './working-record.js';

/** The part of a Map a field step uses: a Map<string, unknown> is one. */
export interface FieldMap {
  /** The field's value as JsonConverter made it, undefined when the field is absent. */
  get(name: string): unknown;
  /** Sets the field: an existing field keeps its place, a new one goes last (Map order). */
  set(name: string, value: unknown): unknown;
  delete(name: string): boolean;
}

export interface FieldStep {
  /** Every field the step may read or write. */
  readonly names: readonly string[];
  /** True when apply() reads the record's topic, partition, offset or timestamp from `w`. */
  readonly readsRecord: boolean;
  /** Applies the step to the value's fields; false drops the record. */
  apply(fields: StepFields, w: WorkingRecord): boolean;
}

/** What a step is given: a FieldMap that can also drop every field but some (ReplaceField's `include`). */
export interface StepFields extends FieldMap {
  /** Removes every field whose name is not in `keep` (all of them in `names`), keeping the order of the rest. */
  retain(keep: ReadonlySet<string>): void;
}
