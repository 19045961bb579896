/**
 * The Java class a Connect value would have in Kafka Connect, for transforms whose behaviour
 * depends on it (MaskField picks its masking value by class). The schema decides where
 * JavaScript has one carrier for several Java classes (number is Byte, Short, Integer, Float or
 * Double); without a schema a bigint is a Long, an integral number an Integer or Long and any
 * other number a Double, as sluice's JsonConverter reads them.
 */
import { DecimalValue, LOGICAL_DATE, LOGICAL_TIME, LOGICAL_TIMESTAMP } from '../../data/logical.js';
import { type Schema, Type } from '../../data/schema.js';
import { Struct } from '../../data/struct.js';

export type JavaClass =
  | 'java.lang.Boolean'
  | 'java.lang.Byte'
  | 'java.lang.Short'
  | 'java.lang.Integer'
  | 'java.lang.Long'
  | 'java.lang.Float'
  | 'java.lang.Double'
  | 'java.lang.String'
  | 'java.math.BigDecimal'
  | 'java.util.Date'
  | '[B'
  | 'java.util.ArrayList'
  | 'java.util.HashMap'
  | 'org.apache.kafka.connect.data.Struct';

export function javaClassFor(schema: Schema | null, value: unknown): JavaClass | null {
  if (value == null) return null;
  // Primitives first: they are the common case, and no instanceof can match them.
  if (typeof value === 'string') return 'java.lang.String';
  if (typeof value === 'boolean') return 'java.lang.Boolean';
  if (typeof value === 'bigint') return 'java.lang.Long';
  if (value instanceof DecimalValue) return 'java.math.BigDecimal';
  if (value instanceof Date) return 'java.util.Date';
  if (value instanceof Uint8Array) return '[B';
  if (Array.isArray(value)) return 'java.util.ArrayList';
  if (value instanceof Map) return 'java.util.HashMap';
  if (value instanceof Struct) return 'org.apache.kafka.connect.data.Struct';
  if (typeof value !== 'number') return null;
  if (schema !== null && schema.name !== LOGICAL_DATE && schema.name !== LOGICAL_TIME && schema.name !== LOGICAL_TIMESTAMP) {
    switch (schema.type) {
      case Type.INT8:
        return 'java.lang.Byte';
      case Type.INT16:
        return 'java.lang.Short';
      case Type.INT32:
        return 'java.lang.Integer';
      case Type.INT64:
        return 'java.lang.Long';
      case Type.FLOAT32:
        return 'java.lang.Float';
      case Type.FLOAT64:
        return 'java.lang.Double';
      default:
        break;
    }
  }
  if (!Number.isInteger(value) || Object.is(value, -0)) return 'java.lang.Double';
  return value >= -2147483648 && value <= 2147483647 ? 'java.lang.Integer' : 'java.lang.Long';
}
