/**
 * The plugins a worker knows, under their Java class names. Users paste Kafka Connect configs, so
 * `connector.class=FileStreamSink`, `...FileStreamSinkConnector` and the fully qualified
 * `org.apache.kafka.connect.file.FileStreamSinkConnector` must all find the same plugin, the way
 * Kafka Connect's Plugins and PluginUtils resolve them.
 */
import type { Connector } from '../api/connector.js';
import type { Converter, HeaderConverter } from '../api/converter.js';
import { ConfigError } from '../api/errors.js';

export type PluginKind = 'source' | 'sink' | 'converter' | 'header_converter' | 'transformation' | 'predicate';

/** One plugin: how it is named and how to make an instance. */
export interface PluginDescriptor<T = unknown> {
  readonly kind: PluginKind;
  /** The Java fully qualified class name users know, e.g. org.apache.kafka.connect.file.FileStreamSourceConnector. */
  readonly className: string;
  /** Extra names beyond the simple and pruned names, which are derived from className. */
  readonly aliases?: readonly string[];
  readonly version: string;
  /** A new, unconfigured instance. */
  create(): T;
}

export type ConnectorDescriptor = PluginDescriptor<Connector> & { readonly kind: 'source' | 'sink' };

/** `GET /connector-plugins` entries. */
export interface PluginSummary {
  class: string;
  type: PluginKind;
  version: string;
}

/** The interface name Kafka Connect's "Failed to find any class that implements X" message uses, per kind. */
const KIND_INTERFACE: Record<PluginKind, string> = {
  source: 'Connector',
  sink: 'Connector',
  converter: 'Converter',
  header_converter: 'HeaderConverter',
  transformation: 'Transformation',
  predicate: 'Predicate',
};

/** The suffix PluginUtils.prunedName drops, per kind. */
const KIND_SUFFIX: Record<PluginKind, string> = { ...KIND_INTERFACE };

const CONNECTOR_KINDS: readonly PluginKind[] = ['source', 'sink'];

/** The simple class name: after the last `.`, and after the last `$` for nested classes (InsertField$Value -> Value). */
export function simpleName(className: string): string {
  const afterDot = className.slice(className.lastIndexOf('.') + 1);
  return afterDot.slice(afterDot.lastIndexOf('$') + 1);
}

/** The simple name without its kind's suffix (FileStreamSinkConnector -> FileStreamSink), or the simple name. */
export function prunedName(className: string, kind: PluginKind): string {
  const simple = simpleName(className);
  const suffix = KIND_SUFFIX[kind];
  return simple.endsWith(suffix) && simple.length > suffix.length ? simple.slice(0, -suffix.length) : simple;
}

/**
 * Every name a plugin answers to. Beyond Kafka Connect's simple and pruned names, a nested class
 * also answers to its outer-qualified name (InsertField$Value), which users write often.
 */
function namesOf(d: PluginDescriptor): string[] {
  const names = [simpleName(d.className), prunedName(d.className, d.kind), ...(d.aliases ?? [])];
  const afterPackage = d.className.slice(d.className.lastIndexOf('.') + 1);
  if (afterPackage.includes('$')) names.push(afterPackage);
  return names;
}

/** One class can be several kinds of plugin (JsonConverter is a converter and a header converter). */
function registryKey(kind: PluginKind, className: string): string {
  return `${kind}|${className}`;
}

export class PluginRegistry {
  private readonly byClass = new Map<string, PluginDescriptor>();

  /** @throws Error if a plugin with the same class name and kind is already registered. */
  register(descriptor: PluginDescriptor): this {
    const key = registryKey(descriptor.kind, descriptor.className);
    if (this.byClass.has(key)) {
      throw new Error(`Plugin ${descriptor.className} is already registered as a ${descriptor.kind}`);
    }
    this.byClass.set(key, descriptor);
    return this;
  }

  /** Registered plugins of the given kinds (all kinds by default), sorted by class name. */
  plugins(kinds?: readonly PluginKind[]): PluginDescriptor[] {
    return [...this.byClass.values()]
      .filter((d) => !kinds || kinds.includes(d.kind))
      .sort((a, b) => (a.className < b.className ? -1 : a.className > b.className ? 1 : 0));
  }

  /**
   * The plugin of one of `kinds` named by its class name, simple name, pruned name or alias, or
   * null when none matches.
   * @throws ConfigError when an alias matches more than one plugin.
   */
  find(name: string, kinds?: readonly PluginKind[]): PluginDescriptor | null {
    const exact = this.plugins(kinds).find((d) => d.className === name);
    if (exact) return exact;
    const matches = this.plugins(kinds).filter((d) => namesOf(d).includes(name));
    if (matches.length > 1) {
      const what = kinds && kinds.every((k) => CONNECTOR_KINDS.includes(k)) ? 'connector' : 'plugin';
      throw new ConfigError(
        `More than one ${what} matches alias ${name}. Please use full package and class name instead. ` +
          `Classes found: ${matches.map((d) => d.className).join(', ')}`,
      );
    }
    return matches[0] ?? null;
  }

  /**
   * A source or sink connector by any of its names.
   * @throws ConfigError "Failed to find any class that implements Connector and which name matches X,
   *   available connectors are: ..." (the list holds class names).
   */
  connector(name: string): ConnectorDescriptor {
    return this.resolve(name, CONNECTOR_KINDS, 'connectors') as ConnectorDescriptor;
  }

  /** A key/value converter by any of its names. @throws ConfigError as connector() does. */
  converter(name: string): PluginDescriptor<Converter> {
    return this.resolve(name, ['converter'], 'converters') as PluginDescriptor<Converter>;
  }

  headerConverter(name: string): PluginDescriptor<HeaderConverter> {
    return this.resolve(name, ['header_converter'], 'header converters') as PluginDescriptor<HeaderConverter>;
  }

  transformation(name: string): PluginDescriptor {
    return this.resolve(name, ['transformation'], 'transformations');
  }

  predicate(name: string): PluginDescriptor {
    return this.resolve(name, ['predicate'], 'predicates');
  }

  /** A new connector instance. */
  newConnector(name: string): Connector {
    return this.connector(name).create();
  }

  /** A new, unconfigured converter instance. */
  newConverter(name: string): Converter {
    return this.converter(name).create();
  }

  /** Plugin summaries for `GET /connector-plugins`: connectors only unless connectorsOnly is false. */
  summaries(connectorsOnly = true): PluginSummary[] {
    return this.plugins(connectorsOnly ? CONNECTOR_KINDS : undefined).map((d) => ({
      class: d.className,
      type: d.kind,
      version: d.version,
    }));
  }

  private resolve(name: string, kinds: readonly PluginKind[], plural: string): PluginDescriptor {
    const found = this.find(name, kinds);
    if (found) return found;
    const available = this.plugins(kinds).map((d) => d.className);
    throw new ConfigError(
      `Failed to find any class that implements ${KIND_INTERFACE[kinds[0]!]} and which name matches ${name}, ` +
        `available ${plural} are: ${available.join(', ')}`,
    );
  }
}
