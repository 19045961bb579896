/**
 * Connector configuration (Kafka Connect's ConnectorConfig, SinkConnectorConfig,
 * SourceConnectorConfig and TopicCreationConfig) and the validation behind
 * `PUT /connector-plugins/{p}/config/validate` (AbstractHerder.validateConnectorConfig): the same
 * keys, defaults, groups and messages, so tools that read ConfigInfos see what they expect.
 */
import {
  AbstractConfig, CaseInsensitiveValidString, CompositeValidator, ConfigDef, ConfigType, Importance,
  LambdaValidator, NonEmptyString, NonEmptyStringWithoutControlChars, NonNullValidator, Range, ValidString,
  Width, createConfigValue, generateConfigInfos, invalidValue, javaString, mergeConfigInfos, parseType,
  prefixedConfigInfos, type ConfigInfos, type ConfigKey, type ConfigValue, type Recommender, type Validator,
} from '../api/config-def.js';
import type { Connector } from '../api/connector.js';
import { BadRequestError, ConfigError } from '../api/errors.js';
import type { PluginDescriptor, PluginKind, PluginRegistry } from '../plugins/registry.js';
import type { ConverterConfig } from './worker-config.js';

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

export const NAME_CONFIG = 'name';
export const CONNECTOR_CLASS_CONFIG = 'connector.class';
export const TASKS_MAX_CONFIG = 'tasks.max';
export const TASKS_MAX_ENFORCE_CONFIG = 'tasks.max.enforce';
export const KEY_CONVERTER_CLASS_CONFIG = 'key.converter';
export const VALUE_CONVERTER_CLASS_CONFIG = 'value.converter';
export const HEADER_CONVERTER_CLASS_CONFIG = 'header.converter';
export const TRANSFORMS_CONFIG = 'transforms';
export const PREDICATES_CONFIG = 'predicates';
export const CONFIG_RELOAD_ACTION_CONFIG = 'config.action.reload';
export const ERRORS_RETRY_TIMEOUT_CONFIG = 'errors.retry.timeout';
export const ERRORS_RETRY_MAX_DELAY_CONFIG = 'errors.retry.delay.max.ms';
export const ERRORS_TOLERANCE_CONFIG = 'errors.tolerance';
export const ERRORS_LOG_ENABLE_CONFIG = 'errors.log.enable';
export const ERRORS_LOG_INCLUDE_MESSAGES_CONFIG = 'errors.log.include.messages';
export const PREDICATE_CONFIG = 'predicate';
export const NEGATE_CONFIG = 'negate';

export const TOPICS_CONFIG = 'topics';
export const TOPICS_REGEX_CONFIG = 'topics.regex';
export const DLQ_TOPIC_NAME_CONFIG = 'errors.deadletterqueue.topic.name';
export const DLQ_TOPIC_REPLICATION_FACTOR_CONFIG = 'errors.deadletterqueue.topic.replication.factor';
export const DLQ_CONTEXT_HEADERS_ENABLE_CONFIG = 'errors.deadletterqueue.context.headers.enable';

export const TOPIC_CREATION_PREFIX = 'topic.creation.';
export const TOPIC_CREATION_GROUPS_CONFIG = 'topic.creation.groups';
export const DEFAULT_TOPIC_CREATION_GROUP = 'default';
export const EXACTLY_ONCE_SUPPORT_CONFIG = 'exactly.once.support';
export const TRANSACTION_BOUNDARY_CONFIG = 'transaction.boundary';
export const TRANSACTION_BOUNDARY_INTERVAL_CONFIG = 'transaction.boundary.interval.ms';
export const OFFSETS_TOPIC_CONFIG = 'offsets.storage.topic';

const COMMON_GROUP = 'Common';
const TRANSFORMS_GROUP = 'Transforms';
const PREDICATES_GROUP = 'Predicates';
const ERROR_GROUP = 'Error Handling';
const TOPIC_CREATION_GROUP = 'Topic Creation';
const EXACTLY_ONCE_SUPPORT_GROUP = 'Exactly Once Support';
const OFFSETS_TOPIC_GROUP = 'offsets.storage';

// ---------------------------------------------------------------------------------------------
// Definitions
// ---------------------------------------------------------------------------------------------

function uniqueAliases(description: string): Validator {
  return CompositeValidator.of(
    new NonNullValidator(),
    LambdaValidator.with((name, value) => {
      const aliases = value as string[];
      if (new Set(aliases).size < aliases.length) throw invalidValue(name, value, 'Duplicate alias provided.');
    }, description),
  );
}

/** Kafka Connect fails a CLASS whose class cannot be loaded; here, a name the registry cannot resolve. */
function resolvableConverter(registry: PluginRegistry | undefined, kind: 'converter' | 'header_converter' = 'converter'): Validator | undefined {
  if (!registry) return undefined;
  return LambdaValidator.with((name, value) => {
    if (value === null || value === undefined) return;
    try {
      if (kind === 'converter') registry.converter(value as string);
      else registry.headerConverter(value as string);
    } catch {
      throw invalidValue(name, value, `Class ${javaString(value)} could not be found.`);
    }
  }, kind === 'converter'
    ? 'A concrete subclass of org.apache.kafka.connect.storage.Converter, A class with a public, no-argument constructor'
    : 'A concrete subclass of org.apache.kafka.connect.storage.HeaderConverter, A class with a public, no-argument constructor');
}

const converterDoc = (what: string): string =>
  'Converter class used to convert between Kafka Connect format and the serialized form that is written to Kafka.' +
  ` This controls the format of the ${what} in messages written to or read from Kafka, and since this is` +
  ' independent of connectors it allows any connector to work with any serialization format.' +
  ' Examples of common formats include JSON and Avro.';

/**
 * The keys every connector has (ConnectorConfig.configDef). With a registry, key.converter,
 * value.converter and header.converter overrides must name a registered plugin of that kind.
 */
