/**
 * sluice's primitive converters against Apache Kafka's own: every case in
 * number-converters/cases.json was run through org.apache.kafka.connect.converters.{Short,Integer,
 * Long,Float,Double,Boolean}Converter 4.3.1 (number-converters/java/, regenerate with
 * `node scripts/fixtures/number-converters.mjs`), and fixtures.json holds what they did. Here the
 * same cases run through sluice, in both directions and in both roles (value converter and header
 * converter): the same bytes written, the same schema and value read back (floats by their IEEE
 * bits), the same errors.
 *
 * Errors: Java's DataException message is compared as a prefix. sluice appends the cause's message
 * to it (see src/converters/number/primitive-converter.ts); for a wrong size that is Kafka's
 * SerializationException message, compared exactly. For a wrong type Java's cause is the JVM's
 * ClassCastException text, whose first clause sluice reproduces.
 *
 * Values are given as {type: Java class, text}; the JavaScript carrier is the one sluice's data
 * model uses for that Java class (Long -> bigint, other numbers -> number). Cases where the two
 * differ on purpose (an Integer given to LongConverter, which JavaScript cannot tell from a Long)
 * are not in cases.json; test/unit/converters/number-converters.test.ts covers them.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Converter, HeaderConverter, SchemaAndValue } from '../../src/api/converter.js';
import { registerBuiltins } from '../../src/plugins/builtins.js';
import { Schema, Type } from '../../src/data/schema.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'number-converters');
const fixtures = JSON.parse(readFileSync(join(dir, 'fixtures.json'), 'utf8')) as Fixtures;
const registry = registerBuiltins();

interface JavaValue {
  type: 'Short' | 'Integer' | 'Long' | 'Float' | 'Double' | 'Boolean' | 'String';
  text: string;
  bits?: string;
}
interface JavaError {
  class: string;
  message: string;
  causeClass?: string;
  causeMessage?: string;
}
interface SerializeResult {
  converter: string;
  value: JavaValue | null;
  schema?: Type;
  hex?: string | null;
  headerHex?: string | null;
  error?: JavaError;
  headerError?: JavaError;
}
interface DeserializeResult {
  converter: string;
  hex: string | null;
  schema?: { type: Type; optional: boolean };
  read?: JavaValue | null;
  headerRead?: JavaValue | null;
  error?: JavaError;
  headerError?: JavaError;
}
interface ConfigureResult {
  converter: string;
  config: Record<string, string>;
  ok?: true;
  error?: JavaError;
}
interface Fixtures {
  kafkaVersion: string;
  serialize: SerializeResult[];
  deserialize: DeserializeResult[];
  configure: ConfigureResult[];
}

/** The JavaScript carrier sluice uses for a Java value. */
function jsValue(v: JavaValue | null): unknown {
  if (v === null) return null;
  switch (v.type) {
    case 'Long':
      return BigInt(v.text);
    case 'Short':
    case 'Integer':
    case 'Double':
      return Number(v.text);
    case 'Float':
      return Math.fround(Number(v.text));
    case 'Boolean':
      return v.text === 'true';
    case 'String':
      return v.text;
  }
}

function hex(bytes: Uint8Array | null): string | null {
  return bytes === null ? null : Buffer.from(bytes).toString('hex');
}

function bitsOfDouble(n: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, n);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
}

/** Java's value read back, compared with sluice's carrier for it. */
function expectSameValue(actual: unknown, expected: JavaValue | null | undefined): void {
  if (expected == null) {
    expect(actual).toBeNull();
    return;
  }
  switch (expected.type) {
    case 'Long':
      expect(actual).toBe(BigInt(expected.text));
      break;
    case 'Short':
    case 'Integer':
      expect(actual).toBe(Number(expected.text));
      break;
    case 'Float':
    case 'Double':
      // JavaScript has one NaN: Java's NaN payloads (7fc00001, a negative NaN) read as NaN.
      if (expected.text === 'NaN') expect(Number.isNaN(actual)).toBe(true);
      else expect(bitsOfDouble(actual as number)).toBe(expected.bits);
      break;
    case 'Boolean':
      expect(actual).toBe(expected.text === 'true');
      break;
    default:
      throw new Error(`unexpected value type in fixtures: ${expected.type}`);
  }
}

