/**
 * A connector's transformation chain compiled for the batch path: the same stages as
 * TransformationChain, in the same order, with the same predicate/negate rule and the same errors,
 * run as one generated function per record over a single mutable WorkingRecord.
 *
 *  - A stage whose plugin has a kernel (kernel.ts) changes the working record in place: no
 *    record per stage, no Headers copy, and field transforms on a schemaless Map change it in
 *    place once the record owns it (working-record.ts), so there is no spread, no `delete` and at
 *    most one Map copy per record for the whole chain.
 *  - A stage without one (a plugin's own transformation, or a built-in without a kernel) gets the
 *    record as a SinkRecord and runs its apply()/test(), exactly as TransformationChain does.
 *  - A Filter (any stage returning false) ends the record; the caller clears its bit in the
 *    batch's selection mask and makes a SinkRecord only for the records that survive.
 *
 * Stages are never reordered. Evaluating a header-only Filter before the value transforms that
 * precede it would skip their work on dropped records, but it would also hide the errors those
 * stages raise on such records, which Kafka Connect reports: so the order stays as configured.
 *
 * When every stage only drops or re-routes records (Filter under a predicate on topic, headers or
 * tombstones, RegexRouter, TimestampRouter), the chain can also run on the frame itself
 * (`runOnFrame`): predicates read the columns and raw header keys, routers rewrite the topic
 * column, Filter clears selection bits, and nothing is decoded. That serves sinks that take the
 * batch itself (putBatch), which see the value as its bytes: for them a tombstone is a record
 * whose value bytes are null (RecordIsTombstone), since nothing converts them.
 *
 * Why generated code: the stages are called from one loop body per chain, each call site sees
 * one kernel class and V8 inlines it; a loop over an array of kernels would be one megamorphic
 * call site for every stage.
 */
import type { Predicate, Transformation } from '../../api/transformation.js';
import type { RecordBatch } from '../../data/batch.js';
import type { SinkRecord } from '../../data/record.js';
import {
  predicateFailure, transformationFailure, type TransformationChain, type TransformationError, type TransformationStage,
} from '../chain.js';
import type { FieldStep } from './field-step.js';
import { kernelOf, type PredicateKernel, type TransformKernel } from './kernel.js';
import type { WorkingRecord } from './working-record.js';

/** A stage without a kernel: the plugin's own apply() on the record as a SinkRecord. */
class PluginTransform implements TransformKernel {
  constructor(private readonly transformation: Transformation<SinkRecord>) {}

  apply(w: WorkingRecord): boolean {
    const out = this.transformation.apply(w.toPluginRecord());
    if (out === null) return false;
    w.takeFrom(out);
    return true;
  }
}

/** A predicate without a kernel: the plugin's own test() on the record as a SinkRecord. */
class PluginPredicate implements PredicateKernel {
  constructor(private readonly predicate: Predicate<SinkRecord>) {}

  test(w: WorkingRecord): boolean {
    return this.predicate.test(w.toPluginRecord());
  }
}

interface CompiledStage {
  readonly stage: TransformationStage<SinkRecord>;
  readonly transform: TransformKernel;
  readonly predicate: PredicateKernel | null;
}

/** A stage of CompiledChain.fieldPlan(): it applies when `predicate` is null or its testFrame() differs from `negate`. */
export interface FieldPlanStage {
  readonly step: FieldStep;
  readonly predicate: PredicateKernel | null;
  readonly negate: boolean;
}

type Fail = (stage: number, inPredicate: boolean, where: () => string, e: unknown) => TransformationError;
type RecordRunner = (w: WorkingRecord) => boolean;
type FrameRunner = (batch: RecordBatch, i: number) => boolean;

export class CompiledChain {
  private readonly runRecord: RecordRunner;
  private readonly runFrame: FrameRunner | null;

  private constructor(private readonly stages: readonly CompiledStage[]) {
    const fail: Fail = (n, inPredicate, where, e) =>
      inPredicate ? predicateFailure(stages[n]!.stage, where(), e) : transformationFailure(stages[n]!.stage, where(), e);
    this.runRecord = generate(stages, 'record', fail) as RecordRunner;
    const onFrame = stages.every((s) => s.transform.applyToFrame !== undefined && (s.predicate === null || s.predicate.testFrame !== undefined));
    this.runFrame = onFrame ? (generate(stages, 'frame', fail) as FrameRunner) : null;
  }

