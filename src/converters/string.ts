/**
 * StringConverter (org.apache.kafka.connect.storage.StringConverter): values as text in a charset
 * (`converter.encoding`, default UTF-8). Writes String(value) for any value; reads every message,
 * key or header as an OPTIONAL_STRING. Also a HeaderConverter.
 *
 * Also here: newConverterConfigDef(), the `converter.type` definition every converter config
 * starts from (Java's ConverterConfig.newConfigDef), since StringConverterConfig is its simplest use.
 */
import { ConfigDef, ConfigType, Importance, NO_DEFAULT_VALUE, ValidString, Width } from '../api/config-def.js';
import type { Converter, HeaderConverter, SchemaAndValue } from '../api/converter.js';
import { ConfigError } from '../api/errors.js';
import type { Headers } from '../data/headers.js';
import { DataError, type Schema } from '../data/schema.js';
import { utf8SequenceEnd } from './json-text/scan.js';
import { copyBytes } from '../data/shared-copy.js';
import { Schemas } from '../data/schemas.js';

export const CONVERTER_TYPE_CONFIG = 'converter.type';
export const ENCODING_CONFIG = 'converter.encoding';

/** A ConfigDef holding `converter.type` (key, value or header), required as in Java. */
export function newConverterConfigDef(): ConfigDef {
  return new ConfigDef().define({
    name: CONVERTER_TYPE_CONFIG,
    type: ConfigType.STRING,
    defaultValue: NO_DEFAULT_VALUE,
    validator: ValidString.in('key', 'value', 'header'),
    importance: Importance.LOW,
    documentation: 'How this converter will be used.',
  });
}

/**
 * The converter's own properties plus `converter.type`: set from isKey like Java's
 * configure(configs, isKey); a header converter configured without it is a header converter.
 */
export function withConverterType(configs: Readonly<Record<string, string>>, isKey: boolean | undefined): Record<string, string> {
  const props: Record<string, string> = { ...configs };
  if (isKey !== undefined) props[CONVERTER_TYPE_CONFIG] = isKey ? 'key' : 'value';
  else props[CONVERTER_TYPE_CONFIG] ??= 'header';
  return props;
}

const STRING_CONFIG_DEF = newConverterConfigDef().define({
  name: ENCODING_CONFIG,
  type: ConfigType.STRING,
  defaultValue: 'UTF-8',
  importance: Importance.HIGH,
  documentation: 'The name of the Java character set to use for encoding strings as byte arrays.',
  orderInGroup: -1,
  width: Width.MEDIUM,
  displayName: 'Encoding',
});

/** Encoders and decoders for the Java charset names Node can serve (names are case-insensitive). */
interface Charset {
  encode(text: string): Uint8Array;
  decode(bytes: Uint8Array): string;
}

const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });

