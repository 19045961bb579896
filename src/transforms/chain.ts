/**
 * The transformation chain of one connector (Kafka Connect's TransformationChain and
 * TransformationStage): the `transforms` aliases in order, each with its optional predicate. A
 * stage applies its transformation when it has no predicate, or when `predicate.test(record)`
 * differs from `negate`; the first stage that returns null drops the record and ends the chain.
 *
 * Errors say which alias failed on which record: a transformation or predicate that throws is
 * wrapped in a TransformationError naming the alias, the plugin class and the record's topic,
 * partition and (sink records) offset; the original error is its `cause`. Kafka Connect's error
 * handling treats every exception of this stage as tolerable, so callers need not tell them apart.
 */
import { ConfigError, ConnectError } from '../api/errors.js';
import type { Predicate, Transformation } from '../api/transformation.js';
// Type-only: the chain is built from the runtime's view of a connector config, but plugins never import the runtime.
import type { ConnectorConfig } from '../config/connector-config.js';
import { type ConnectRecord, SinkRecord } from '../data/record.js';
import type { PluginRegistry } from '../plugins/registry.js';

const PREDICATES_CONFIG = 'predicates';

/** One step of the chain: a transformation and, optionally, the predicate deciding when it applies. */
export interface TransformationStage<R extends ConnectRecord<R>> {
  readonly alias: string;
  readonly className: string;
  readonly transformation: Transformation<R>;
  readonly predicate: { readonly alias: string; readonly className: string; readonly instance: Predicate<R> } | null;
  readonly negate: boolean;
}

/** A transformation or predicate threw while handling a record. */
export class TransformationError extends ConnectError {
  constructor(
    /** The `transforms` alias of the stage. */
    readonly alias: string,
    /** Whether the stage's predicate or its transformation threw. */
    readonly failedIn: 'predicate' | 'transformation',
    message: string,
    cause: unknown,
  ) {
    super(message, { cause });
  }
}

