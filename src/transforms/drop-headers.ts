/**
 * DropHeaders (org.apache.kafka.connect.transforms.DropHeaders): removes every header whose key
 * is in `headers`.
 */
import { AbstractConfig, ConfigDef, ConfigType, Importance, ValidList } from '../api/config-def.js';
import type { Transformation } from '../api/transformation.js';
import { Headers } from '../data/headers.js';
import type { ConnectRecord } from '../data/record.js';
import { BATCH_KERNEL, type HasBatchKernel, type TransformKernel } from './batch/kernel.js';
import type { WorkingRecord } from './batch/working-record.js';

export const DROP_HEADERS_OVERVIEW_DOC = 'Removes one or more headers from each record.';

const HEADERS_CONFIG = 'headers';

const CONFIG_DEF = new ConfigDef().define({
  name: HEADERS_CONFIG, type: ConfigType.LIST, validator: ValidList.anyNonDuplicateValues(false, false),
  importance: Importance.HIGH, documentation: 'The name of the headers to be removed.',
});

export class DropHeaders<R extends ConnectRecord<R>> implements Transformation<R>, HasBatchKernel<TransformKernel> {
  private headers: ReadonlySet<string> = new Set();

  configure(configs: Record<string, string>): void {
    this.headers = new Set(new AbstractConfig(CONFIG_DEF, configs).getList(HEADERS_CONFIG));
  }

  apply(record: R): R | null {
    return record.newRecord(record.topic, record.kafkaPartition, record.keySchema, record.key, record.valueSchema,
      record.value, record.timestamp, this.kept(record.headers));
  }

  private kept(headers: Headers): Headers {
    const updated = new Headers();
    for (const header of headers) if (!this.headers.has(header.key)) updated.add(header);
    return updated;
  }

  /** apply() on a working record: new headers only when one of them goes. */
  [BATCH_KERNEL](): TransformKernel {
    const drop = this.headers;
    return {
      apply: (w: WorkingRecord): boolean => {
        for (const header of w.headers) {
          if (drop.has(header.key)) {
            w.headers = this.kept(w.headers);
            w.headersOwned = true;
            break;
          }
        }
        return true;
      },
    };
  }

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  close(): void {}
}