function nodeCharset(encoding: BufferEncoding): Charset {
  return {
    encode: (text) => Buffer.from(text, encoding),
    decode: (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(encoding),
  };
}

/** Java replaces characters a charset cannot hold with '?'. */
function replacingCharset(encoding: BufferEncoding, maxCode: number): Charset {
  return {
    encode: (text) => Buffer.from(text.replace(/[\ud800-\udbff][\udc00-\udfff]|[^]/g, (c) => (c.codePointAt(0)! > maxCode ? '?' : c)), encoding),
    decode: nodeCharset(encoding).decode,
  };
}

function utf16be(withBom: boolean): Charset {
  const decoder = new TextDecoder('utf-16be');
  return {
    encode: (text) => {
      const le = Buffer.from(text, 'utf16le');
      const out = Buffer.alloc(le.length + (withBom ? 2 : 0));
      if (withBom) out.writeUInt16BE(0xfeff, 0);
      for (let i = 0; i < le.length; i += 2) out.writeUInt16BE(le.readUInt16LE(i), i + (withBom ? 2 : 0));
      return out;
    },
    // Java's UTF-16 decoder reads a BOM and defaults to big-endian; TextDecoder strips a BE BOM.
    decode: (bytes) =>
      withBom && bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe
        ? new TextDecoder('utf-16le').decode(bytes.subarray(2))
        : decoder.decode(bytes),
  };
}

const CHARSETS: Record<string, () => Charset> = {
  'UTF-8': () => ({ encode: (text) => Buffer.from(text, 'utf8'), decode: (bytes) => utf8Decoder.decode(bytes) }),
  UTF8: () => CHARSETS['UTF-8']!(),
  'US-ASCII': () => replacingCharset('latin1', 0x7f),
  ASCII: () => CHARSETS['US-ASCII']!(),
  'ISO-8859-1': () => replacingCharset('latin1', 0xff),
  'ISO8859_1': () => CHARSETS['ISO-8859-1']!(),
  LATIN1: () => CHARSETS['ISO-8859-1']!(),
  'UTF-16LE': () => nodeCharset('utf16le'),
  'UTF-16BE': () => utf16be(false),
  'UTF-16': () => utf16be(true),
};

/** The charset for a Java charset name, or a ConfigError naming `converter.encoding`. */
export function charsetFor(name: string): Charset {
  const factory = CHARSETS[name.toUpperCase()];
  if (!factory) {
    throw new ConfigError(`Invalid value ${name} for configuration ${ENCODING_CONFIG}: unsupported charset`, ENCODING_CONFIG);
  }
  return factory();
}

export class StringConverter implements Converter, HeaderConverter {
  /** Values are decoded into new strings and objects; the input bytes are never kept. */
  readonly keepsInputBytes = false;
  private charset: Charset = charsetFor('UTF-8');
  private encoding = 'UTF-8';

  /** True when values are written as UTF-8 (a source may then hand over its UTF-8 bytes as they are). */
  get writesUtf8(): boolean {
    return this.encoding === 'UTF-8' || this.encoding === 'UTF8';
  }

  /** UTF-8 decoding replaces what it cannot read: it never fails. */
  get neverFails(): boolean {
    return this.writesUtf8;
  }

  /**
   * With UTF-8, a value's text is its bytes when they are valid UTF-8 (the decoder replaces
   * nothing then, and keeps a byte order mark): copied as they are. Else -1 (decode and print).
   */
  printJavaText(bytes: Uint8Array, out: Uint8Array, pos: number): number {
    if (!this.writesUtf8 || pos + bytes.length > out.length) return -1;
    for (let i = 0; i < bytes.length; ) {
      if (bytes[i]! < 0x80) i++;
      else if ((i = utf8SequenceEnd(bytes, i)) < 0) return -1;
    }
    return copyBytes(bytes, 0, bytes.length, out, pos);
  }

  config(): ConfigDef {
    return STRING_CONFIG_DEF;
  }

  /** `isKey` as in Converter.configure; omitted, the converter is a header converter. */
  configure(configs: Record<string, string>, isKey?: boolean): void {
    const parsed = STRING_CONFIG_DEF.parse(withConverterType(configs, isKey));
    this.charset = charsetFor(parsed[ENCODING_CONFIG] as string);
    this.encoding = (parsed[ENCODING_CONFIG] as string).toUpperCase();
  }

  fromConnectData(_topic: string, _headers: Headers | null, _schema: Schema | null, value: unknown): Uint8Array | null {
    if (value === null || value === undefined) return null;
    try {
      return this.charset.encode(String(value));
    } catch (e) {
      throw new DataError('Failed to serialize to a string: ', { cause: e });
    }
  }

  toConnectData(_topic: string, _headers: Headers | null, bytes: Uint8Array | null): SchemaAndValue {
    try {
      return { schema: Schemas.OPTIONAL_STRING_SCHEMA, value: bytes == null ? null : this.charset.decode(bytes) };
    } catch (e) {
      throw new DataError('Failed to deserialize string: ', { cause: e });
    }
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null {
    return this.fromConnectData(topic, null, schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, bytes: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, null, bytes);
  }

  close(): void {}
}
