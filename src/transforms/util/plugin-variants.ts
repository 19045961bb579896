/**
 * Registry entries for a transform with Key and Value variants: Kafka names them `X$Key` and
 * `X$Value`, and users write either the full name or `X$Value`.
 */
import type { Transformation } from '../../api/transformation.js';
import type { PluginDescriptor } from '../../plugins/registry.js';
import { type RecordPart, variantClassName } from './record-part.js';

/** The version sluice reports for its built-in transforms. */
export const BUILTIN_TRANSFORM_VERSION = '0.1.0';

/** `${baseClassName}$Key` and `${baseClassName}$Value`, each creating `create(part)`. */
export function keyAndValueVariants(baseClassName: string, create: (part: RecordPart) => Transformation): PluginDescriptor<Transformation>[] {
  return (['key', 'value'] as const).map((part) => ({
    kind: 'transformation' as const,
    className: variantClassName(baseClassName, part),
    version: BUILTIN_TRANSFORM_VERSION,
    create: () => create(part),
  }));
}
