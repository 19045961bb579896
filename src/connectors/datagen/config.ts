/**
 * Config names and definitions of the Datagen benchmark source, shared by connector and task.
 *
 * Record layout (what checkers rely on):
 * - Sequence numbers: task i of T emits i, i+T, i+2T, … so the tasks of one connector never repeat
 *   a number and, with `count`=N, the connector emits exactly 0..N-1 (task i gets
 *   floor(N/T) + (i < N mod T ? 1 : 0) of them).
 * - Source partition `{"task": i}`, source offset `{"seq": <sequence of the record>}`.
 * - format=bytes: value schema OPTIONAL_BYTES, `record.size` bytes; bytes 0–7 hold the sequence as
 *   an unsigned 64-bit big-endian integer, the rest is printable filler that depends only on
 *   `seed`, `record.size` and the sequence (see generator.ts). Keys, when there are any, are 8
 *   bytes big-endian too (OPTIONAL_BYTES), so ByteArrayConverter carries both.
 * - format=json: schemaless Map value `{"seq":…,"ts":…,"user":"user-…","action":…,"payload":"xxx…"}`
 *   whose `payload` pads the JSON text (as JsonConverter with schemas.enable=false writes it) to
 *   exactly `record.size` bytes when it can. Keys are INT64.
 */
import {
  ConfigDef, ConfigType, Importance, invalidValue, LambdaValidator, NonEmptyString, Range, ValidString,
} from '../../api/config-def.js';

export const TOPIC_CONFIG = 'topic';
export const RECORD_SIZE_CONFIG = 'record.size';
export const COUNT_CONFIG = 'count';
export const RATE_CONFIG = 'rate';
export const KEY_PATTERN_CONFIG = 'key.pattern';
export const KEY_CARDINALITY_CONFIG = 'key.cardinality';
export const FORMAT_CONFIG = 'format';
export const BATCH_SIZE_CONFIG = 'batch.size';
export const SEED_CONFIG = 'seed';

/** Added by the connector to each task config: which task this is, and of how many. */
export const TASK_INDEX_CONFIG = 'datagen.task.index';
export const TASK_COUNT_CONFIG = 'datagen.task.count';

export const KEY_PATTERN_NONE = 'none';
export const KEY_PATTERN_SEQUENCE = 'sequence';
export const KEY_PATTERN_RANDOM = 'random';
export type KeyPattern = typeof KEY_PATTERN_NONE | typeof KEY_PATTERN_SEQUENCE | typeof KEY_PATTERN_RANDOM;

export const FORMAT_BYTES = 'bytes';
export const FORMAT_JSON = 'json';
export type Format = typeof FORMAT_BYTES | typeof FORMAT_JSON;

export const DEFAULT_RECORD_SIZE = 100;
export const DEFAULT_BATCH_SIZE = 2000;
export const DEFAULT_KEY_CARDINALITY = 1000;
/** Bytes 0–7 of a bytes value carry the sequence, so a value has at least that many. */
export const MIN_RECORD_SIZE = 8;
/** One value is built in one batch buffer: keep it well below what a Kafka message may hold anyway. */
export const MAX_RECORD_SIZE = 64 * 1024 * 1024;

/** Source partition and offset fields. */
export const TASK_FIELD = 'task';
export const SEQ_FIELD = 'seq';

export const DATAGEN_CONNECTOR_VERSION = '0.1.0';

/** -1 ("no bound") or a value passing `ok`. */
function minusOneOr(description: string, ok: (n: number) => boolean, message: string): LambdaValidator {
  return LambdaValidator.with((name, value) => {
    if (value === null || value === undefined) throw invalidValue(name, null, 'Value must be non-null');
    const n = Number(value);
    if (n !== -1 && !ok(n)) throw invalidValue(name, value, message);
  }, description);
}