  /** Compiles `chain`; its plugins stay owned (and closed) by the chain. */
  static compile(chain: TransformationChain<SinkRecord>): CompiledChain {
    return new CompiledChain(
      chain.stageList.map((stage) => ({
        stage,
        transform: kernelOf<TransformKernel>(stage.transformation) ?? new PluginTransform(stage.transformation),
        predicate: stage.predicate === null
          ? null
          : kernelOf<PredicateKernel>(stage.predicate.instance) ?? new PluginPredicate(stage.predicate.instance),
      })),
    );
  }

  get isEmpty(): boolean {
    return this.stages.length === 0;
  }

  /** True when every stage can run on the frame (runOnFrame). */
  get runsOnFrame(): boolean {
    return this.runFrame !== null;
  }

  /**
   * The chain as field steps (field-step.ts), when every stage has one and every predicate reads
   * the frame alone: what it does to a schemaless value, for the printer's path over fields still
   * in the frame. Null otherwise, and for an empty chain.
   */
  fieldPlan(): FieldPlanStage[] | null {
    if (this.stages.length === 0) return null;
    const plan: FieldPlanStage[] = [];
    for (const s of this.stages) {
      const step = s.transform.fieldStep;
      if (step === undefined || (s.predicate !== null && s.predicate.testFrame === undefined)) return null;
      plan.push({ step, predicate: s.predicate, negate: s.stage.negate === true });
    }
    return plan;
  }

  /** How many stages run through their plugin's own apply()/test() (for logs and tests). */
  get pluginStages(): number {
    return this.stages.filter((s) => s.transform instanceof PluginTransform || s.predicate instanceof PluginPredicate).length;
  }

  /**
   * Runs every stage on `w`, in place. False when a stage dropped the record.
   * @throws TransformationError naming the stage, as TransformationChain.apply does.
   */
  run(w: WorkingRecord): boolean {
    return this.runRecord(w);
  }

  /**
   * Runs the chain on the selected records of [from, to) of the frame itself (only when
   * runsOnFrame): dropped records get their selection bit cleared, routed ones a new topic id.
   * @throws TransformationError naming the stage and the record.
   */
  runOnFrame(batch: RecordBatch, from = 0, to = batch.count): void {
    const run = this.runFrame;
    if (run === null) throw new Error('this chain has stages that need decoded records');
    const selection = batch.selection;
    for (let i = from; i < to; i++) {
      if (selection[i] !== 0 && !run(batch, i)) selection[i] = 0;
    }
  }
}

/**
 * The runner's source: one block per stage, in order, each with its own call sites. `s` and
 * `inPredicate` say which stage and which half of it threw.
 */
function generate(stages: readonly CompiledStage[], mode: 'record' | 'frame', fail: Fail): RecordRunner | FrameRunner {
  const params: string[] = [];
  const args: unknown[] = [];
  const apply = mode === 'record' ? 'apply(w)' : 'applyToFrame(b, i)';
  const test = mode === 'record' ? 'test(w)' : 'testFrame(b, i)';
  let body = '';
  stages.forEach((s, n) => {
    params.push(`t${n}`);
    args.push(s.transform);
    body += `    s = ${n};\n`;
    if (s.predicate === null) {
      body += `    if (!t${n}.${apply}) return false;\n`;
      return;
    }
    params.push(`p${n}`);
    args.push(s.predicate);
    // TransformationChain: the stage is skipped when test() === negate.
    body +=
      `    inPredicate = true;\n    const m${n} = p${n}.${test};\n    inPredicate = false;\n` +
      `    if (m${n} !== ${s.stage.negate === true} && !t${n}.${apply}) return false;\n`;
  });
  const signature = mode === 'record' ? 'w' : 'b, i';
  const where = mode === 'record'
    ? '() => w.describe()'
    : "() => `topic '${b.topic(i)}', partition ${b.partition(i)}, offset ${b.offset(i)}`";
  const source =
    `return function ${mode === 'record' ? 'runChain' : 'runChainOnFrame'}(${signature}) {\n` +
    `  let s = -1, inPredicate = false;\n  try {\n${body}    return true;\n  } catch (e) {\n` +
    `    throw fail(s, inPredicate, ${where}, e);\n  }\n};\n`;
  // The source holds stage indices and negate flags only: no alias or other config text.
  return new Function(...params, 'fail', source)(...args, fail) as RecordRunner | FrameRunner;
}
