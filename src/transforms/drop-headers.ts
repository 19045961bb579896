/**
 * DropHeaders (org.apache.kafka.connect.transforms.DropHeaders): removes every header whose key
 * is in `headers`.
 */
import { AbstractConfig, ConfigDef, ConfigType, Importance, ValidList } from '../api/config-def.js';
import type { Transformation } from '../api/transformation.js';
import { Headers } from '../data/headers.js';
import type { ConnectRecord } from '../data/record.js';

export const DROP_HEADERS_OVERVIEW_DOC = 'Removes one or more headers from each record.';

const HEADERS_CONFIG = 'headers';

const CONFIG_DEF = new ConfigDef().define({
  name: HEADERS_CONFIG, type: ConfigType.LIST, validator: ValidList.anyNonDuplicateValues(false, false),
  importance: Importance.HIGH, documentation: 'The name of the headers to be removed.',
});

export class DropHeaders<R extends ConnectRecord<R>> implements Transformation<R> {
  private headers: ReadonlySet<string> = new Set();

  configure(configs: Record<string, string>): void {
    this.headers = new Set(new AbstractConfig(CONFIG_DEF, configs).getList(HEADERS_CONFIG));
  }

  apply(record: R): R | null {
    const updated = new Headers();
    for (const header of record.headers) if (!this.headers.has(header.key)) updated.add(header);
    return record.newRecord(record.topic, record.kafkaPartition, record.keySchema, record.key, record.valueSchema,
      record.value, record.timestamp, updated);
  }

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  close(): void {}
}
