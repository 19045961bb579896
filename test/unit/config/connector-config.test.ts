import { describe, expect, it } from 'vitest';
import type { ConfigInfos, ConfigValueInfo } from '../../../src/api/config-def.js';
import { BadRequestError, ConfigError } from '../../../src/api/errors.js';
import {
  ConnectorConfig, SinkConnectorConfig, SourceConnectorConfig, connectorConfigDef, sinkConnectorConfigDef,
  sourceConnectorConfigDef, validateConnectorConfig, validateSinkTopics,
} from '../../../src/config/connector-config.js';
import { fakeRegistry } from '../plugins/fakes.js';
import { BUILTIN_TRANSFORMS } from '../../../src/transforms/builtins.js';

const SINK = { name: 'sink', 'connector.class': 'FakeSink', topics: 'orders' };
const SOURCE = { name: 'source', 'connector.class': 'FakeSource', topic: 't' };

function value(infos: ConfigInfos, name: string): ConfigValueInfo {
  const found = infos.configs.find((c) => c.value?.name === name);
  if (!found) throw new Error(`no value for ${name}`);
  return found.value!;
}

function errorsByKey(infos: ConfigInfos): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const c of infos.configs) if (c.value && c.value.errors.length > 0) out[c.value.name] = c.value.errors;
  return out;
}

describe('connector config definitions', () => {
  it('defines Kafka Connect\'s common keys, in order, with their defaults and groups', () => {
    const def = connectorConfigDef();
    expect(def.names()).toEqual([
      'name', 'connector.class', 'tasks.max', 'tasks.max.enforce', 'key.converter', 'value.converter',
      'header.converter', 'transforms', 'predicates', 'config.action.reload', 'errors.retry.timeout',
      'errors.retry.delay.max.ms', 'errors.tolerance', 'errors.log.enable', 'errors.log.include.messages',
    ]);
    expect(def.groups()).toEqual(['Common', 'Transforms', 'Predicates', 'Error Handling']);
    const parsed = def.parse({ name: 'n', 'connector.class': 'X' });
    expect(parsed).toMatchObject({
      'tasks.max': 1, 'tasks.max.enforce': true, 'key.converter': null, transforms: [], predicates: [],
      'config.action.reload': 'restart', 'errors.retry.timeout': 0, 'errors.retry.delay.max.ms': 60000,
      'errors.tolerance': 'none', 'errors.log.enable': false, 'errors.log.include.messages': false,
    });
  });

  it('adds the sink and source keys', () => {
    expect(sinkConnectorConfigDef().parse({ name: 'n', 'connector.class': 'X' })).toMatchObject({
      topics: [], 'topics.regex': '', 'errors.deadletterqueue.topic.name': '',
      'errors.deadletterqueue.topic.replication.factor': 3, 'errors.deadletterqueue.context.headers.enable': false,
    });
    expect(sourceConnectorConfigDef().parse({ name: 'n', 'connector.class': 'X' })).toMatchObject({
      'topic.creation.groups': [], 'exactly.once.support': 'requested', 'transaction.boundary': 'poll',
      'transaction.boundary.interval.ms': null, 'offsets.storage.topic': null,
    });
  });
});