export function connectorConfigDef(registry?: PluginRegistry): ConfigDef {
  let order = 0;
  let errorOrder = 0;
  return new ConfigDef()
    .define({
      name: NAME_CONFIG, type: ConfigType.STRING, validator: new NonEmptyStringWithoutControlChars(),
      importance: Importance.HIGH, documentation: 'Globally unique name to use for this connector.',
      group: COMMON_GROUP, orderInGroup: ++order, width: Width.MEDIUM, displayName: 'Connector name',
    })
    .define({
      name: CONNECTOR_CLASS_CONFIG, type: ConfigType.STRING, importance: Importance.HIGH,
      documentation:
        'Name or alias of the class for this connector. Must be a subclass of org.apache.kafka.connect.connector.Connector. ' +
        'If the connector is org.apache.kafka.connect.file.FileStreamSinkConnector, you can either specify this full name, ' +
        ' or use "FileStreamSink" or "FileStreamSinkConnector" to make the configuration a bit shorter',
      group: COMMON_GROUP, orderInGroup: ++order, width: Width.LONG, displayName: 'Connector class',
    })
    .define({
      name: TASKS_MAX_CONFIG, type: ConfigType.INT, defaultValue: 1, validator: Range.atLeast(1),
      importance: Importance.HIGH, documentation: 'Maximum number of tasks to use for this connector.',
      group: COMMON_GROUP, orderInGroup: ++order, width: Width.SHORT, displayName: 'Tasks max',
    })
    .define({
      name: TASKS_MAX_ENFORCE_CONFIG, type: ConfigType.BOOLEAN, defaultValue: true, importance: Importance.LOW,
      documentation:
        '(Deprecated) Whether to enforce that the tasks.max property is respected by the connector. ' +
        'By default, connectors that generate too many tasks will fail.',
      group: COMMON_GROUP, orderInGroup: ++order, width: Width.SHORT, displayName: 'Enforce tasks max',
    })
    .define({
      name: KEY_CONVERTER_CLASS_CONFIG, type: ConfigType.CLASS, defaultValue: null,
      validator: resolvableConverter(registry), importance: Importance.LOW, documentation: converterDoc('keys'),
      group: COMMON_GROUP, orderInGroup: ++order, width: Width.SHORT, displayName: 'Key converter class',
    })
    .define({
      name: VALUE_CONVERTER_CLASS_CONFIG, type: ConfigType.CLASS, defaultValue: null,
      validator: resolvableConverter(registry), importance: Importance.LOW, documentation: converterDoc('values'),
      group: COMMON_GROUP, orderInGroup: ++order, width: Width.SHORT, displayName: 'Value converter class',
    })
    .define({
      name: HEADER_CONVERTER_CLASS_CONFIG, type: ConfigType.CLASS, defaultValue: null,
      validator: resolvableConverter(registry, 'header_converter'), importance: Importance.LOW,
      documentation:
        'HeaderConverter class used to convert between Kafka Connect format and the serialized form that is written ' +
        'to Kafka. By default, the value will be inherited from the Connect config.',
      group: COMMON_GROUP, orderInGroup: ++order, width: Width.SHORT, displayName: 'Header converter class',
    })
    .define({
      name: TRANSFORMS_CONFIG, type: ConfigType.LIST, defaultValue: [],
      validator: uniqueAliases('unique transformation aliases'), importance: Importance.LOW,
      documentation: 'Aliases for the transformations to be applied to records.',
      group: TRANSFORMS_GROUP, orderInGroup: ++order, width: Width.LONG, displayName: 'Transforms',
    })
    .define({
      name: PREDICATES_CONFIG, type: ConfigType.LIST, defaultValue: [],
      validator: uniqueAliases('unique predicate aliases'), importance: Importance.LOW,
      documentation: 'Aliases for the predicates used by transformations.',
      group: PREDICATES_GROUP, orderInGroup: ++order, width: Width.LONG, displayName: 'Predicates',
    })
    .define({
      name: CONFIG_RELOAD_ACTION_CONFIG, type: ConfigType.STRING, defaultValue: 'restart',
      validator: ValidString.in('none', 'restart'), importance: Importance.LOW,
      documentation:
        "The action that Connect should take on the connector when changes in external configuration providers " +
        "result in a change in the connector's configuration properties. A value of 'none' indicates that Connect " +
        "will do nothing. A value of 'restart' indicates that Connect should restart/reload the connector with the " +
        'updated configuration properties.',
      group: COMMON_GROUP, orderInGroup: ++order, width: Width.MEDIUM, displayName: 'Reload Action',
    })
    .define({
      name: ERRORS_RETRY_TIMEOUT_CONFIG, type: ConfigType.LONG, defaultValue: 0, importance: Importance.MEDIUM,
      documentation:
        'The maximum duration in milliseconds that a failed operation will be reattempted. The default is 0, ' +
        'which means no retries will be attempted. Use -1 for infinite retries.',
      group: ERROR_GROUP, orderInGroup: ++errorOrder, width: Width.MEDIUM, displayName: 'Retry Timeout for Errors',
    })
    .define({
      name: ERRORS_RETRY_MAX_DELAY_CONFIG, type: ConfigType.LONG, defaultValue: 60000, importance: Importance.MEDIUM,
      documentation:
        'The maximum duration in milliseconds between consecutive retry attempts. Jitter will be added to the ' +
        'delay once this limit is reached to prevent thundering herd issues.',
      group: ERROR_GROUP, orderInGroup: ++errorOrder, width: Width.MEDIUM,
      displayName: 'Maximum Delay Between Retries for Errors',
    })
    .define({
      name: ERRORS_TOLERANCE_CONFIG, type: ConfigType.STRING, defaultValue: 'none',
      validator: ValidString.in('none', 'all'), importance: Importance.MEDIUM,
      documentation:
        "Behavior for tolerating errors during connector operation. 'none' is the default value and signals that " +
        "any error will result in an immediate connector task failure; 'all' changes the behavior to skip over " +
        'problematic records.',
      group: ERROR_GROUP, orderInGroup: ++errorOrder, width: Width.SHORT, displayName: 'Error Tolerance',
    })
    .define({
      name: ERRORS_LOG_ENABLE_CONFIG, type: ConfigType.BOOLEAN, defaultValue: false, importance: Importance.MEDIUM,
      documentation:
        'If true, write each error and the details of the failed operation and problematic record to the Connect ' +
        "application log. This is 'false' by default, so that only errors that are not tolerated are reported.",
      group: ERROR_GROUP, orderInGroup: ++errorOrder, width: Width.SHORT, displayName: 'Log Errors',
    })
    .define({
      name: ERRORS_LOG_INCLUDE_MESSAGES_CONFIG, type: ConfigType.BOOLEAN, defaultValue: false,
      importance: Importance.MEDIUM,
      documentation:
        "Whether to the include in the log the Connect record that resulted in a failure. This is 'false' by " +
        'default, which will prevent record keys, values, and headers from being written to log files.',
      group: ERROR_GROUP, orderInGroup: ++errorOrder, width: Width.SHORT, displayName: 'Log Error Details',
    });
}

