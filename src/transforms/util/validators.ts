/**
 * Config validators Kafka 4.x's transforms use that sluice's ConfigDef does not have yet, with
 * Kafka's messages.
 */
import type { Validator } from '../../api/config-def.js';
import { ConfigError } from '../../api/errors.js';

/**
 * ConfigDef.ValidList.anyNonDuplicateValues(isEmptyAllowed, isNullAllowed=false): a list whose
 * items are non-empty; empty only when `isEmptyAllowed`.
 */
export function anyNonDuplicateValues(isEmptyAllowed: boolean): Validator {
  return {
    ensureValid(name: string, value: unknown): void {
      if (value == null) throw new ConfigError(`Configuration '${name}' values must not be null.`, name);
      const values = value as unknown[];
      if (!isEmptyAllowed && values.length === 0) {
        throw new ConfigError(`Configuration '${name}' must not be empty. Valid values include: any non-empty value`, name);
      }
      // Java's ConfigDef.parseValue drops duplicates from a ValidList-validated list (with a warning)
      // before validating, so its "values must not be duplicated" never fires when a config is
      // parsed; users who list a field twice get it once. The transforms here keep sets.
      for (const v of values) {
        if (v === '') throw new ConfigError(`Configuration '${name}' values must not be empty.`, name);
      }
    },
    toString: () => '',
  };
}