function expectSameError(run: () => unknown, expected: JavaError): void {
  let error: Error | undefined;
  try {
    run();
  } catch (e) {
    error = e as Error;
  }
  expect(error, `expected ${expected.class}: ${expected.message}`).toBeInstanceOf(Error);
  const javaSimpleName = expected.class.slice(expected.class.lastIndexOf('.') + 1);
  expect(error!.name).toBe(javaSimpleName);
  if (expected.causeClass === undefined) {
    expect(error!.message).toBe(expected.message);
    return;
  }
  const cause = error!.cause as Error;
  expect(cause.name).toBe(expected.causeClass.slice(expected.causeClass.lastIndexOf('.') + 1));
  expect(error!.message).toBe(expected.message + cause.message);
  if (expected.causeClass.endsWith('SerializationException')) expect(cause.message).toBe(expected.causeMessage);
  else expect(expected.causeMessage!.startsWith(cause.message)).toBe(true);
}

function valueConverter(name: string, isKey: boolean): Converter {
  const c = registry.newConverter(`org.apache.kafka.connect.converters.${name}`);
  c.configure({}, isKey);
  return c;
}

function headerConverter(name: string): HeaderConverter {
  const c = registry.headerConverter(`org.apache.kafka.connect.converters.${name}`).create();
  c.configure({ 'converter.type': 'header' });
  return c;
}

const describeValue = (v: JavaValue | null) => (v === null ? 'null' : `${v.type} ${v.text}`);

describe(`primitive converters match Kafka ${fixtures.kafkaVersion}`, () => {
  it('the fixtures cover every converter in every section', () => {
    const names = ['ShortConverter', 'IntegerConverter', 'LongConverter', 'FloatConverter', 'DoubleConverter', 'BooleanConverter'];
    for (const name of names) {
      expect(fixtures.serialize.filter((r) => r.converter === name && r.hex != null).length).toBeGreaterThan(0);
      expect(fixtures.serialize.filter((r) => r.converter === name && r.error).length).toBeGreaterThan(0);
      expect(fixtures.deserialize.filter((r) => r.converter === name && r.read != null).length).toBeGreaterThan(0);
      expect(fixtures.deserialize.filter((r) => r.converter === name && r.error).length).toBeGreaterThan(0);
    }
  });

  describe('fromConnectData / fromConnectHeader', () => {
    for (const r of fixtures.serialize) {
      const title = `${r.converter} writes ${describeValue(r.value)}${r.schema ? ` with schema ${r.schema}` : ''}`;
      it(title, () => {
        const schema = r.schema ? new Schema({ type: r.schema }) : null;
        const value = jsValue(r.value);
        const converter = valueConverter(r.converter, false);
        const header = headerConverter(r.converter);
        if (r.error) expectSameError(() => converter.fromConnectData('topic', null, schema, value), r.error);
        else expect(hex(converter.fromConnectData('topic', null, schema, value))).toBe(r.hex);
        if (r.headerError) expectSameError(() => header.fromConnectHeader('topic', 'h', schema, value), r.headerError);
        else expect(hex(header.fromConnectHeader('topic', 'h', schema, value))).toBe(r.headerHex);
      });
    }
  });

  describe('toConnectData / toConnectHeader', () => {
    for (const r of fixtures.deserialize) {
      it(`${r.converter} reads ${r.hex === null ? 'null' : `0x${r.hex}`}`, () => {
        const bytes = r.hex === null ? null : Buffer.from(r.hex, 'hex');
        const converter = valueConverter(r.converter, true);
        const header = headerConverter(r.converter);
        if (r.error) {
          expectSameError(() => converter.toConnectData('topic', null, bytes), r.error);
        } else {
          const read: SchemaAndValue = converter.toConnectData('topic', null, bytes);
          expect({ type: read.schema?.type, optional: read.schema?.optional }).toEqual(r.schema);
          expectSameValue(read.value, r.read);
        }
        if (r.headerError) expectSameError(() => header.toConnectHeader('topic', 'h', bytes), r.headerError);
        else expectSameValue(header.toConnectHeader('topic', 'h', bytes).value, r.headerRead);
      });
    }
  });

  describe('configure', () => {
    for (const r of fixtures.configure) {
      it(`${r.converter} with ${JSON.stringify(r.config)}`, () => {
        const c = headerConverter(r.converter);
        if (r.ok) expect(() => c.configure(r.config)).not.toThrow();
        else expectSameError(() => c.configure(r.config), r.error!);
      });
    }
  });
});
