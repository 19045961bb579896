/** The Connect data model: schemas, values, logical types, records and headers. */
export * from './schema.js';
export * from './schema-builder.js';
export * from './schemas.js';
export * from './struct.js';
export * from './logical.js';
export * from './validate.js';
export * from './values.js';
export * from './headers.js';
export * from './record.js';
