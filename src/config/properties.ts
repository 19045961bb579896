/**
 * Reading configs the way Kafka Connect users write them: java.util.Properties files, the JSON
 * connector files connect-standalone accepts, and Docker-style environment variables.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../api/errors.js';

/** A .properties file that java.util.Properties would also reject; names the file and line. */
export class PropertiesError extends ConfigError {
  constructor(
    readonly file: string,
    readonly line: number | null,
    detail: string,
  ) {
    super(line === null ? `${file}: ${detail}` : `${file}:${line}: ${detail}`);
    this.name = 'PropertiesError';
  }
}

/** Parsed properties, plus the 1-based line on which each key's logical line starts. */
export interface ParsedProperties {
  props: Record<string, string>;
  lines: Record<string, number>;
}

const isBlank = (c: string): boolean => c === ' ' || c === '\t' || c === '\f';

function skipBlanks(s: string, from: number): number {
  let i = from;
  while (i < s.length && isBlank(s[i]!)) i++;
  return i;
}

/** True when the line ends with an odd number of backslashes, i.e. an escaped line break. */
function continues(s: string): boolean {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

/** Decode escapes as Properties.loadConvert does: \t \n \r \f \uXXXX, and \x -> x for anything else. */
function unescape(s: string, file: string, line: number): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\' || i + 1 >= s.length) {
      // A lone trailing backslash is dropped, as Java's line reader does at end of input.
      if (c !== '\\') out += c;
      continue;
    }
    const e = s[++i]!;
    if (e === 'u') {
      const hex = s.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new PropertiesError(file, line, 'Malformed \\uxxxx encoding.');
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else {
      out += e === 't' ? '\t' : e === 'n' ? '\n' : e === 'r' ? '\r' : e === 'f' ? '\f' : e;
    }
  }
  return out;
}

/**
 * Parse .properties text with java.util.Properties.load semantics: `#`/`!` comment lines; the key
 * ends at the first unescaped `=`, `:` or blank, and blanks plus one `=`/`:` after it are skipped;
 * a line ending in an odd number of backslashes continues on the next line, whose leading blanks
 * are dropped; lines end at \n, \r or \r\n; the last duplicate key wins.
 * @param file the name used in error messages.
 * @throws PropertiesError "<file>:<line>: Malformed \uxxxx encoding."
 */
export function parseProperties(text: string, file = '<properties>'): ParsedProperties {
  const props: Record<string, string> = {};
  const lines: Record<string, number> = {};
  const natural = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < natural.length; i++) {
    const startLine = i + 1;
    const first = natural[i]!;
    const start = skipBlanks(first, 0);
    if (start === first.length) continue;
    if (first[start] === '#' || first[start] === '!') continue; // comments never continue
    let logical = first.slice(start);
    while (continues(logical)) {
      logical = logical.slice(0, -1);
      if (++i >= natural.length) break;
      const next = natural[i]!;
      logical += next.slice(skipBlanks(next, 0));
    }
    const { key, value } = splitKeyValue(logical);
    const decodedKey = unescape(key, file, startLine);
    props[decodedKey] = unescape(value, file, startLine);
    lines[decodedKey] = startLine;
  }
  return { props, lines };
}

function splitKeyValue(line: string): { key: string; value: string } {
  let keyEnd = 0;
  let valueStart = line.length;
  let hasSeparator = false;
  let escaped = false;
  while (keyEnd < line.length) {
    const c = line[keyEnd]!;
    if (!escaped && (c === '=' || c === ':')) {
      valueStart = keyEnd + 1;
      hasSeparator = true;
      break;
    }
    if (!escaped && isBlank(c)) {
      valueStart = keyEnd + 1;
      break;
    }
    escaped = c === '\\' ? !escaped : false;
    keyEnd++;
  }
  while (valueStart < line.length) {
    const c = line[valueStart]!;
    if (!isBlank(c)) {
      if (!hasSeparator && (c === '=' || c === ':')) hasSeparator = true;
      else break;
    }
    valueStart++;
  }
  return { key: line.slice(0, keyEnd), value: line.slice(valueStart) };
}

/**
 * Read and parse a .properties file. The file is read as UTF-8, a leading BOM dropped (Java's
 * Properties.load(InputStream) reads ISO-8859-1; UTF-8 is what people mean when they write
 * non-ASCII in these files).
 */
export async function loadPropertiesFile(path: string): Promise<ParsedProperties> {
  return parseProperties(await readText(path), path);
}

/** Why a config file could not be read, in words, for the common cases. */
const READ_FAILURES: Readonly<Record<string, string>> = {
  ENOENT: 'No such file or directory',
  EISDIR: 'Is a directory',
  EACCES: 'Permission denied',
  EPERM: 'Permission denied',
  ENOTDIR: 'Not a directory',
};

/**
 * A file's text without the byte order mark some editors write, which would otherwise join the first key.
 * @throws ConfigError "<file>: cannot read the file: No such file or directory" (no errno text or syscall).
 */
