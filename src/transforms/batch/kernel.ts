/**
 * Kernels: what a transformation or predicate does on the batch path. A built-in plugin offers
 * one through its BATCH_KERNEL method, and the compiled chain (compiled-chain.ts) calls it on one
 * mutable WorkingRecord per record instead of calling apply()/test() on a new SinkRecord per
 * stage. A plugin without one runs through its own apply()/test() (the chain's fallback).
 *
 * The contract: a kernel does exactly what the plugin's apply()/test() does to the record it
 * stands for, with the same errors. The built-ins keep that true by running the same code as
 * apply(), minus building the record: only how the result is stored differs.
 */
import type { RecordBatch } from '../../data/batch.js';
import type { FieldStep } from './field-step.js';
import type { WorkingRecord } from './working-record.js';

export const BATCH_KERNEL = Symbol('sluice.transforms.batchKernel');

export interface TransformKernel {
  /** Transforms `w` in place; false drops the record (apply() returned null). */
  apply(w: WorkingRecord): boolean;
  /**
   * The same on record `i` of a batch frame, without decoding anything: for a stage that only
   * drops records (false) or re-routes them (it rewrites the topic column). Absent when the
   * transformation needs decoded keys, values or headers.
   */
  applyToFrame?(batch: RecordBatch, i: number): boolean;
  /**
   * What apply() does to a schemaless value Map, as a step over named fields (field-step.ts), so
   * that it can run on fields still in the frame. Absent when the stage cannot say so (key
   * stages, renames, whole-value conversions, ...).
   */
  readonly fieldStep?: FieldStep;
}

export interface PredicateKernel {
  test(w: WorkingRecord): boolean;
  /** The same on record `i` of a batch frame, reading the frame's columns and raw header keys only. */
  testFrame?(batch: RecordBatch, i: number): boolean;
}

/** A plugin that has a kernel: the kernel reflects the plugin's configuration at the time it is asked. */
export interface HasBatchKernel<K> {
  [BATCH_KERNEL](): K;
}

export function kernelOf<K>(plugin: object): K | null {
  const make = (plugin as Partial<HasBatchKernel<K>>)[BATCH_KERNEL];
  return typeof make === 'function' ? make.call(plugin) : null;
}

/**
 * A small memo for results that depend on the topic alone (routers, TopicNameMatches): topics
 * are few and their strings are shared (RecordBatch interns them), so this is one Map lookup per
 * record. Bounded, in case a router produces an unbounded set of names.
 */
export class TopicMemo<T> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly compute: (topic: string) => T, private readonly limit = 1024) {}

  get(topic: string): T {
    let v = this.entries.get(topic);
    if (v === undefined && !this.entries.has(topic)) {
      v = this.compute(topic);
      if (this.entries.size >= this.limit) this.entries.clear();
      this.entries.set(topic, v);
    }
    return v as T;
  }
}
