/**
 * HasHeaderKey (org.apache.kafka.connect.transforms.predicates.HasHeaderKey): true for records
 * with at least one header named `name`.
 */
import { AbstractConfig, ConfigDef, ConfigType, Importance, NonEmptyString } from '../../api/config-def.js';
import type { Predicate } from '../../api/transformation.js';
import type { ConnectRecord } from '../../data/record.js';
import { frameHasHeader, HeaderName } from '../batch/frame-headers.js';
import { BATCH_KERNEL, type HasBatchKernel, type PredicateKernel } from '../batch/kernel.js';
import type { WorkingRecord } from '../batch/working-record.js';

export const HAS_HEADER_KEY_OVERVIEW_DOC =
  'A predicate which is true for records with at least one header with the configured name.';

const NAME_CONFIG = 'name';

const CONFIG_DEF = new ConfigDef().define({
  name: NAME_CONFIG, type: ConfigType.STRING, validator: new NonEmptyString(), importance: Importance.MEDIUM,
  documentation: 'The header name.',
});

export class HasHeaderKey<R extends ConnectRecord<R>> implements Predicate<R>, HasBatchKernel<PredicateKernel> {
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

  /** test() on a working record's headers, or on a frame's raw header keys (nothing decoded). */
  [BATCH_KERNEL](): PredicateKernel {
    const name = this.name;
    const header = new HeaderName(name);
    return {
      test: (w: WorkingRecord): boolean => {
        // Headers still in the frame are looked up there: their keys need no conversion.
        const frame = w.headerFrame;
        if (frame !== null) return frameHasHeader(frame, w.headerFrameIndex, header);
        for (const h of w.headers) if (h.key === name) return true;
        return false;
      },
      testFrame: (batch, i) => frameHasHeader(batch, i, header),
    };
  }
}
