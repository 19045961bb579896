/**
 * InsertHeader (org.apache.kafka.connect.transforms.InsertHeader): adds the header `header` to
 * every record, its value `value.literal` parsed as Values.parseString does ("42" is an INT8,
 * "true" a BOOLEAN, "[1,2]" an ARRAY, anything else a STRING).
 */
import { AbstractConfig, ConfigDef, ConfigType, Importance, NonNullValidator } from '../api/config-def.js';
import type { Transformation } from '../api/transformation.js';
import type { ConnectRecord } from '../data/record.js';
import type { SchemaAndValue } from '../data/schema.js';
import { parseString } from '../data/values.js';
import { BATCH_KERNEL, type HasBatchKernel, type TransformKernel } from './batch/kernel.js';
import type { WorkingRecord } from './batch/working-record.js';

export const INSERT_HEADER_OVERVIEW_DOC = 'Add a header to each record.';

const HEADER_CONFIG = 'header';
const VALUE_LITERAL_CONFIG = 'value.literal';

const CONFIG_DEF = new ConfigDef()
  .define({
    name: HEADER_CONFIG, type: ConfigType.STRING, validator: new NonNullValidator(), importance: Importance.HIGH,
    documentation: 'The name of the header.',
  })
  .define({
    name: VALUE_LITERAL_CONFIG, type: ConfigType.STRING, validator: new NonNullValidator(), importance: Importance.HIGH,
    documentation: 'The literal value that is to be set as the header value on all records.',
  });

export class InsertHeader<R extends ConnectRecord<R>> implements Transformation<R>, HasBatchKernel<TransformKernel> {
  private header = '';
  private literalValue: SchemaAndValue | null = null;

  configure(configs: Record<string, string>): void {
    const config = new AbstractConfig(CONFIG_DEF, configs);
    this.header = config.getString(HEADER_CONFIG)!;
    this.literalValue = parseString(config.getString(VALUE_LITERAL_CONFIG));
  }

  apply(record: R): R | null {
    const headers = record.headers.duplicate();
    headers.add(this.header, this.literalValue);
    return record.newRecord(record.topic, record.kafkaPartition, record.keySchema, record.key, record.valueSchema,
      record.value, record.timestamp, headers);
  }

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  close(): void {}

  /** apply() on a working record: the header is added to its (own) headers. */
  [BATCH_KERNEL](): TransformKernel {
    const header = this.header;
    const literal = this.literalValue;
    return {
      apply: (w: WorkingRecord): boolean => {
        w.mutableHeaders().add(header, literal);
        return true;
      },
    };
  }
}