const REGEX_VALIDATOR = LambdaValidator.with((name, value) => {
  try {
    new RegExp(value as string);
  } catch (e) {
    throw invalidValue(name, value, `Invalid regex: ${(e as Error).message}`);
  }
}, 'valid regex');

/** Sink connectors: the common keys plus topics, topics.regex and the dead letter queue (SinkConnectorConfig). */
export function sinkConnectorConfigDef(registry?: PluginRegistry): ConfigDef {
  return new ConfigDef(connectorConfigDef(registry))
    .define({
      name: TOPICS_CONFIG, type: ConfigType.LIST, defaultValue: '', importance: Importance.HIGH,
      documentation: 'List of topics to consume, separated by commas',
      group: COMMON_GROUP, orderInGroup: 4, width: Width.LONG, displayName: 'Topics',
    })
    .define({
      name: TOPICS_REGEX_CONFIG, type: ConfigType.STRING, defaultValue: '', validator: REGEX_VALIDATOR,
      importance: Importance.HIGH,
      documentation:
        'Regular expression giving topics to consume. Under the hood, the regex is compiled to a ' +
        '<code>java.util.regex.Pattern</code>. Only one of topics or topics.regex should be specified.',
      group: COMMON_GROUP, orderInGroup: 4, width: Width.LONG, displayName: 'Topics regex',
    })
    .define({
      name: DLQ_TOPIC_NAME_CONFIG, type: ConfigType.STRING, defaultValue: '', importance: Importance.MEDIUM,
      documentation:
        'The name of the topic to be used as the dead letter queue (DLQ) for messages that result in an error when ' +
        'processed by this sink connector, or its transformations or converters. The topic name is blank by ' +
        'default, which means that no messages are to be recorded in the DLQ.',
      group: ERROR_GROUP, orderInGroup: 6, width: Width.MEDIUM, displayName: 'Dead Letter Queue Topic Name',
    })
    .define({
      name: DLQ_TOPIC_REPLICATION_FACTOR_CONFIG, type: ConfigType.SHORT, defaultValue: 3, importance: Importance.MEDIUM,
      documentation: "Replication factor used to create the dead letter queue topic when it doesn't already exist.",
      group: ERROR_GROUP, orderInGroup: 7, width: Width.MEDIUM, displayName: 'Dead Letter Queue Topic Replication Factor',
    })
    .define({
      name: DLQ_CONTEXT_HEADERS_ENABLE_CONFIG, type: ConfigType.BOOLEAN, defaultValue: false,
      importance: Importance.MEDIUM,
      documentation:
        'If true, add headers containing error context to the messages written to the dead letter queue. To avoid ' +
        'clashing with headers from the original record, all error context header keys, all error context header ' +
        'keys will start with <code>__connect.errors.</code>',
      group: ERROR_GROUP, orderInGroup: 8, width: Width.MEDIUM, displayName: 'Enable Error Context Headers',
    });
}

const NON_NEGATIVE_OR_NULL = LambdaValidator.with((name, value) => {
  if (value !== null && value !== undefined && Number(value) < 0) {
    throw invalidValue(name, value, 'Value must be at least 0');
  }
}, '[0,...]');

/** Source connectors: the common keys plus topic creation groups, exactly-once and offsets topic (SourceConnectorConfig). */
export function sourceConnectorConfigDef(registry?: PluginRegistry): ConfigDef {
  return new ConfigDef(connectorConfigDef(registry))
    .define({
      name: TOPIC_CREATION_GROUPS_CONFIG, type: ConfigType.LIST, defaultValue: [],
      validator: uniqueAliases('unique topic creation groups'), importance: Importance.LOW,
      documentation: 'Groups of configurations for topics created by source connectors',
      group: TOPIC_CREATION_GROUP, orderInGroup: 1, width: Width.LONG, displayName: 'Topic Creation Groups',
    })
    .define({
      name: EXACTLY_ONCE_SUPPORT_CONFIG, type: ConfigType.STRING, defaultValue: 'requested',
      validator: CaseInsensitiveValidString.in('requested', 'required'), importance: Importance.MEDIUM,
      documentation:
        'Permitted values are requested, required. If set to "required", forces a preflight check for the ' +
        'connector to ensure that it can provide exactly-once semantics with the given configuration.',
      group: EXACTLY_ONCE_SUPPORT_GROUP, orderInGroup: 1, width: Width.SHORT, displayName: 'Exactly once support',
    })
    .define({
      name: TRANSACTION_BOUNDARY_CONFIG, type: ConfigType.STRING, defaultValue: 'poll',
      validator: CaseInsensitiveValidString.in('poll', 'interval', 'connector'), importance: Importance.MEDIUM,
      documentation: 'Permitted values are: poll, interval, connector. Defines when transactions are committed.',
      group: EXACTLY_ONCE_SUPPORT_GROUP, orderInGroup: 2, width: Width.SHORT, displayName: 'Transaction Boundary',
    })
    .define({
      name: TRANSACTION_BOUNDARY_INTERVAL_CONFIG, type: ConfigType.LONG, defaultValue: null,
      validator: NON_NEGATIVE_OR_NULL, importance: Importance.LOW,
      documentation:
        'If \'transaction.boundary\' is set to \'interval\', determines the interval for producer transaction ' +
        "commits by connector tasks. If unset, defaults to the value of the worker-level 'offset.flush.interval.ms' property.",
      group: EXACTLY_ONCE_SUPPORT_GROUP, orderInGroup: 3, width: Width.SHORT,
      displayName: 'Transaction boundary interval',
    })
    .define({
      name: OFFSETS_TOPIC_CONFIG, type: ConfigType.STRING, defaultValue: null, validator: new NonEmptyString(),
      importance: Importance.LOW,
      documentation: 'The name of a separate offsets topic to use for this connector.',
      group: OFFSETS_TOPIC_GROUP, orderInGroup: 1, width: Width.LONG, displayName: 'Offsets topic',
    });
}

