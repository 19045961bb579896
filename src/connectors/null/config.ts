/** Config names and definitions of the Null benchmark sink, shared by connector and task. */
import { ConfigDef, ConfigType, Importance, Range } from '../../api/config-def.js';

export const LOG_EVERY_RECORDS_CONFIG = 'log.every.records';
export const LATENCY_FILE_CONFIG = 'latency.file';
export const LATENCY_VALUE_SIZE_CONFIG = 'latency.value.size';
/** Added by the connector to each task config, so progress lines say which task they come from. */
export const TASK_INDEX_CONFIG = 'null.task.index';

export const NULL_CONNECTOR_VERSION = '0.1.0';

export const CONFIG_DEF = new ConfigDef().define({
  name: LOG_EVERY_RECORDS_CONFIG,
  type: ConfigType.LONG,
  defaultValue: 0,
  validator: Range.atLeast(0),
  importance: Importance.LOW,
  documentation:
    'Each task logs its record and byte counts and its rate every time this many more records have arrived, and ' +
    'once more when it stops; 0 logs nothing.',
}).define({
  name: LATENCY_FILE_CONFIG,
  type: ConfigType.STRING,
  defaultValue: '',
  importance: Importance.LOW,
  documentation:
    'When set, each task records every record\'s end-to-end latency (arrival time minus the record\'s timestamp, ' +
    'in ms) in an HDR histogram and writes it when it stops to <latency.file>.task-<n>.json: count, p50, p99, ' +
    'p99.9, max and the histogram itself (compressed base64, mergeable across tasks). For benchmarks: the ' +
    'producer must stamp records with CreateTime.',
}).define({
  name: LATENCY_VALUE_SIZE_CONFIG,
  type: ConfigType.INT,
  defaultValue: -1,
  validator: Range.atLeast(-1),
  importance: Importance.LOW,
  documentation:
    'With latency.file: count only records whose value is exactly this many bytes (-1: all), so a benchmark ' +
    'can send warm-up records of another size while the consumer group forms without them counting.',
});

export const TASK_CONFIG_DEF = new ConfigDef(CONFIG_DEF).define({
  name: TASK_INDEX_CONFIG,
  type: ConfigType.INT,
  defaultValue: 0,
  validator: Range.atLeast(0),
  importance: Importance.LOW,
  documentation: "Internal: the index of this task among the connector's tasks.",
});
