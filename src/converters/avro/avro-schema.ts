/**
 * An in-memory Avro schema model with Avro's own JSON reading and writing rules, so that sluice
 * registers the same schema text as the Java Avro library (Schema.toString) would write:
 *   - a named type (record, enum, fixed) is written in full once, then by name;
 *   - names are written relative to the enclosing namespace, "namespace" only where it changes;
 *   - key order: type, name, namespace, doc, fields|symbols|size|items|values, then properties.
 * Reading resolves name references (with namespace inheritance) into shared objects.
 */
import { DataError } from '../../data/schema.js';

export type AvroPrimitiveName = 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'bytes' | 'string';
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const PRIMITIVES: ReadonlySet<string> = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

interface Base {
  /** Extra properties (connect.name, logicalType, ...), in insertion order. */
  props: Map<string, Json>;
}

export interface AvroPrimitive extends Base {
  type: AvroPrimitiveName;
}

interface Named extends Base {
  name: string;
  namespace: string | null;
  doc: string | null;
}

export interface AvroField {
  name: string;
  type: AvroSchema;
  doc: string | null;
  /** undefined: no default (a JSON null is a default of null). */
  default: Json | undefined;
  props: Map<string, Json>;
}

export interface AvroRecord extends Named {
  type: 'record';
  fields: AvroField[];
}

export interface AvroEnum extends Named {
  type: 'enum';
  symbols: string[];
  default: string | null;
}

export interface AvroFixed extends Named {
  type: 'fixed';
  size: number;
}

export interface AvroArray extends Base {
  type: 'array';
  items: AvroSchema;
}

export interface AvroMap extends Base {
  type: 'map';
  values: AvroSchema;
}

export interface AvroUnion {
  type: 'union';
  branches: AvroSchema[];
}

export type AvroNamed = AvroRecord | AvroEnum | AvroFixed;
export type AvroSchema = AvroPrimitive | AvroNamed | AvroArray | AvroMap | AvroUnion;

export function primitive(type: AvroPrimitiveName): AvroPrimitive {
  return { type, props: new Map() };
}

export function isNamed(schema: AvroSchema): schema is AvroNamed {
  return schema.type === 'record' || schema.type === 'enum' || schema.type === 'fixed';
}

export function fullName(schema: AvroNamed): string {
  return schema.namespace ? `${schema.namespace}.${schema.name}` : schema.name;
}

/** "a.b.C" -> ["a.b", "C"]; "C" -> [null, "C"] (AvroData.splitName). */
export function splitName(name: string): [string | null, string] {
  const dot = name.lastIndexOf('.');
  return dot >= 0 ? [name.slice(0, dot), name.slice(dot + 1)] : [null, name];
}

