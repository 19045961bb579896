/** Schema helpers shared by the transforms (org.apache.kafka.connect.transforms.util.SchemaUtil). */
import type { Schema } from '../../data/schema.js';
import { SchemaBuilder } from '../../data/schema-builder.js';
import { Type } from '../../data/schema.js';

/**
 * A builder with `source`'s name, version, doc and parameters, on `builder` if given, else on a new
 * builder of the same type (same key and value schemas for maps and arrays). Optionality, default
 * and fields are not copied: each transform decides those.
 */
export function copySchemaBasics(source: Schema, builder?: SchemaBuilder): SchemaBuilder {
  let b = builder;
  if (!b) {
    if (source.type === Type.ARRAY) b = SchemaBuilder.array(source.valueSchema!);
    else if (source.type === Type.MAP) b = SchemaBuilder.map(source.keySchema!, source.valueSchema!);
    else b = SchemaBuilder.type(source.type);
  }
  if (source.name !== null) b.name(source.name);
  if (source.version !== null) b.version(source.version);
  if (source.doc !== null) b.doc(source.doc);
  if (source.parameters !== null) b.parameters(source.parameters);
  return b;
}