/** How a record is named in messages: topic, partition and, for a sink record, offset. */
export function describeRecord<R extends ConnectRecord<R>>(record: R): string {
  const where = `topic '${record.topic}', partition ${record.kafkaPartition ?? 'null'}`;
  return record instanceof SinkRecord ? `${where}, offset ${record.kafkaOffset}` : where;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/**
 * The error for a stage's predicate that threw on the record described by `where` (see
 * describeRecord); shared with the batch path (batch/compiled-chain.ts) so both say the same.
 */
export function predicateFailure<R extends ConnectRecord<R>>(stage: TransformationStage<R>, where: string, e: unknown): TransformationError {
  const p = stage.predicate!;
  return new TransformationError(stage.alias, 'predicate',
    `Predicate '${p.alias}' (${p.className}) of transformation '${stage.alias}' failed on the record from ${where}: ${messageOf(e)}`, e);
}

/** The error for a stage's transformation that threw on the record described by `where`. */
export function transformationFailure<R extends ConnectRecord<R>>(stage: TransformationStage<R>, where: string, e: unknown): TransformationError {
  return new TransformationError(stage.alias, 'transformation',
    `Transformation '${stage.alias}' (${stage.className}) failed on the record from ${where}: ${messageOf(e)}`, e);
}

export class TransformationChain<R extends ConnectRecord<R>> {
  private constructor(private readonly stages: readonly TransformationStage<R>[]) {}

  /**
   * Creates and configures every transformation of `transforms` and the predicates they use
   * (a new predicate instance per stage, as Kafka Connect does).
   * @throws ConfigError naming the alias, for an unknown type, a predicate alias missing from
   *   `predicates`, or a plugin whose configure() rejects its configs; nothing stays open.
   */
  static fromConfig<R extends ConnectRecord<R>>(config: ConnectorConfig, registry: PluginRegistry): TransformationChain<R> {
    const stages: TransformationStage<R>[] = [];
    // Everything created so far, closed if a later alias fails.
    const opened: { close(): void }[] = [];
    const definedPredicates = new Set(config.getList(PREDICATES_CONFIG));
    try {
      for (const t of config.transformations()) {
        const prefix = `transforms.${t.alias}.`;
        const descriptor = resolve(() => registry.transformation(t.type), `${prefix}type`, `Transformation '${t.alias}'`);
        const transformation = descriptor.create() as Transformation<R>;
        opened.push(transformation);
        configurePlugin(() => transformation.configure(t.configs), prefix, `Transformation '${t.alias}' (${descriptor.className})`);
        let predicate: TransformationStage<R>['predicate'] = null;
        if (t.predicate !== null) {
          if (!definedPredicates.has(t.predicate)) {
            throw new ConfigError(
              `Transformation '${t.alias}' refers to predicate '${t.predicate}' in '${prefix}predicate', ` +
                `but '${PREDICATES_CONFIG}' does not list it`,
              `${prefix}predicate`,
            );
          }
          const p = config.predicate(t.predicate);
          const predicatePrefix = `${PREDICATES_CONFIG}.${p.alias}.`;
          const pd = resolve(() => registry.predicate(p.type), `${predicatePrefix}type`, `Predicate '${p.alias}'`);
          const instance = pd.create() as Predicate<R>;
          opened.push(instance);
          configurePlugin(() => instance.configure(p.configs), predicatePrefix, `Predicate '${p.alias}' (${pd.className})`);
          predicate = { alias: p.alias, className: pd.className, instance };
        }
        stages.push({ alias: t.alias, className: descriptor.className, transformation, predicate, negate: t.negate });
      }
    } catch (e) {
      closeQuietly(opened);
      throw e;
    }
    return new TransformationChain(stages);
  }

  /** True when the connector has no transformations: apply() returns every record as it is. */
  get isEmpty(): boolean {
    return this.stages.length === 0;
  }

  /** The `transforms` aliases, in order. */
  get aliases(): string[] {
    return this.stages.map((s) => s.alias);
  }

  /** The stages in order, for compiling the chain onto the batch path (batch/compiled-chain.ts). */
  get stageList(): readonly TransformationStage<R>[] {
    return this.stages;
  }

  /**
   * The record after every stage, or null when a stage dropped it.
   * @throws TransformationError when a predicate or transformation throws.
   */
  apply(record: R): R | null {
    let current: R = record;
    for (const stage of this.stages) {
      if (stage.predicate) {
        let matches: boolean;
        try {
          matches = stage.predicate.instance.test(current);
        } catch (e) {
          throw predicateFailure(stage, describeRecord(current), e);
        }
        if (matches === stage.negate) continue;
      }
      let next: R | null;
      try {
        next = stage.transformation.apply(current);
      } catch (e) {
        throw transformationFailure(stage, describeRecord(current), e);
      }
      if (next === null) return null;
      current = next;
    }
    return current;
  }

  /** Closes every transformation and predicate; one that throws does not keep the others open. */
  close(): void {
    closeQuietly(this.stages.flatMap((s) => (s.predicate ? [s.transformation, s.predicate.instance] : [s.transformation])));
  }
}

function resolve<T>(find: () => T, key: string, what: string): T {
  try {
    return find();
  } catch (e) {
    throw new ConfigError(`${what}: ${(e as Error).message}`, key, { cause: e });
  }
}

/** Runs configure(); its error is rethrown as a ConfigError naming the alias and, when known, the full key. */
function configurePlugin(configure: () => void, prefix: string, what: string): void {
  try {
    configure();
  } catch (e) {
    const key = e instanceof ConfigError && e.key ? prefix + e.key : undefined;
    throw new ConfigError(`${what} has an invalid configuration: ${(e as Error).message}`, key, { cause: e });
  }
}

/** Closes each, in order, ignoring failures (Kafka Connect's Utils.closeQuietly). */
function closeQuietly(plugins: readonly { close(): void }[]): void {
  for (const plugin of plugins) {
    try {
      plugin.close();
    } catch {
      // one plugin failing to close must not keep the others open
    }
  }
}
