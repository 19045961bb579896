import { describe, expect, it } from 'vitest';
import { ConfigDef } from '../../../src/api/config-def.js';
import { ConfigError, DataError } from '../../../src/api/errors.js';
import type { Predicate, Transformation } from '../../../src/api/transformation.js';
import { ConnectorConfig } from '../../../src/config/connector-config.js';
import { Headers } from '../../../src/data/headers.js';
import { SinkRecord, SourceRecord } from '../../../src/data/record.js';
import { PluginRegistry } from '../../../src/plugins/registry.js';
import { BUILTIN_TRANSFORMS } from '../../../src/transforms/builtins.js';
import { TransformationChain, TransformationError } from '../../../src/transforms/chain.js';

/** Records what happens to it; throws on apply when configured with fail=true. */
const closed: string[] = [];
class SpyTransformation implements Transformation<SinkRecord> {
  private name = '';
  private fail = false;
  configure(configs: Record<string, string>): void {
    this.name = configs['name'] ?? 'spy';
    this.fail = configs['fail'] === 'true';
    if (configs['bad'] !== undefined) throw new ConfigError(`Invalid value ${configs['bad']} for configuration bad: no`, 'bad');
  }
  apply(record: SinkRecord): SinkRecord {
    if (this.fail) throw new DataError('boom');
    return record.newRecord(`${record.topic}+${this.name}`, record.kafkaPartition, null, record.key, null, record.value, record.timestamp);
  }
  config(): ConfigDef {
    return new ConfigDef();
  }
  close(): void {
    closed.push(this.name);
    if (this.name === 'noisy') throw new Error('close failed');
  }
}
class ThrowingPredicate implements Predicate<SinkRecord> {
  configure(): void {}
  test(): boolean {
    throw new Error('cannot decide');
  }
  config(): ConfigDef {
    return new ConfigDef();
  }
  close(): void {
    closed.push('predicate');
  }
}

const registry = new PluginRegistry();
for (const d of BUILTIN_TRANSFORMS) registry.register(d);
registry.register({ kind: 'transformation', className: 'com.example.Spy', version: '1', create: () => new SpyTransformation() });
registry.register({ kind: 'predicate', className: 'com.example.Throwing', version: '1', create: () => new ThrowingPredicate() });

const BASE = { name: 'c', 'connector.class': 'X' };

function chain(props: Record<string, string>): TransformationChain<SinkRecord> {
  return TransformationChain.fromConfig<SinkRecord>(new ConnectorConfig({ ...BASE, ...props }, registry), registry);
}

function record(topic: string, value: unknown = 'v', headers = new Headers()): SinkRecord {
  return new SinkRecord(topic, 4, null, null, null, value, 17n, 1_700_000_000_000, 'CreateTime', headers);
}

