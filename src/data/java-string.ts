/**
 * Connect values printed as Java prints them (String.valueOf): what FileStreamSink writes and
 * what Struct.toString shows for each field.
 */
import { Type, type Schema } from './schema.js';
// A cycle through values.ts (which imports Struct, which imports this): harmless, as every
// import here is only called, never used while modules load.
import { javaDoubleToString, javaFloatToString } from './values.js';

/**
 * The text Java's String.valueOf(value) gives for a Connect value, as PrintStream.println(value)
 * (FileStreamSink) and Struct.toString print it: strings as they are, null as "null",
 * lists as "[a, b]", maps as "{k=v}", FLOAT32/FLOAT64 as Float/Double.toString, and objects through
 * their own toString() (Struct prints itself). Bytes print as Java's Arrays.toString would
 * ("[1, -1]"), where println(byte[]) prints an object id ("[B@1b6d3586") that nobody can use.
 */
export function javaToString(value: unknown, schema: Schema | null = null): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') {
    if (schema?.type === Type.FLOAT64) return javaDoubleToString(value);
    if (schema?.type === Type.FLOAT32) return javaFloatToString(value);
    return String(value);
  }
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Uint8Array) return `[${Array.from(value, (b) => (b << 24) >> 24).join(', ')}]`;
  // Loops and += rather than map/join: this runs for every value a file sink writes.
  if (Array.isArray(value)) {
    const itemSchema = schema?.valueSchema ?? null;
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ', ') + javaToString(value[i], itemSchema);
    return out + ']';
  }
  if (value instanceof Map) {
    const keySchema = schema?.keySchema ?? null;
    const valueSchema = schema?.valueSchema ?? null;
    let out = '{';
    let separator = '';
    for (const [k, v] of value) {
      // Strings print as they are: most keys and many values, without the call.
      out += separator + (typeof k === 'string' ? k : javaToString(k, keySchema)) + '=' + (typeof v === 'string' ? v : javaToString(v, valueSchema));
      separator = ', ';
    }
    return out + '}';
  }
  if (value instanceof Date) return value.toISOString();
  if (Object.getPrototypeOf(value) === Object.prototype) {
    return `{${Object.entries(value as object).map(([k, v]) => `${k}=${javaToString(v)}`).join(', ')}}`;
  }
  return String(value);
}
