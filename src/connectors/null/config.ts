/** Config names and definitions of the Null benchmark sink, shared by connector and task. */
import { ConfigDef, ConfigType, Importance, Range } from '../../api/config-def.js';

export const LOG_EVERY_RECORDS_CONFIG = 'log.every.records';
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
});

export const TASK_CONFIG_DEF = new ConfigDef(CONFIG_DEF).define({
  name: TASK_INDEX_CONFIG,
  type: ConfigType.INT,
  defaultValue: 0,
  validator: Range.atLeast(0),
  importance: Importance.LOW,
  documentation: "Internal: the index of this task among the connector's tasks.",
});