describe('TransformationChain', () => {
  it('is empty without transforms and returns records as they are', () => {
    const empty = chain({});
    const r = record('t');
    expect(empty.isEmpty).toBe(true);
    expect(empty.apply(r)).toBe(r);
  });

  it('applies the transformations in the order of transforms', () => {
    const c = chain({
      transforms: 'second,first', 'transforms.first.type': 'com.example.Spy', 'transforms.first.name': 'one',
      'transforms.second.type': 'com.example.Spy', 'transforms.second.name': 'two',
    });
    expect(c.isEmpty).toBe(false);
    expect(c.aliases).toEqual(['second', 'first']);
    expect(c.apply(record('t'))!.topic).toBe('t+two+one');
  });

  it('applies a stage only where its predicate holds, or fails with negate=true', () => {
    const props = {
      transforms: 'route', 'transforms.route.type': 'org.apache.kafka.connect.transforms.RegexRouter',
      'transforms.route.regex': '(.*)', 'transforms.route.replacement': '$1-routed', 'transforms.route.predicate': 'isOrders',
      predicates: 'isOrders', 'predicates.isOrders.type': 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
      'predicates.isOrders.pattern': 'orders.*',
    };
    const c = chain(props);
    expect(c.apply(record('orders'))!.topic).toBe('orders-routed');
    expect(c.apply(record('payments'))!.topic).toBe('payments');
    const negated = chain({ ...props, 'transforms.route.negate': 'true' });
    expect(negated.apply(record('orders'))!.topic).toBe('orders');
    expect(negated.apply(record('payments'))!.topic).toBe('payments-routed');
  });

  it('drops records with Filter and runs no later stage for them (Kafka\'s tombstone-dropping recipe)', () => {
    const c = chain({
      transforms: 'dropTombstones,mark', 'transforms.dropTombstones.type': 'Filter',
      'transforms.dropTombstones.predicate': 'tombstone', 'transforms.mark.type': 'InsertHeader',
      'transforms.mark.header': 'seen', 'transforms.mark.value.literal': 'yes',
      predicates: 'tombstone', 'predicates.tombstone.type': 'RecordIsTombstone',
    });
    expect(c.apply(record('t', null))).toBeNull();
    expect(c.apply(record('t', 'v'))!.headers.lastWithName('seen')!.value).toBe('yes');
  });

  it('names the alias, class and record when a transformation throws', () => {
    const c = chain({ transforms: 'bad', 'transforms.bad.type': 'com.example.Spy', 'transforms.bad.fail': 'true' });
    let error: unknown;
    try {
      c.apply(record('orders'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TransformationError);
    expect((error as TransformationError).alias).toBe('bad');
    expect((error as TransformationError).message).toBe(
      "Transformation 'bad' (com.example.Spy) failed on the record from topic 'orders', partition 4, offset 17: DataException: boom");
    expect((error as TransformationError).cause).toBeInstanceOf(DataError);
  });

  it('names the predicate when it throws, and source records by topic and partition', () => {
    const c = TransformationChain.fromConfig<SourceRecord>(new ConnectorConfig({
      ...BASE, transforms: 'f', 'transforms.f.type': 'Filter', 'transforms.f.predicate': 'p',
      predicates: 'p', 'predicates.p.type': 'com.example.Throwing',
    }, registry), registry);
    expect(() => c.apply(new SourceRecord({}, {}, 'events', 2, null, null, null, 'v'))).toThrow(
      "Predicate 'p' (com.example.Throwing) of transformation 'f' failed on the record from topic 'events', partition 2: Error: cannot decide");
  });

  it('refuses a predicate alias that predicates does not list, naming the alias and key', () => {
    expect(() => chain({ transforms: 'f', 'transforms.f.type': 'Filter', 'transforms.f.predicate': 'nope' })).toThrow(
      "Invalid value nope for configuration predicate: Transformation 'f' refers to predicate 'nope', but 'predicates' does not list it");
  });

  it('surfaces configure() errors with the alias and the full key, closing what it created', () => {
    closed.length = 0;
    let error: unknown;
    try {
      chain({
        transforms: 'ok,broken', 'transforms.ok.type': 'com.example.Spy', 'transforms.ok.name': 'ok',
        'transforms.broken.type': 'com.example.Spy', 'transforms.broken.name': 'broken', 'transforms.broken.bad': 'x',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe('transforms.broken.bad');
    expect((error as ConfigError).message).toBe(
      "Transformation 'broken' (com.example.Spy) has an invalid configuration: Invalid value x for configuration bad: no");
    expect(closed).toEqual(['ok', 'broken']);
    // Kafka's own transforms: a config only configure() checks.
    expect(() => chain({
      transforms: 'h', 'transforms.h.type': 'HeaderFrom$Value', 'transforms.h.fields': 'a,b',
      'transforms.h.headers': 'x', 'transforms.h.operation': 'copy',
    })).toThrow("Transformation 'h' (org.apache.kafka.connect.transforms.HeaderFrom$Value) has an invalid configuration: " +
      "'fields' config must have the same number of elements as 'headers' config.");
  });

  it('closes every transformation and predicate, even when one fails to close', () => {
    closed.length = 0;
    const c = chain({
      transforms: 'a,b', 'transforms.a.type': 'com.example.Spy', 'transforms.a.name': 'noisy',
      'transforms.b.type': 'com.example.Spy', 'transforms.b.name': 'quiet', 'transforms.b.predicate': 'p',
      predicates: 'p', 'predicates.p.type': 'com.example.Throwing',
    });
    c.close();
    expect(closed).toEqual(['noisy', 'quiet', 'predicate']);
  });
});