describe('validateConnectorConfig', () => {
  const registry = fakeRegistry();

  it('accepts a valid sink config and shows every key with its definition', () => {
    const infos = validateConnectorConfig(SINK, registry);
    expect(infos.name).toBe('FakeSink');
    expect(infos.error_count).toBe(0);
    expect(infos.groups).toEqual(['Common', 'Transforms', 'Predicates', 'Error Handling']);
    const names = infos.configs.map((c) => c.definition?.name);
    expect(names.slice(0, 3)).toEqual(['name', 'connector.class', 'tasks.max']);
    expect(names).toContain('topics');
    expect(names).toContain('path'); // the connector's own key
    expect(value(infos, 'tasks.max')).toEqual({
      name: 'tasks.max', value: '1', recommended_values: [], errors: [], visible: true,
    });
    expect(infos.configs.find((c) => c.definition?.name === 'tasks.max')!.definition).toMatchObject({
      type: 'INT', required: false, default_value: '1', importance: 'HIGH', group: 'Common', width: 'SHORT',
      display_name: 'Tasks max', order_in_group: 3,
    });
  });

  it('reports tasks.max=abc and a missing name with Kafka Connect\'s messages', () => {
    const infos = validateConnectorConfig({ 'connector.class': 'FakeSink', topics: 't', 'tasks.max': 'abc' }, registry);
    expect(errorsByKey(infos)).toEqual({
      name: ['Missing required configuration "name" which has no default value.'],
      'tasks.max': [
        'Invalid value abc for configuration tasks.max: Not a number of type INT',
        'Invalid value null for configuration tasks.max: Value must be non-null',
      ],
    });
    expect(infos.error_count).toBe(3);
  });

  it('rejects names with control characters and tasks.max below 1', () => {
    const infos = validateConnectorConfig({ ...SINK, name: 'a\tb', 'tasks.max': '0' }, registry);
    expect(errorsByKey(infos)).toEqual({
      name: ['Invalid value a\tb for configuration name: String may not contain control sequences but had the following ASCII chars: 9'],
      'tasks.max': ['Invalid value 0 for configuration tasks.max: Value must be at least 1'],
    });
  });

  it('requires exactly one of topics and topics.regex', () => {
    const neither = validateConnectorConfig({ name: 's', 'connector.class': 'FakeSink' }, registry);
    expect(errorsByKey(neither)).toEqual({
      topics: ['Must configure one of topics or topics.regex'],
      'topics.regex': ['Must configure one of topics or topics.regex'],
    });
    expect(neither.error_count).toBe(2);
    const both = validateConnectorConfig({ ...SINK, 'topics.regex': 'o.*' }, registry);
    expect(errorsByKey(both)).toEqual({
      topics: ['topics and topics.regex are mutually exclusive options, but both are set.'],
      'topics.regex': ['topics and topics.regex are mutually exclusive options, but both are set.'],
    });
  });

  it('refuses a DLQ topic that is also an input topic', () => {
    const listed = validateConnectorConfig(
      { ...SINK, topics: 'a, dlq,a', 'errors.deadletterqueue.topic.name': ' dlq ' }, registry,
    );
    expect(errorsByKey(listed)).toEqual({
      topics: ["The DLQ topic 'dlq' may not be included in the list of topics ('topics=[a, dlq]') consumed by the connector"],
    });
    const matched = validateConnectorConfig(
      { name: 's', 'connector.class': 'FakeSink', 'topics.regex': 'd.*', 'errors.deadletterqueue.topic.name': 'dlq' },
      registry,
    );
    expect(errorsByKey(matched)).toEqual({
      'topics.regex': ["The DLQ topic 'dlq' may not be matched by the regex for the topics ('topics.regex=d.*') consumed by the connector"],
    });
  });

  it('reports an invalid topics.regex', () => {
    const infos = validateConnectorConfig({ name: 's', 'connector.class': 'FakeSink', 'topics.regex': '(' }, registry);
    expect(errorsByKey(infos)['topics.regex']![0]).toMatch(/^Invalid value \( for configuration topics.regex: Invalid regex: /);
  });

  it('validates the connector\'s own config through Connector.validate', () => {
    const infos = validateConnectorConfig({ name: 'src', 'connector.class': 'FakeSource', rate: '0' }, registry);
    expect(errorsByKey(infos)).toEqual({
      topic: ['Missing required configuration "topic" which has no default value.'],
      rate: ['Invalid value 0 for configuration rate: Value must be at least 1'],
    });
    expect(infos.groups).toContain('Fake');
    expect(infos.groups).toContain('Topic Creation');
  });

  it('answers 400 for a missing or unknown connector class', () => {
    expect(() => validateConnectorConfig({ name: 'x' }, registry)).toThrow(
      new BadRequestError('Connector config {name=x} contains no connector type'),
    );
    try {
      validateConnectorConfig({ name: 'x', 'connector.class': 'Nope' }, registry);
      throw new Error('expected a failure');
    } catch (e) {
      expect(e).toBeInstanceOf(BadRequestError);
      expect((e as Error).message).toBe(
        'Failed to find any class that implements Connector and which name matches Nope, ' +
          'available connectors are: com.example.FakeSinkConnector, com.example.FakeSourceConnector',
      );
    }
  });

  it('checks converter overrides and validates their sub-configs under the prefix', () => {
    const unknown = validateConnectorConfig({ ...SINK, 'key.converter': 'Nope' }, registry);
    expect(errorsByKey(unknown)).toEqual({
      'key.converter': ['Invalid value Nope for configuration key.converter: Class Nope could not be found.'],
    });
    const known = validateConnectorConfig(
      { ...SINK, 'value.converter': 'Fake', 'value.converter.schemas.enable': 'maybe' }, registry,
    );
    expect(errorsByKey(known)).toEqual({
      'value.converter.schemas.enable': [
        'Invalid value maybe for configuration schemas.enable: Expected value to be either true or false',
      ],
    });
    expect(known.error_count).toBe(1);
    expect(value(known, 'value.converter.converter.type').value).toBe('value');
    // Header converters are checked against the registry's header converters.
    expect(errorsByKey(validateConnectorConfig({ ...SINK, 'header.converter': 'Nope' }, registry))).toEqual({
      'header.converter': ['Invalid value Nope for configuration header.converter: Class Nope could not be found.'],
    });
  });

  it('adds transformation and predicate keys per alias', () => {
    const infos = validateConnectorConfig({
      ...SINK, transforms: 'mask, bad, missing', 'transforms.mask.type': 'com.example.transforms.Mask$Value',
      'transforms.mask.field': 'ssn', 'transforms.mask.predicate': 'isFoo',
      'transforms.bad.type': 'com.example.transforms.Mask', predicates: 'isFoo',
      'predicates.isFoo.type': 'TopicNameMatches',
    }, registry);
    expect(errorsByKey(infos)).toEqual({
      'transforms.bad.type': [
        'Invalid value class com.example.transforms.Mask for configuration transforms.bad.type: Transformation is ' +
          'abstract and cannot be created. Did you mean com.example.transforms.Mask$Key, com.example.transforms.Mask$Value?',
      ],
      'transforms.missing.type': [
        'Missing required configuration "transforms.missing.type" which has no default value.',
        'Invalid value null for configuration transforms.missing.type: Not a Transformation',
      ],
      'predicates.isFoo.pattern': ['Missing required configuration "predicates.isFoo.pattern" which has no default value.'],
    });
    expect(infos.groups).toEqual(expect.arrayContaining(['Transforms: mask', 'Transforms: bad', 'Predicates: isFoo']));
    const mask = infos.configs.filter((c) => c.definition?.group === 'Transforms: mask').map((c) => c.definition!.name);
    // The implicit predicate/negate mask the transformation's own "negate".
    expect(mask).toEqual(['transforms.mask.type', 'transforms.mask.field', 'transforms.mask.negate', 'transforms.mask.predicate']);
    expect(value(infos, 'transforms.mask.negate').value).toBe('false');
    const typeKey = infos.configs.find((c) => c.definition?.name === 'transforms.mask.type')!;
    expect(typeKey.definition).toMatchObject({ type: 'CLASS', required: true, display_name: 'Transformation type for mask' });
    expect(typeKey.value!.recommended_values).toEqual(['com.example.transforms.Mask$Key', 'com.example.transforms.Mask$Value']);
  });

  it('reports an unknown transformation, a duplicate alias, and negate without predicate', () => {
    const infos = validateConnectorConfig({
      ...SINK, transforms: 'a,a', 'transforms.a.type': 'org.Nope', 'transforms.a.negate': 'true',
    }, registry);
    expect(errorsByKey(infos)).toEqual({
      transforms: ['Invalid value [a, a] for configuration transforms: Duplicate alias provided.'],
      'transforms.a.type': [
        "Config 'transforms.a.negate' was provided but there is no config 'transforms.a.predicate' defining a predicate to be negated.",
      ],
    });
    const unknown = validateConnectorConfig({ ...SINK, transforms: 'a', 'transforms.a.type': 'org.Nope' }, registry);
    expect(errorsByKey(unknown)).toEqual({
      'transforms.a.type': ['Invalid value org.Nope for configuration transforms.a.type: Class org.Nope could not be found.'],
    });
  });

  it('validates topic creation groups when a source config uses them', () => {
    const infos = validateConnectorConfig({
      ...SOURCE, 'topic.creation.default.partitions': '0', 'topic.creation.groups': 'compacted',
      'topic.creation.compacted.include': 'c.*', 'topic.creation.compacted.cleanup.policy': 'compact',
    }, registry);
    expect(errorsByKey(infos)).toEqual({
      'topic.creation.default.replication.factor': [
        'Missing required configuration "topic.creation.default.replication.factor" which has no default value.',
        'Invalid value null for configuration replication.factor: Value is not of type Integer',
      ],
      'topic.creation.default.partitions': ['Invalid value 0 for configuration partitions: Value must be -1 or at least 1'],
    });
    expect(value(infos, 'topic.creation.compacted.partitions').value).toBe('-1');
    expect(validateConnectorConfig({ ...SOURCE, 'topic.creation.default.partitions': '0' }, registry, {
      topicCreationEnabled: false,
    }).error_count).toBe(0);
  });

  it('reports null values as Kafka Connect does', () => {
    const props = { ...SINK, extra: null } as unknown as Record<string, string>;
    const infos = validateConnectorConfig(props, registry);
    expect(infos.configs[0]).toEqual({
      definition: null,
      value: {
        name: 'extra', value: null, recommended_values: [], visible: true,
        errors: ['Null value can not be supplied as the configuration value.'],
      },
    });
    expect(infos.error_count).toBe(1);
  });
});

describe('runtime connector configs', () => {
  const registry = fakeRegistry();

  it('ConnectorConfig gives typed values, converter overrides and the transformation chain', () => {
    const config = new ConnectorConfig({
      ...SINK, 'tasks.max': '4', 'errors.tolerance': 'all', 'key.converter': 'Fake',
      'key.converter.schemas.enable': 'false', transforms: 'm', 'transforms.m.type': 'Mask$Value',
      'transforms.m.field': 'x', 'transforms.m.predicate': 'p', 'transforms.m.negate': 'TRUE',
      predicates: 'p', 'predicates.p.type': 'TopicNameMatches', 'predicates.p.pattern': 'a.*',
    }, registry);
    expect(config.connectorName()).toBe('sink');
    expect(config.tasksMax()).toBe(4);
    expect(config.errorToleranceType()).toBe('all');
    expect(config.converterOverride('key')).toEqual({ className: 'Fake', configs: { 'schemas.enable': 'false' } });
    expect(config.converterOverride('value')).toBeNull();
    expect(config.transformations()).toEqual([
      { alias: 'm', type: 'Mask$Value', configs: { field: 'x' }, predicate: 'p', negate: true },
    ]);
    expect(config.predicate('p')).toEqual({ alias: 'p', type: 'TopicNameMatches', configs: { pattern: 'a.*' } });
  });

  it('ConnectorConfig throws for an unresolvable transformation when it has a registry', () => {
    expect(() => new ConnectorConfig({ ...SINK, transforms: 'x', 'transforms.x.type': 'Nope' }, registry)).toThrow(
      'Invalid value Nope for configuration transforms.x.type: Class Nope could not be found.',
    );
  });

  it('SinkConnectorConfig applies the topic rules with Kafka Connect\'s runtime message', () => {
    expect(() => new SinkConnectorConfig({ name: 's', 'connector.class': 'FakeSink' })).toThrow(ConfigError);
    expect(() => new SinkConnectorConfig({ name: 's', 'connector.class': 'FakeSink' })).toThrow(
      'Invalid value null for configuration topics: Must configure one of topics or topics.regex',
    );
    const config = new SinkConnectorConfig({ ...SINK, topics: 'a,b', 'errors.deadletterqueue.topic.name': 'dlq' });
    expect(config.topics()).toEqual(['a', 'b']);
    expect(config.topicsRegex()).toBeNull();
    expect(config.dlqTopicName()).toBe('dlq');
    expect(config.dlqTopicReplicationFactor()).toBe(3);
    expect(config.enableErrantRecordReporter()).toBe(true);
    const regex = new SinkConnectorConfig({ name: 's', 'connector.class': 'FakeSink', 'topics.regex': 'or.*' });
    expect(regex.topicsRegex()!.test('orders')).toBe(true);
    expect(regex.topicsRegex()!.test('xorders')).toBe(false);
  });

  it('SourceConnectorConfig lists topic creation groups, default first', () => {
    const config = new SourceConnectorConfig({
      ...SOURCE, 'topic.creation.default.replication.factor': '-1', 'topic.creation.default.partitions': '3',
      'topic.creation.groups': 'c', 'topic.creation.c.include': 'c.*', 'topic.creation.c.partitions': '1',
      'topic.creation.c.cleanup.policy': 'compact', 'exactly.once.support': 'REQUIRED',
    });
    expect(config.usesTopicCreation()).toBe(true);
    expect(config.exactlyOnceSupport()).toBe('required');
    expect(config.topicCreationGroups()).toEqual([
      { name: 'default', include: ['.*'], exclude: [], replicationFactor: -1, partitions: 3, topicConfigs: {} },
      { name: 'c', include: ['c.*'], exclude: [], replicationFactor: -1, partitions: 1, topicConfigs: { 'cleanup.policy': 'compact' } },
    ]);
    expect(new SourceConnectorConfig(SOURCE).topicCreationGroups()).toEqual([]);
  });

  it('validateSinkTopics adds entries for keys without values', () => {
    const values = new Map();
    validateSinkTopics({}, values);
    expect([...values.keys()]).toEqual(['topics', 'topics.regex']);
  });
});

describe('validateConnectorConfig with the built-in transformations and predicates', () => {
  // The fakes' connectors with sluice's own transformations and predicates (full class names: the
  // fakes also have a TopicNameMatches).
  const registry = fakeRegistry();
  for (const plugin of BUILTIN_TRANSFORMS) registry.register(plugin);
  const T = 'org.apache.kafka.connect.transforms.';
  const P = 'org.apache.kafka.connect.transforms.predicates.';

  it('accepts a valid chain with a predicate, and shows predicate as null when unset (Kafka 4)', () => {
    const infos = validateConnectorConfig({
      ...SINK, transforms: 'route,drop', 'transforms.route.type': `${T}RegexRouter`, 'transforms.route.regex': '(.*)',
      'transforms.route.replacement': '$1-x', 'transforms.drop.type': `${T}Filter`, 'transforms.drop.predicate': 'tomb',
      predicates: 'tomb', 'predicates.tomb.type': `${P}RecordIsTombstone`,
    }, registry);
    expect(errorsByKey(infos)).toEqual({});
    expect(value(infos, 'transforms.route.predicate').value).toBeNull();
    expect(value(infos, 'transforms.drop.predicate').value).toBe('tomb');
  });

  it('reports a predicate alias that predicates does not list, on the transformation\'s predicate key', () => {
    const infos = validateConnectorConfig({
      ...SINK, transforms: 'drop', 'transforms.drop.type': `${T}Filter`, 'transforms.drop.predicate': 'isTombstone',
      predicates: 'other', 'predicates.other.type': `${P}RecordIsTombstone`,
    }, registry);
    expect(errorsByKey(infos)).toEqual({
      'transforms.drop.predicate': [
        "Invalid value isTombstone for configuration predicate: Transformation 'drop' refers to predicate 'isTombstone', " +
          "but 'predicates' does not list it",
      ],
    });
    expect(infos.error_count).toBe(1);
  });

  it('reports a missing required key and a bad Java regex on the transformation\'s own keys', () => {
    const infos = validateConnectorConfig({
      ...SINK, transforms: 'route', 'transforms.route.type': `${T}RegexRouter`, 'transforms.route.regex': '(orders',
      predicates: 'p', 'predicates.p.type': `${P}TopicNameMatches`,
    }, registry);
    expect(errorsByKey(infos)).toEqual({
      'transforms.route.regex': ['Invalid value (orders for configuration regex: Invalid regex: Unclosed group near index 7\n(orders'],
      'transforms.route.replacement': ['Missing required configuration "transforms.route.replacement" which has no default value.'],
      // Kafka's RegexValidator also runs on the missing value: two errors, as Kafka Connect reports.
      'predicates.p.pattern': [
        'Missing required configuration "predicates.p.pattern" which has no default value.',
        'Invalid value null for configuration pattern: Invalid regex: Cannot invoke "String.isEmpty()" because "this.pattern" is null',
      ],
    });
  });

  it('reports what only configure() checks, on the key it names or else on the type key', () => {
    const infos = validateConnectorConfig({
      ...SINK, transforms: 'hf,ins,ts', 'transforms.hf.type': `${T}HeaderFrom$Value`, 'transforms.hf.fields': 'a,b',
      'transforms.hf.headers': 'x', 'transforms.hf.operation': 'copy', 'transforms.ins.type': `${T}InsertField$Value`,
      'transforms.ts.type': `${T}TimestampRouter`, 'transforms.ts.timestamp.format': 'yyyy-q',
    }, registry);
    expect(errorsByKey(infos)).toEqual({
      'transforms.hf.type': ["'fields' config must have the same number of elements as 'headers' config."],
      'transforms.ins.type': ['No field insertion configured'],
      'transforms.ts.timestamp.format': ["Invalid value yyyy-q for configuration timestamp.format: Illegal pattern character 'q'"],
    });
  });

  it('is what ConnectorConfig refuses at runtime for an undefined predicate', () => {
    expect(() => new ConnectorConfig({
      ...SINK, transforms: 'drop', 'transforms.drop.type': `${T}Filter`, 'transforms.drop.predicate': 'nope',
    }, registry)).toThrow("Transformation 'drop' refers to predicate 'nope', but 'predicates' does not list it");
  });
});