// ---------------------------------------------------------------------------------------------
// Topic creation (TopicCreationConfig)
// ---------------------------------------------------------------------------------------------

const MINUS_ONE_OR_POSITIVE = LambdaValidator.with((name, value) => {
  if (typeof value !== 'number') throw invalidValue(name, value, 'Value is not of type Integer');
  if (value !== -1 && value < 1) throw invalidValue(name, value, 'Value must be -1 or at least 1');
}, '-1 or [1,...]');

function topicCreationGroupDef(group: string, replicationFactor: unknown, partitions: unknown): ConfigDef {
  const doc = (what: string): string => `${what} for topics created by source connectors in this group`;
  let order = 0;
  return new ConfigDef()
    .define({
      name: 'include', type: ConfigType.LIST, defaultValue: group === DEFAULT_TOPIC_CREATION_GROUP ? '.*' : [],
      validator: new NonNullValidator(), importance: Importance.LOW,
      documentation: doc('Regular expressions matching the topic names included'),
      group, orderInGroup: ++order, width: Width.LONG, displayName: `Inclusion Topic Pattern for ${group}`,
    })
    .define({
      name: 'exclude', type: ConfigType.LIST, defaultValue: [], validator: new NonNullValidator(),
      importance: Importance.LOW, documentation: doc('Regular expressions matching the topic names excluded'),
      group, orderInGroup: ++order, width: Width.LONG, displayName: `Exclusion Topic Pattern for ${group}`,
    })
    .define({
      name: 'replication.factor', type: ConfigType.INT, defaultValue: replicationFactor,
      validator: MINUS_ONE_OR_POSITIVE, importance: Importance.LOW, documentation: doc('The replication factor'),
      group, orderInGroup: ++order, width: Width.LONG, displayName: `Replication Factor for Topics in ${group}`,
    })
    .define({
      name: 'partitions', type: ConfigType.INT, defaultValue: partitions, validator: MINUS_ONE_OR_POSITIVE,
      importance: Importance.LOW, documentation: doc('The number of partitions'),
      group, orderInGroup: ++order, width: Width.LONG, displayName: `Partition Count for Topics in ${group}`,
    });
}

/** Whether a source config uses topic creation: any key under `topic.creation.`. */
export function usesTopicCreation(props: Readonly<Record<string, string>>): boolean {
  return Object.keys(props).some((k) => k.startsWith(TOPIC_CREATION_PREFIX));
}

/**
 * Add the topic creation groups a source config uses: `topic.creation.default.*` (replication
 * factor and partitions required) and each group of topic.creation.groups, whose replication
 * factor and partitions default to the default group's.
 */
export function enrichTopicCreation(base: ConfigDef, props: Readonly<Record<string, string>>): ConfigDef {
  const def = new ConfigDef(base);
  const defaultPrefix = `${TOPIC_CREATION_PREFIX}${DEFAULT_TOPIC_CREATION_GROUP}.`;
  def.embed(defaultPrefix, DEFAULT_TOPIC_CREATION_GROUP, 0,
    topicCreationGroupDef(DEFAULT_TOPIC_CREATION_GROUP, undefined, undefined));
  const inherited = (key: string): number => {
    try {
      const v = parseType(key, props[defaultPrefix + key], ConfigType.INT);
      MINUS_ONE_OR_POSITIVE.ensureValid(key, v);
      return v as number;
    } catch {
      return -1; // an invalid default group value is reported on the default group's own key
    }
  };
  for (const alias of new Set(listOrEmpty(props[TOPIC_CREATION_GROUPS_CONFIG]))) {
    if (alias === DEFAULT_TOPIC_CREATION_GROUP || alias === '') continue;
    const group = `${TOPIC_CREATION_GROUP}: ${alias}`;
    def.embed(`${TOPIC_CREATION_PREFIX}${alias}.`, group, 0,
      topicCreationGroupDef(group, inherited('replication.factor'), inherited('partitions')));
  }
  return def;
}

function listOrEmpty(value: string | undefined): string[] {
  return (parseType('', value, ConfigType.LIST) as string[] | null) ?? [];
}

// ---------------------------------------------------------------------------------------------
// Transformations and predicates (ConnectorConfig.enrich)
// ---------------------------------------------------------------------------------------------

interface EnrichablePlugin {
  kind: Extract<PluginKind, 'transformation' | 'predicate'>;
  /** Java interface name used in messages: "Transformation" or "Predicate". */
  label: string;
  aliasConfig: string;
  group: string;
}

const TRANSFORMATION: EnrichablePlugin = {
  kind: 'transformation', label: 'Transformation', aliasConfig: TRANSFORMS_CONFIG, group: TRANSFORMS_GROUP,
};
const PREDICATE: EnrichablePlugin = {
  kind: 'predicate', label: 'Predicate', aliasConfig: PREDICATES_CONFIG, group: PREDICATES_GROUP,
};

