/**
 * HasHeaderKey (org.apache.kafka.connect.transforms.predicates.HasHeaderKey): true for records
 * with at least one header named `name`.
 */
import { AbstractConfig, ConfigDef, ConfigType, Importance, NonEmptyString } from '../../api/config-def.js';
import type { Predicate } from '../../api/transformation.js';
import type { ConnectRecord } from '../../data/record.js';

export const HAS_HEADER_KEY_OVERVIEW_DOC =
  'A predicate which is true for records with at least one header with the configured name.';

const NAME_CONFIG = 'name';

const CONFIG_DEF = new ConfigDef().define({
  name: NAME_CONFIG, type: ConfigType.STRING, validator: new NonEmptyString(), importance: Importance.MEDIUM,
  documentation: 'The header name.',
});

export class HasHeaderKey<R extends ConnectRecord<R>> implements Predicate<R> {
  private name = '';

  configure(configs: Record<string, string>): void {
    this.name = new AbstractConfig(CONFIG_DEF, configs).getString(NAME_CONFIG)!;
  }

  test(record: R): boolean {
    return !record.headers.allWithName(this.name).next().done;
  }

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  close(): void {}

  toString(): string {
    return `HasHeaderKey{name='${this.name}'}`;
  }
}