export const CONFIG_DEF = new ConfigDef()
  .define({
    name: TOPIC_CONFIG,
    type: ConfigType.STRING,
    validator: new NonEmptyString(),
    importance: Importance.HIGH,
    documentation: 'The topic to write the generated records to.',
  })
  .define({
    name: RECORD_SIZE_CONFIG,
    type: ConfigType.INT,
    defaultValue: DEFAULT_RECORD_SIZE,
    validator: Range.between(MIN_RECORD_SIZE, MAX_RECORD_SIZE),
    importance: Importance.HIGH,
    documentation:
      'Size of each record value in bytes. With format=bytes the value has exactly this many bytes, the first 8 ' +
      'holding the sequence number (unsigned 64-bit big-endian). With format=json the payload field pads the ' +
      'serialized JSON (JsonConverter, schemas.enable=false) to this size, or as close as the other fields allow.',
  })
  .define({
    name: COUNT_CONFIG,
    type: ConfigType.LONG,
    defaultValue: -1,
    validator: minusOneOr('-1 or [0,...]', (n) => n >= 0, 'Value must be -1 (unbounded) or at least 0'),
    importance: Importance.HIGH,
    documentation:
      'Total number of records the connector produces, split across its tasks; -1 for no end. Counted against ' +
      'committed source offsets, so a restarted task produces only what is left.',
  })
  .define({
    name: RATE_CONFIG,
    type: ConfigType.DOUBLE,
    defaultValue: -1,
    validator: minusOneOr('-1 or (0,...]', (n) => n > 0, 'Value must be -1 (as fast as possible) or greater than 0'),
    importance: Importance.HIGH,
    documentation:
      'Records per second for the whole connector, split evenly across its tasks (token bucket, at most one second ' +
      'of burst); -1 produces as fast as the pipeline takes records.',
  })
  .define({
    name: KEY_PATTERN_CONFIG,
    type: ConfigType.STRING,
    defaultValue: KEY_PATTERN_NONE,
    validator: ValidString.in(KEY_PATTERN_NONE, KEY_PATTERN_SEQUENCE, KEY_PATTERN_RANDOM),
    importance: Importance.MEDIUM,
    documentation:
      'Record keys: none (null keys), sequence (the sequence number) or random (a number in [0, key.cardinality) ' +
      'derived from the seed and the sequence). Keys are 8-byte big-endian bytes with format=bytes and INT64 with ' +
      'format=json.',
    dependents: [KEY_CARDINALITY_CONFIG],
  })
  .define({
    name: KEY_CARDINALITY_CONFIG,
    type: ConfigType.INT,
    defaultValue: DEFAULT_KEY_CARDINALITY,
    validator: Range.atLeast(1),
    importance: Importance.LOW,
    documentation: 'Number of distinct keys when key.pattern=random.',
  })
  .define({
    name: FORMAT_CONFIG,
    type: ConfigType.STRING,
    defaultValue: FORMAT_BYTES,
    validator: ValidString.in(FORMAT_BYTES, FORMAT_JSON),
    importance: Importance.HIGH,
    documentation:
      'bytes: OPTIONAL_BYTES values for ByteArrayConverter. json: schemaless map values ' +
      '{"seq","ts","user","action","payload"} for JsonConverter with schemas.enable=false.',
  })
  .define({
    name: BATCH_SIZE_CONFIG,
    type: ConfigType.INT,
    defaultValue: DEFAULT_BATCH_SIZE,
    validator: Range.atLeast(1),
    importance: Importance.LOW,
    documentation: 'The maximum number of records each poll of a task returns.',
  })
  .define({
    name: SEED_CONFIG,
    type: ConfigType.LONG,
    defaultValue: 0,
    importance: Importance.LOW,
    documentation:
      'Seed of the generated contents (filler bytes, users, actions, random keys). The same seed, record.size ' +
      'and sequence always give the same record.',
  });

/** What a task parses: the connector's configs and the two the connector adds per task. */
export const TASK_CONFIG_DEF = new ConfigDef(CONFIG_DEF)
  .define({
    name: TASK_INDEX_CONFIG,
    type: ConfigType.INT,
    defaultValue: 0,
    validator: Range.atLeast(0),
    importance: Importance.LOW,
    documentation: 'Internal: the index of this task among the connector\'s tasks.',
  })
  .define({
    name: TASK_COUNT_CONFIG,
    type: ConfigType.INT,
    defaultValue: 1,
    validator: Range.atLeast(1),
    importance: Importance.LOW,
    documentation: 'Internal: how many tasks the connector runs.',
  });
