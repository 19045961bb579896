/**
 * The transformations and predicates sluice ships, under Apache Kafka's class names
 * (org.apache.kafka.connect.transforms.InsertField$Value, ...). Each entry's file holds the
 * implementation; this list only names them.
 */
import type { PluginDescriptor } from '../plugins/registry.js';
import { Cast, CAST_CLASS } from './cast.js';
import { EXTRACT_FIELD_CLASS, ExtractField } from './extract-field.js';
import { Flatten, FLATTEN_CLASS } from './flatten.js';
import { HOIST_FIELD_CLASS, HoistField } from './hoist-field.js';
import { MASK_FIELD_CLASS, MaskField } from './mask-field.js';
import { REPLACE_FIELD_CLASS, ReplaceField } from './replace-field.js';
import { SET_SCHEMA_METADATA_CLASS, SetSchemaMetadata } from './set-schema-metadata.js';
import { TIMESTAMP_CONVERTER_CLASS, TimestampConverter } from './timestamp-converter.js';
import { DropHeaders } from './drop-headers.js';
import { Filter } from './filter.js';
import { HEADER_FROM_CLASS, HeaderFrom } from './header-from.js';
import { INSERT_FIELD_CLASS, InsertField } from './insert-field.js';
import { InsertHeader } from './insert-header.js';
import { HasHeaderKey } from './predicates/has-header-key.js';
import { RecordIsTombstone } from './predicates/record-is-tombstone.js';
import { TopicNameMatches } from './predicates/topic-name-matches.js';
import { RegexRouter } from './regex-router.js';
import { TimestampRouter } from './timestamp-router.js';
import { ValueToKey } from './value-to-key.js';
import { BUILTIN_TRANSFORM_VERSION, keyAndValueVariants } from './util/plugin-variants.js';

export const BUILTIN_TRANSFORMS: readonly PluginDescriptor[] = [
  ...keyAndValueVariants(CAST_CLASS, (part) => new Cast(part)),
  ...keyAndValueVariants(EXTRACT_FIELD_CLASS, (part) => new ExtractField(part)),
  ...keyAndValueVariants(FLATTEN_CLASS, (part) => new Flatten(part)),
  ...keyAndValueVariants(HOIST_FIELD_CLASS, (part) => new HoistField(part)),
  ...keyAndValueVariants(SET_SCHEMA_METADATA_CLASS, (part) => new SetSchemaMetadata(part)),
  ...keyAndValueVariants(MASK_FIELD_CLASS, (part) => new MaskField(part)),
  ...keyAndValueVariants(REPLACE_FIELD_CLASS, (part) => new ReplaceField(part)),
  ...keyAndValueVariants(TIMESTAMP_CONVERTER_CLASS, (part) => new TimestampConverter(part)),
  // Routing, headers, filtering and predicates.
  ...keyAndValueVariants(INSERT_FIELD_CLASS, (part) => new InsertField(part)),
  ...keyAndValueVariants(HEADER_FROM_CLASS, (part) => new HeaderFrom(part)),
  single('transformation', 'org.apache.kafka.connect.transforms.ValueToKey', () => new ValueToKey()),
  single('transformation', 'org.apache.kafka.connect.transforms.DropHeaders', () => new DropHeaders()),
  single('transformation', 'org.apache.kafka.connect.transforms.InsertHeader', () => new InsertHeader()),
  single('transformation', 'org.apache.kafka.connect.transforms.RegexRouter', () => new RegexRouter()),
  single('transformation', 'org.apache.kafka.connect.transforms.TimestampRouter', () => new TimestampRouter()),
  single('transformation', 'org.apache.kafka.connect.transforms.Filter', () => new Filter()),
  single('predicate', 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches', () => new TopicNameMatches()),
  single('predicate', 'org.apache.kafka.connect.transforms.predicates.HasHeaderKey', () => new HasHeaderKey()),
  single('predicate', 'org.apache.kafka.connect.transforms.predicates.RecordIsTombstone', () => new RecordIsTombstone()),
];

/** A transformation or predicate without Key/Value variants. */
function single(kind: 'transformation' | 'predicate', className: string, create: () => unknown): PluginDescriptor {
  return { kind, className, version: BUILTIN_TRANSFORM_VERSION, create };
}
