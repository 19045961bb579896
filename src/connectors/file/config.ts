/**
 * Config names and definitions of the FileStream connectors (org.apache.kafka.connect.file),
 * shared by connectors and tasks.
 */
import { ConfigDef, ConfigType, Importance, NonEmptyString } from '../../api/config-def.js';

export const FILE_CONFIG = 'file';
export const TOPIC_CONFIG = 'topic';
export const TASK_BATCH_SIZE_CONFIG = 'batch.size';
export const DEFAULT_TASK_BATCH_SIZE = 2000;

/** Source partition and offset fields, as Kafka Connect stores them: `{filename}` -> `{position}`. */
export const FILENAME_FIELD = 'filename';
export const POSITION_FIELD = 'position';

/** The version the FileStream plugins report (Kafka Connect reports its own release for them). */
export const FILE_CONNECTOR_VERSION = '0.1.0';

export const SOURCE_CONFIG_DEF = new ConfigDef()
  .define({
    name: FILE_CONFIG,
    type: ConfigType.STRING,
    defaultValue: null,
    importance: Importance.HIGH,
    documentation: 'Source filename. If not specified, the standard input will be used',
  })
  .define({
    name: TOPIC_CONFIG,
    type: ConfigType.STRING,
    validator: new NonEmptyString(),
    importance: Importance.HIGH,
    documentation: 'The topic to publish data to',
  })
  .define({
    name: TASK_BATCH_SIZE_CONFIG,
    type: ConfigType.INT,
    defaultValue: DEFAULT_TASK_BATCH_SIZE,
    importance: Importance.LOW,
    documentation: 'The maximum number of records the source task can read from the file each time it is polled',
  });

export const SINK_CONFIG_DEF = new ConfigDef().define({
  name: FILE_CONFIG,
  type: ConfigType.STRING,
  defaultValue: null,
  importance: Importance.HIGH,
  documentation: 'Destination filename. If not specified, the standard output will be used',
});