/**
 * Add `transforms.<alias>.type` and `predicates.<alias>.type` (required) for every alias, and,
 * when the type resolves, the plugin's own keys under the alias prefix (plus `predicate` and
 * `negate` for transformations). With requireFullConfig false (validation), an unresolvable type
 * only leaves its own keys out; with true (running), it throws.
 */
export function enrichConnectorConfigDef(
  base: ConfigDef,
  props: Readonly<Record<string, string>>,
  registry: PluginRegistry | undefined,
  requireFullConfig = false,
): ConfigDef {
  const def = new ConfigDef(base);
  for (const plugin of [TRANSFORMATION, PREDICATE]) enrichPlugin(def, plugin, props, registry, requireFullConfig);
  return def;
}

function enrichPlugin(
  def: ConfigDef,
  plugin: EnrichablePlugin,
  props: Readonly<Record<string, string>>,
  registry: PluginRegistry | undefined,
  requireFullConfig: boolean,
): void {
  const lower = plugin.label.toLowerCase();
  for (const alias of new Set(listOrEmpty(props[plugin.aliasConfig]))) {
    const prefix = `${plugin.aliasConfig}.${alias}.`;
    const group = `${plugin.group}: ${alias}`;
    const typeConfig = `${prefix}type`;
    const recommender: Recommender = {
      validValues: () => (registry ? registry.plugins([plugin.kind]).map((d) => d.className) : []),
      visible: () => true,
    };
    def.define({
      name: typeConfig, type: ConfigType.CLASS,
      validator: LambdaValidator.with((name, value) => {
        if (plugin === TRANSFORMATION) checkNegateHasPredicate(prefix, props);
        pluginConfigDef(plugin, registry, name, value);
      }, `valid configs for ${alias} ${lower}`),
      importance: Importance.HIGH, documentation: `Class for the '${alias}' ${lower}.`,
      group, orderInGroup: 0, width: Width.LONG, displayName: `${plugin.label} type for ${alias}`, recommender,
    });
    let child: ConfigDef;
    try {
      child = pluginConfigDef(plugin, registry, typeConfig, parseType(typeConfig, props[typeConfig], ConfigType.CLASS));
    } catch (e) {
      if (requireFullConfig || !(e instanceof ConfigError)) throw e;
      continue;
    }
    const withImplicit = new ConfigDef();
    if (plugin === TRANSFORMATION) {
      withImplicit
        .define({
          // Kafka 4's default is null: no predicate.
          name: PREDICATE_CONFIG, type: ConfigType.STRING, defaultValue: null,
          validator: definedPredicate(alias, props), importance: Importance.MEDIUM,
          documentation: 'The alias of a predicate used to determine whether to apply this transformation.',
        })
        .define({
          name: NEGATE_CONFIG, type: ConfigType.BOOLEAN, defaultValue: false, importance: Importance.MEDIUM,
          documentation: 'Whether the configured predicate should be negated.',
        });
    }
    // The implicit predicate/negate keys mask any the transformation defines itself.
    for (const key of child.configKeys()) if (!withImplicit.has(key.name)) withImplicit.define(key);
    def.embed(prefix, group, 1, withImplicit);
  }
}

/**
 * The `predicate` of a transformation must be one of the `predicates` aliases. Kafka Connect only
 * finds out when the task starts ("Unknown configuration 'predicates.x.type'"); sluice rejects
 * the connector config up front, on this key.
 */
function definedPredicate(alias: string, props: Readonly<Record<string, string>>): Validator {
  return LambdaValidator.with((name, value) => {
    if (value === null || value === undefined || value === '') return;
    if (!listOrEmpty(props[PREDICATES_CONFIG]).includes(value as string)) {
      throw invalidValue(name, value,
        `Transformation '${alias}' refers to predicate '${String(value)}', but '${PREDICATES_CONFIG}' does not list it`);
    }
  }, `an alias listed in ${PREDICATES_CONFIG}`);
}

function checkNegateHasPredicate(prefix: string, props: Readonly<Record<string, string>>): void {
  const negate = prefix + NEGATE_CONFIG;
  const predicate = prefix + PREDICATE_CONFIG;
  if (Object.hasOwn(props, negate) && !Object.hasOwn(props, predicate)) {
    throw new ConfigError(
      `Config '${negate}' was provided but there is no config '${predicate}' defining a predicate to be negated.`,
      negate,
    );
  }
}

/** The ConfigDef of the plugin a `.type` key names; ConfigError when it names no such plugin. */
function pluginConfigDef(
  plugin: EnrichablePlugin,
  registry: PluginRegistry | undefined,
  key: string,
  value: unknown,
): ConfigDef {
  if (value === null || value === undefined) throw invalidValue(key, 'null', `Not a ${plugin.label}`);
  const name = value as string;
  let descriptor: PluginDescriptor | null = null;
  try {
    descriptor = registry?.find(name, [plugin.kind]) ?? null;
  } catch (e) {
    throw invalidValue(key, name, (e as Error).message);
  }
  if (!descriptor) {
    // Users paste the abstract Java class (InsertField) for its Key/Value variants (InsertField$Value).
    const variants = (registry?.plugins([plugin.kind]) ?? [])
      .map((d) => d.className)
      .filter((c) => c.startsWith(`${name}$`));
    if (variants.length > 0) {
      throw invalidValue(key, `class ${name}`,
        `${plugin.label} is abstract and cannot be created. Did you mean ${variants.join(', ')}?`);
    }
    const otherKind = registry?.find(name);
    if (otherKind) throw invalidValue(key, `class ${otherKind.className}`, `Not a ${plugin.label}`);
    throw invalidValue(key, name, `Class ${name} could not be found.`);
  }
  const instance = descriptor.create() as { config?: () => ConfigDef | null };
  const configDef = instance.config?.();
  if (!configDef) throw new ConfigError(`${descriptor.className}.config() must return a ConfigDef that is not null.`);
  return configDef;
}

// ---------------------------------------------------------------------------------------------
// Sink topic checks (SinkConnectorConfig.validate)
// ---------------------------------------------------------------------------------------------