async function readText(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = (code !== undefined ? READ_FAILURES[code] : undefined) ?? (e as Error).message;
    throw new ConfigError(`${path}: cannot read the file: ${reason}`, undefined, { cause: e });
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** A connector config file as connect-standalone takes it. */
export interface ConnectorFile {
  /** The connector name: from the JSON `name`, or the `name` config (undefined if absent in a .properties file). */
  name: string | undefined;
  config: Record<string, string>;
  /** `initial_state` of a JSON create request, when given. */
  initialState?: string;
  /** For .properties files: the line of each key, for error messages. */
  lines?: Record<string, number>;
}

/**
 * Read a connector config: `.json` files hold either a flat map or a create request
 * `{ "name": ..., "config": {...}, "initial_state"?: ... }` (numbers and booleans become strings,
 * as Jackson coerces them); anything else is read as .properties.
 * @throws ConfigError naming the file (and line:column for JSON syntax errors).
 */
export async function loadConnectorFile(path: string): Promise<ConnectorFile> {
  if (!path.toLowerCase().endsWith('.json')) {
    const { props, lines } = await loadPropertiesFile(path);
    return { name: props['name'], config: props, lines };
  }
  return parseConnectorJson(await readText(path), path);
}

/** The JSON half of loadConnectorFile, on text already read. */
export function parseConnectorJson(text: string, file: string): ConnectorFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw jsonSyntaxError(text, file, e as Error);
  }
  if (!isPlainObject(doc)) {
    throw new ConfigError(`${file}: a connector config must be a JSON object, but this file holds ${describe(doc)}.`);
  }
  const isRequest = isPlainObject(doc['config']);
  if (!isRequest) {
    const config = stringMap(doc, file, '');
    if (config['name'] === undefined) {
      throw new ConfigError(`Connector configuration at '${file}' is missing the mandatory 'name' configuration`, 'name');
    }
    return { name: config['name'], config };
  }
  const name = doc['name'];
  if (typeof name !== 'string') {
    throw new ConfigError(`${file}: "name" must be a string naming the connector, but it is ${describe(name)}.`, 'name');
  }
  const config = stringMap(doc['config'] as Record<string, unknown>, file, 'config.');
  if (config['name'] === undefined) config['name'] = name;
  else if (config['name'] !== name) {
    throw new ConfigError(
      `Connector name configuration in 'config' doesn't match the one specified in 'name' at '${file}'`,
      'name',
    );
  }
  const initialState = doc['initial_state'];
  if (initialState !== undefined && initialState !== null && typeof initialState !== 'string') {
    throw new ConfigError(`${file}: "initial_state" must be a string, but it is ${describe(initialState)}.`);
  }
  return { name, config, ...(typeof initialState === 'string' ? { initialState } : {}) };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (v === undefined) return 'missing';
  return `a ${typeof v}`;
}

/** Strings stay; numbers and booleans become their text, as Jackson coerces them into a Map<String, String>. */
function stringMap(obj: Record<string, unknown>, file: string, where: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else {
      throw new ConfigError(
        `${file}: the value of "${where}${k}" must be a string, number or boolean, but it is ${describe(v)}.`,
        k,
      );
    }
  }
  return out;
}

/** Locate a JSON.parse failure: V8 reports "at position N" (Node 20) or "(line L column C)" (newer). */
function jsonSyntaxError(text: string, file: string, e: Error): ConfigError {
  const lc = /\(line (\d+) column (\d+)\)/.exec(e.message);
  let line: number;
  let column: number;
  if (lc) {
    line = Number(lc[1]);
    column = Number(lc[2]);
  } else {
    const pos = /at position (\d+)/.exec(e.message);
    const offset = pos ? Number(pos[1]) : text.length;
    const before = text.slice(0, offset);
    line = before.split('\n').length;
    column = offset - before.lastIndexOf('\n');
  }
  const detail = e.message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+/, '');
  return new ConfigError(`${file}:${line}:${column}: invalid JSON: ${detail}`);
}

/** The Debezium image's unprefixed variables and the worker keys they set. */
const DEBEZIUM_ENV: Readonly<Record<string, string>> = {
  BOOTSTRAP_SERVERS: 'bootstrap.servers',
  GROUP_ID: 'group.id',
  CONFIG_STORAGE_TOPIC: 'config.storage.topic',
  OFFSET_STORAGE_TOPIC: 'offset.storage.topic',
  STATUS_STORAGE_TOPIC: 'status.storage.topic',
};

/**
 * Worker props from the environment, as the Confluent and Debezium images build them.
 * `CONNECT_*` variables map by dub's env_to_props: strip the prefix, lowercase, `_` -> `.`, then
 * `...` -> `-` and `..` -> `_` (so `___` means `-` and `__` means `_`). Debezium's unprefixed
 * BOOTSTRAP_SERVERS, GROUP_ID and *_STORAGE_TOPIC are read too; a CONNECT_ variable for the same
 * key wins. Variables that configure the JVM rather than the worker (CONNECT_LOG4J_*,
 * CONNECT_JMX_*, CONNECT_OPTS) are skipped.
 */
export function envToProps(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const props: Record<string, string> = {};
  for (const [envName, key] of Object.entries(DEBEZIUM_ENV)) {
    const v = env[envName];
    if (v !== undefined) props[key] = v;
  }
  for (const [envName, v] of Object.entries(env)) {
    if (v === undefined || !envName.startsWith('CONNECT_') || envName.length === 'CONNECT_'.length) continue;
    if (/^CONNECT_(LOG4J_|JMX_|OPTS$)/.test(envName)) continue;
    const dotted = envName.slice('CONNECT_'.length).toLowerCase().split('_').join('.');
    props[dotted.split('...').join('-').split('..').join('_')] = v;
  }
  return props;
}