/** Avro's name for a schema's type: the full name of a named type, else the type ("int", "union"). */
export function typeName(schema: AvroSchema): string {
  return isNamed(schema) ? fullName(schema) : schema.type;
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

/** The schema as Avro's Schema.toString() writes it. */
export function avroSchemaToString(schema: AvroSchema): string {
  return JSON.stringify(toJson(schema, new Set(), null));
}

/** The schema as a JSON value (named types after the first use become name references). */
export function avroSchemaToJson(schema: AvroSchema): Json {
  return toJson(schema, new Set(), null);
}

function toJson(schema: AvroSchema, written: Set<AvroNamed>, space: string | null): Json {
  switch (schema.type) {
    case 'union':
      return schema.branches.map((b) => toJson(b, written, space));
    case 'array':
      return withProps({ type: 'array', items: toJson(schema.items, written, space) }, schema.props);
    case 'map':
      return withProps({ type: 'map', values: toJson(schema.values, written, space) }, schema.props);
    case 'record':
    case 'enum':
    case 'fixed': {
      if (written.has(schema)) return schema.namespace == null || schema.namespace === space ? schema.name : fullName(schema);
      written.add(schema);
      const out: { [key: string]: Json } = { type: schema.type, name: schema.name };
      if (schema.namespace != null) {
        if (schema.namespace !== space) out.namespace = schema.namespace;
      } else if (space != null) {
        out.namespace = '';
      }
      if (schema.doc != null) out.doc = schema.doc;
      if (schema.type === 'record') {
        const inner = schema.namespace;
        out.fields = schema.fields.map((f) => {
          const field: { [key: string]: Json } = { name: f.name, type: toJson(f.type, written, inner) };
          if (f.doc != null) field.doc = f.doc;
          if (f.default !== undefined) field.default = f.default;
          return withProps(field, f.props);
        });
      } else if (schema.type === 'enum') {
        out.symbols = [...schema.symbols];
        if (schema.default != null) out.default = schema.default;
      } else {
        out.size = schema.size;
      }
      return withProps(out, schema.props);
    }
    default:
      return schema.props.size === 0 ? schema.type : withProps({ type: schema.type }, schema.props);
  }
}

function withProps(out: { [key: string]: Json }, props: Map<string, Json>): { [key: string]: Json } {
  for (const [k, v] of props) out[k] = v;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

const RESERVED: Record<string, ReadonlySet<string>> = {
  record: new Set(['type', 'name', 'namespace', 'doc', 'fields', 'aliases']),
  enum: new Set(['type', 'name', 'namespace', 'doc', 'symbols', 'default', 'aliases']),
  fixed: new Set(['type', 'name', 'namespace', 'doc', 'size', 'aliases']),
  array: new Set(['type', 'items']),
  map: new Set(['type', 'values']),
  field: new Set(['name', 'type', 'doc', 'default', 'order', 'aliases']),
  primitive: new Set(['type']),
};

/** Parses Avro schema text (as a registry returns it). Throws a DataError naming what is wrong. */
export function parseAvroSchema(text: string): AvroSchema {
  let json: Json;
  try {
    json = JSON.parse(text) as Json;
  } catch (e) {
    throw new DataError(`Invalid Avro schema (not JSON): ${(e as Error).message}`);
  }
  return fromJson(json, new Map(), null);
}

function fromJson(json: Json, names: Map<string, AvroNamed>, space: string | null): AvroSchema {
  if (typeof json === 'string') {
    if (PRIMITIVES.has(json)) return primitive(json as AvroPrimitiveName);
    const found = names.get(json.includes('.') || space == null ? json : `${space}.${json}`) ?? names.get(json);
    if (!found) throw new DataError(`Invalid Avro schema: undefined name "${json}"`);
    return found;
  }
  if (Array.isArray(json)) return { type: 'union', branches: json.map((b) => fromJson(b, names, space)) };
  if (json === null || typeof json !== 'object') throw new DataError(`Invalid Avro schema: ${JSON.stringify(json)}`);
  const type = json.type;
  if (typeof type !== 'string') {
    // {"type": {...}} or {"type": [...]}: a nested schema in the type position.
    if (type !== undefined && type !== null) return fromJson(type, names, space);
    throw new DataError(`Invalid Avro schema: no type in ${JSON.stringify(json)}`);
  }
  switch (type) {
    case 'record':
    case 'error':
    case 'enum':
    case 'fixed': {
      const rawName = json.name;
      if (typeof rawName !== 'string') throw new DataError(`Invalid Avro schema: a ${type} needs a name`);
      let [ns, name] = splitName(rawName);
      if (ns == null) ns = typeof json.namespace === 'string' ? json.namespace || null : space;
      const doc = typeof json.doc === 'string' ? json.doc : null;
      const kind = type === 'error' ? 'record' : type;
      const props = extraProps(json, RESERVED[kind]!);
      let named: AvroNamed;
      if (kind === 'record') {
        const record: AvroRecord = { type: 'record', name, namespace: ns, doc, fields: [], props };
        named = record;
        names.set(fullName(record), record); // before the fields: they may refer to it
        const fields = Array.isArray(json.fields) ? json.fields : [];
        for (const f of fields) {
          if (f === null || typeof f !== 'object' || Array.isArray(f) || typeof f.name !== 'string' || f.type === undefined) {
            throw new DataError(`Invalid Avro schema: bad field in record ${fullName(record)}`);
          }
          record.fields.push({
            name: f.name,
            type: fromJson(f.type, names, ns),
            doc: typeof f.doc === 'string' ? f.doc : null,
            default: f.default,
            props: extraProps(f, RESERVED.field!),
          });
        }
        return record;
      }
      if (kind === 'enum') {
        const symbols = Array.isArray(json.symbols) ? json.symbols.filter((s): s is string => typeof s === 'string') : [];
        named = { type: 'enum', name, namespace: ns, doc, symbols, default: typeof json.default === 'string' ? json.default : null, props };
      } else {
        if (typeof json.size !== 'number') throw new DataError(`Invalid Avro schema: fixed ${rawName} needs a size`);
        named = { type: 'fixed', name, namespace: ns, doc, size: json.size, props };
      }
      names.set(fullName(named), named);
      return named;
    }
    case 'array':
      if (json.items === undefined) throw new DataError('Invalid Avro schema: an array needs items');
      return { type: 'array', items: fromJson(json.items, names, space), props: extraProps(json, RESERVED.array!) };
    case 'map':
      if (json.values === undefined) throw new DataError('Invalid Avro schema: a map needs values');
      return { type: 'map', values: fromJson(json.values, names, space), props: extraProps(json, RESERVED.map!) };
    default:
      if (PRIMITIVES.has(type)) return { type: type as AvroPrimitiveName, props: extraProps(json, RESERVED.primitive!) };
      return fromJson(type, names, space);
  }
}

function extraProps(json: { [key: string]: Json }, reserved: ReadonlySet<string>): Map<string, Json> {
  const props = new Map<string, Json>();
  for (const [k, v] of Object.entries(json)) if (!reserved.has(k)) props.set(k, v);
  return props;
}
