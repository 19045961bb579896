/**
 * The transformations and predicates sluice ships, under Apache Kafka's class names
 * (org.apache.kafka.connect.transforms.InsertField$Value, ...). Each entry's file holds the
 * implementation; this list only names them.
 */
import type { PluginDescriptor } from '../plugins/registry.js';

export const BUILTIN_TRANSFORMS: readonly PluginDescriptor[] = [
];
