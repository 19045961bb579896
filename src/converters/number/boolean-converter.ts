/**
 * BooleanConverter (org.apache.kafka.connect.converters.BooleanConverter): one byte, 0x01 for true
 * and 0x00 for false (BooleanSerializer); reads give OPTIONAL_BOOLEAN and reject any other byte.
 * Unlike the number converters it checks the schema, before the value, null values included.
 */
import { DataError, type Schema, Type } from '../../data/schema.js';
import { Schemas } from '../../data/schemas.js';
import { javaClassOf } from '../../data/validate.js';
import { PrimitiveConverter } from './primitive-converter.js';
import { BOOLEAN_SERDE } from './serializers.js';

export class BooleanConverter extends PrimitiveConverter<boolean> {
  constructor() {
    super('boolean', Schemas.OPTIONAL_BOOLEAN_SCHEMA, BOOLEAN_SERDE);
  }

  protected prepare(schema: Schema | null, value: unknown): boolean {
    this.checkSchema(schema);
    // Java's message here has no cause: the ClassCastException is dropped.
    if (typeof value !== 'boolean') throw new DataError(`BooleanConverter is not compatible with objects of type ${javaClassOf(value)}`);
    return value;
  }

  protected override prepareNull(schema: Schema | null): void {
    this.checkSchema(schema);
  }

  private checkSchema(schema: Schema | null): void {
    if (schema != null && schema.type !== Type.BOOLEAN) throw new DataError(`Invalid schema type for BooleanConverter: ${schema.type}`);
  }
}
