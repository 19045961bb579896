/**
 * The ready-made primitive schemas (Java's Schema.INT8_SCHEMA, Schema.OPTIONAL_INT8_SCHEMA, ...).
 * Shared, immutable instances: compare with equals(), not identity, as schemas from elsewhere
 * (a converter, a SchemaBuilder) are equal but not the same object.
 */
import { Schema, Type } from './schema.js';

const required = (type: Type): Schema => new Schema({ type });
const optional = (type: Type): Schema => new Schema({ type, optional: true });

export const Schemas = Object.freeze({
  INT8_SCHEMA: required(Type.INT8),
  INT16_SCHEMA: required(Type.INT16),
  INT32_SCHEMA: required(Type.INT32),
  INT64_SCHEMA: required(Type.INT64),
  FLOAT32_SCHEMA: required(Type.FLOAT32),
  FLOAT64_SCHEMA: required(Type.FLOAT64),
  BOOLEAN_SCHEMA: required(Type.BOOLEAN),
  STRING_SCHEMA: required(Type.STRING),
  BYTES_SCHEMA: required(Type.BYTES),

  OPTIONAL_INT8_SCHEMA: optional(Type.INT8),
  OPTIONAL_INT16_SCHEMA: optional(Type.INT16),
  OPTIONAL_INT32_SCHEMA: optional(Type.INT32),
  OPTIONAL_INT64_SCHEMA: optional(Type.INT64),
  OPTIONAL_FLOAT32_SCHEMA: optional(Type.FLOAT32),
  OPTIONAL_FLOAT64_SCHEMA: optional(Type.FLOAT64),
  OPTIONAL_BOOLEAN_SCHEMA: optional(Type.BOOLEAN),
  OPTIONAL_STRING_SCHEMA: optional(Type.STRING),
  OPTIONAL_BYTES_SCHEMA: optional(Type.BYTES),
});