function isBlank(s: string | undefined): boolean {
  return s === undefined || s === null || s.trim() === '';
}

/** The distinct, non-empty topics of a sink config. */
export function parseTopicsList(props: Readonly<Record<string, string>>): string[] {
  return [...new Set(listOrEmpty(props[TOPICS_CONFIG]).filter((t) => t !== ''))];
}

/**
 * Exactly one of topics and topics.regex, and a DLQ topic that is not one of the input topics.
 * Errors are added to `values` (creating entries when missing), with Kafka Connect's messages.
 */
export function validateSinkTopics(props: Readonly<Record<string, string>>, values: Map<string, ConfigValue>): void {
  const topicsList = props[TOPICS_CONFIG];
  const topicsRegex = props[TOPICS_REGEX_CONFIG];
  const dlqTopic = (props[DLQ_TOPIC_NAME_CONFIG] ?? '').trim();
  const hasTopics = !isBlank(topicsList);
  const hasRegex = !isBlank(topicsRegex);
  const add = (name: string, value: string | undefined, message: string): void => {
    let cv = values.get(name);
    if (!cv) values.set(name, (cv = createConfigValue(name, value ?? null)));
    cv.errorMessages.push(message);
  };
  if (hasTopics && hasRegex) {
    const message = `${TOPICS_CONFIG} and ${TOPICS_REGEX_CONFIG} are mutually exclusive options, but both are set.`;
    add(TOPICS_CONFIG, topicsList, message);
    add(TOPICS_REGEX_CONFIG, topicsRegex, message);
  }
  if (!hasTopics && !hasRegex) {
    const message = `Must configure one of ${TOPICS_CONFIG} or ${TOPICS_REGEX_CONFIG}`;
    add(TOPICS_CONFIG, topicsList, message);
    add(TOPICS_REGEX_CONFIG, topicsRegex, message);
  }
  if (dlqTopic === '') return;
  if (hasTopics) {
    const topics = parseTopicsList(props);
    if (topics.includes(dlqTopic)) {
      add(TOPICS_CONFIG, topicsList,
        `The DLQ topic '${dlqTopic}' may not be included in the list of topics ('${TOPICS_CONFIG}=${javaString(topics)}') consumed by the connector`);
    }
  }
  if (hasRegex) {
    let matches = false;
    try {
      matches = new RegExp(`^(?:${topicsRegex})$`).test(dlqTopic);
    } catch {
      // an invalid regex is reported by the topics.regex validator
    }
    if (matches) {
      add(TOPICS_REGEX_CONFIG, topicsRegex,
        `The DLQ topic '${dlqTopic}' may not be matched by the regex for the topics ('${TOPICS_REGEX_CONFIG}=${topicsRegex}') consumed by the connector`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Validation (AbstractHerder.validateConnectorConfig)
// ---------------------------------------------------------------------------------------------

export interface ValidateOptions {
  /** The worker's topic.creation.enable; true by default. */
  topicCreationEnabled?: boolean;
}

/** Java's Map.toString for the "contains no connector type" message. */
function javaMap(props: Readonly<Record<string, unknown>>): string {
  return `{${Object.entries(props).map(([k, v]) => `${k}=${javaString(v)}`).join(', ')}}`;
}

/** The connector named by `connector.class`, or BadRequestError as Kafka Connect answers 400. */
function connectorFor(props: Readonly<Record<string, string>>, registry: PluginRegistry): Connector {
  const connType = props[CONNECTOR_CLASS_CONFIG];
  if (connType === undefined || connType === null) {
    throw new BadRequestError(`Connector config ${javaMap(props)} contains no connector type`);
  }
  try {
    return registry.connector(connType).create();
  } catch (e) {
    throw new BadRequestError((e as Error).message, { cause: e });
  }
}

/** The connector-level definition for one config: source or sink keys, topic creation, transforms. */
export function connectorConfigDefFor(
  connector: Connector,
  props: Readonly<Record<string, string>>,
  registry: PluginRegistry,
  options: ValidateOptions = {},
): ConfigDef {
  let base: ConfigDef;
  if (connector.type === 'source') {
    base = sourceConnectorConfigDef(registry);
    if ((options.topicCreationEnabled ?? true) && usesTopicCreation(props)) base = enrichTopicCreation(base, props);
  } else {
    base = sinkConnectorConfigDef(registry);
  }
  return enrichConnectorConfigDef(base, props, registry, false);
}

/**
 * Validate a connector config the way `PUT /connector-plugins/{p}/config/validate` does: the
 * common, sink or source, topic creation and transformation keys, the connector's own config()
 * and validate(), and the sub-configs of key/value converters the config overrides. Every key
 * appears once with its definition and errors; error_count counts every message (converter
 * sub-configs count keys with errors, as in Kafka Connect).
 * @throws BadRequestError when connector.class is missing or names no known connector.
 */
export function validateConnectorConfig(
  props: Readonly<Record<string, string>>,
  registry: PluginRegistry,
  options: ValidateOptions = {},
): ConfigInfos {
  const connType = props[CONNECTOR_CLASS_CONFIG]!;
  const connector = connectorFor(props, registry);
  const def = connectorConfigDefFor(connector, props, registry, options);
  const values = def.validateAll(props);
  if (connector.type === 'sink') validateSinkTopics(props, values);
  validatePluginConfigure(props, values, registry);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined) {
      let cv = values.get(key);
      if (!cv) values.set(key, (cv = createConfigValue(key)));
      cv.errorMessages.push('Null value can not be supplied as the configuration value.');
    }
  }

  // The connector's own keys override common ones of the same name; its values come after ours.
  const connectorDef = connector.config();
  if (!connectorDef) throw new BadRequestError(`${connType}.config() must return a ConfigDef that is not null.`);
  const keys = new Map<string, ConfigKey>(def.configKeys().map((k) => [k.name, k]));
  for (const key of connectorDef.configKeys()) keys.set(key.name, key);
  const groups = [...new Set([...def.groups(), ...connectorDef.groups()])];
  const connectorValues = connector.validate({ ...props }).configValues;
  const connectorInfos = generateConfigInfos(connType, keys.values(), [...values.values(), ...connectorValues], groups);

  const converterInfos = (['header', 'key', 'value'] as const).map((kind) =>
    validateConverterOverride(kind, props, values.get(`${kind}.converter`), registry));
  return mergeConfigInfos(connType, connectorInfos, ...converterInfos);
}

/**
 * Configure each transformation and predicate whose keys are otherwise valid, so that what only
 * configure() checks (HeaderFrom's equal-length lists, InsertField's "No field insertion
 * configured", ...) is reported when the connector is created. Kafka Connect reports these only
 * when a task starts; sluice reports them earlier on purpose: on the key the error names, or
 * else on the alias's `.type` key.
 */
function validatePluginConfigure(
  props: Readonly<Record<string, string>>,
  values: Map<string, ConfigValue>,
  registry: PluginRegistry,
): void {
  for (const plugin of [TRANSFORMATION, PREDICATE]) {
    for (const alias of new Set(listOrEmpty(props[plugin.aliasConfig]))) {
      const prefix = `${plugin.aliasConfig}.${alias}.`;
      const typeValue = values.get(`${prefix}type`);
      const aliasValues = [...values.values()].filter((v) => v.name.startsWith(prefix));
      if (!typeValue || aliasValues.some((v) => v.errorMessages.length > 0)) continue;
      let instance: { configure?: (configs: Record<string, string>) => void; close?: () => void };
      try {
        const descriptor = registry.find(props[`${prefix}type`]!, [plugin.kind]);
        if (!descriptor) continue;
        instance = descriptor.create() as typeof instance;
      } catch {
        continue; // an unresolvable type is reported on the type key already
      }
      if (typeof instance.configure !== 'function') continue;
      const configs: Record<string, string> = {};
      for (const [k, v] of Object.entries(props)) if (k.startsWith(prefix)) configs[k.slice(prefix.length)] = v;
      delete configs['type'];
      if (plugin === TRANSFORMATION) {
        delete configs[PREDICATE_CONFIG];
        delete configs[NEGATE_CONFIG];
      }
      try {
        instance.configure(configs);
      } catch (e) {
        const key = e instanceof ConfigError && e.key ? values.get(prefix + e.key) : undefined;
        (key ?? typeValue).errorMessages.push((e as Error).message);
      } finally {
        try {
          instance.close?.();
        } catch {
          // a plugin that fails to close after validation changes nothing about its config
        }
      }
    }
  }
}

/** The sub-config of a converter the connector config overrides, validated against the converter's config(). */
function validateConverterOverride(
  kind: 'key' | 'value' | 'header',
  props: Readonly<Record<string, string>>,
  classValue: ConfigValue | undefined,
  registry: PluginRegistry,
): ConfigInfos | null {
  const property = `${kind}.converter`;
  const className = props[property];
  if (className === undefined || !classValue || classValue.errorMessages.length > 0) return null;
  let converter: { config(): ConfigDef | null } | null;
  try {
    converter = kind === 'header'
      ? registry.headerConverter(className).create()
      : registry.converter(className).create();
  } catch {
    return null; // an unknown class is already reported on the class key itself
  }
  const configDef = converter.config();
  if (!configDef) return null;
  const prefix = `${property}.`;
  const sub: Record<string, string> = { 'converter.type': kind };
  for (const [k, v] of Object.entries(props)) if (k.startsWith(prefix) && k.length > prefix.length) sub[k.slice(prefix.length)] = v;
  return prefixedConfigInfos(configDef, configDef.validate(sub), prefix);
}

// ---------------------------------------------------------------------------------------------
// Runtime views
// ---------------------------------------------------------------------------------------------

/** One transformation or predicate alias, as the runtime builds it. */
export interface AliasedPluginConfig {
  alias: string;
  /** The `.type` class name or alias. */
  type: string;
  /** The plugin's own configs: `<transforms|predicates>.<alias>.*` without the prefix, type/predicate/negate removed. */
  configs: Record<string, string>;
}

export interface TransformationConfig extends AliasedPluginConfig {
  /** The predicate alias, or null. */
  predicate: string | null;
  negate: boolean;
}

/**
 * A connector config with typed getters (ConnectorConfig). Transformation and predicate types
 * must resolve in the registry, when one is given.
 * @throws ConfigError for the first invalid or missing key.
 */
export class ConnectorConfig extends AbstractConfig {
  constructor(props: Readonly<Record<string, string>>, registry?: PluginRegistry, def?: ConfigDef) {
    const base = def ?? connectorConfigDef(registry);
    // Without a registry there is nothing to resolve transformation types against: keep the base keys.
    super(registry ? enrichConnectorConfigDef(base, props, registry, true) : base, props);
  }

  connectorName(): string {
    return this.getString(NAME_CONFIG)!;
  }

  connectorClass(): string {
    return this.getString(CONNECTOR_CLASS_CONFIG)!;
  }

  tasksMax(): number {
    return this.getInt(TASKS_MAX_CONFIG);
  }

  tasksMaxEnforce(): boolean {
    return this.getBoolean(TASKS_MAX_ENFORCE_CONFIG);
  }

  errorRetryTimeout(): number {
    return this.getLong(ERRORS_RETRY_TIMEOUT_CONFIG);
  }

  errorMaxDelayInMillis(): number {
    return this.getLong(ERRORS_RETRY_MAX_DELAY_CONFIG);
  }

  errorToleranceType(): 'none' | 'all' {
    return this.getString(ERRORS_TOLERANCE_CONFIG)!.toLowerCase() === 'all' ? 'all' : 'none';
  }

  enableErrorLog(): boolean {
    return this.getBoolean(ERRORS_LOG_ENABLE_CONFIG);
  }

  includeRecordDetailsInErrorLog(): boolean {
    return this.getBoolean(ERRORS_LOG_INCLUDE_MESSAGES_CONFIG);
  }

  /** The converter this connector overrides, or null to use the worker's. */
  converterOverride(kind: 'key' | 'value' | 'header'): ConverterConfig | null {
    const key = `${kind}.converter`;
    const className = this.getClass(key);
    return className === null ? null : { className, configs: this.originalsWithPrefix(`${key}.`) };
  }

  /** The transformation chain, in order. */
  transformations(): TransformationConfig[] {
    return this.getList(TRANSFORMS_CONFIG).map((alias) => {
      const base = this.aliased(TRANSFORMS_CONFIG, alias);
      const predicate = base.configs[PREDICATE_CONFIG];
      const negate = base.configs[NEGATE_CONFIG];
      delete base.configs[PREDICATE_CONFIG];
      delete base.configs[NEGATE_CONFIG];
      return {
        ...base,
        predicate: predicate === undefined || predicate === '' ? null : predicate,
        negate: negate?.trim().toLowerCase() === 'true',
      };
    });
  }

  /** The predicate defined under an alias. */
  predicate(alias: string): AliasedPluginConfig {
    return this.aliased(PREDICATES_CONFIG, alias);
  }

  private aliased(aliasConfig: string, alias: string): AliasedPluginConfig {
    const configs = this.originalsWithPrefix(`${aliasConfig}.${alias}.`);
    const type = (configs['type'] ?? '').trim();
    delete configs['type'];
    return { alias, type, configs };
  }
}

/**
 * A sink connector config (SinkConnectorConfig).
 * @throws ConfigError as ConnectorConfig does, or for the topics checks with Kafka Connect's
 *   runtime message, e.g. "Invalid value null for configuration topics: Must configure one of topics or topics.regex".
 */
export class SinkConnectorConfig extends ConnectorConfig {
  constructor(props: Readonly<Record<string, string>>, registry?: PluginRegistry) {
    super(props, registry, sinkConnectorConfigDef(registry));
    const values = new Map<string, ConfigValue>();
    validateSinkTopics(props, values);
    for (const cv of values.values()) {
      if (cv.errorMessages.length > 0) throw invalidValue(cv.name, cv.value, cv.errorMessages[0]);
    }
  }

  topics(): string[] {
    return this.getList(TOPICS_CONFIG).filter((t) => t !== '');
  }

  /** The topics.regex, or null when unset. */
  topicsRegex(): RegExp | null {
    const regex = this.getString(TOPICS_REGEX_CONFIG) ?? '';
    return regex === '' ? null : new RegExp(`^(?:${regex})$`);
  }

  dlqTopicName(): string {
    return this.getString(DLQ_TOPIC_NAME_CONFIG) ?? '';
  }

  dlqTopicReplicationFactor(): number {
    return this.getShort(DLQ_TOPIC_REPLICATION_FACTOR_CONFIG);
  }

  isDlqContextHeadersEnabled(): boolean {
    return this.getBoolean(DLQ_CONTEXT_HEADERS_ENABLE_CONFIG);
  }

  /** Whether failed records are reported anywhere (a DLQ or the log). */
  enableErrantRecordReporter(): boolean {
    return this.dlqTopicName() !== '' || this.enableErrorLog();
  }
}

/** One topic creation group's settings. */
export interface TopicCreationGroup {
  name: string;
  include: string[];
  exclude: string[];
  replicationFactor: number;
  partitions: number;
  /** Any other topic configs of the group (e.g. cleanup.policy). */
  topicConfigs: Record<string, string>;
}

/** A source connector config (SourceConnectorConfig), with topic creation when the config uses it. */
export class SourceConnectorConfig extends ConnectorConfig {
  private readonly topicCreation: boolean;

  constructor(props: Readonly<Record<string, string>>, registry?: PluginRegistry, topicCreationEnabled = true) {
    const createTopics = topicCreationEnabled && usesTopicCreation(props);
    const base = sourceConnectorConfigDef(registry);
    super(props, registry, createTopics ? enrichTopicCreation(base, props) : base);
    this.topicCreation = createTopics;
  }

  usesTopicCreation(): boolean {
    return this.topicCreation;
  }

  exactlyOnceSupport(): 'requested' | 'required' {
    return this.getString(EXACTLY_ONCE_SUPPORT_CONFIG)!.toLowerCase() as 'requested' | 'required';
  }

  transactionBoundary(): 'poll' | 'interval' | 'connector' {
    return this.getString(TRANSACTION_BOUNDARY_CONFIG)!.toLowerCase() as 'poll' | 'interval' | 'connector';
  }

  /** null: use the worker's offset.flush.interval.ms. */
  transactionBoundaryIntervalMs(): number | null {
    const v = this.get(TRANSACTION_BOUNDARY_INTERVAL_CONFIG);
    return v === null ? null : Number(v);
  }

  offsetsTopic(): string | null {
    return this.getString(OFFSETS_TOPIC_CONFIG);
  }

  /** The topic creation groups, default first; empty when topic creation is not used. */
  topicCreationGroups(): TopicCreationGroup[] {
    if (!this.topicCreation) return [];
    const names = [DEFAULT_TOPIC_CREATION_GROUP, ...this.getList(TOPIC_CREATION_GROUPS_CONFIG)];
    return [...new Set(names)].filter((n) => n !== '').map((name) => {
      const prefix = `${TOPIC_CREATION_PREFIX}${name}.`;
      const topicConfigs = this.originalsWithPrefix(prefix);
      for (const k of ['include', 'exclude', 'replication.factor', 'partitions']) delete topicConfigs[k];
      return {
        name,
        // The default group matches every topic; its include/exclude settings are ignored, as in Kafka Connect.
        include: name === DEFAULT_TOPIC_CREATION_GROUP ? ['.*'] : this.getList(`${prefix}include`),
        exclude: name === DEFAULT_TOPIC_CREATION_GROUP ? [] : this.getList(`${prefix}exclude`),
        replicationFactor: this.getInt(`${prefix}replication.factor`),
        partitions: this.getInt(`${prefix}partitions`),
        topicConfigs,
      };
    });
  }
}
