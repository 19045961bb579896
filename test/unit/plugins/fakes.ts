/** Small plugins for registry and config tests: no I/O, no data classes. */
import { ConfigDef, ConfigType, Importance, Range } from '../../../src/api/config-def.js';
import { SinkConnector, SourceConnector } from '../../../src/api/connector.js';
import type { Converter, SchemaAndValue } from '../../../src/api/converter.js';
import type { SinkTask } from '../../../src/api/sink.js';
import type { SourceTask } from '../../../src/api/source.js';
import { PluginRegistry, type PluginDescriptor } from '../../../src/plugins/registry.js';

export class FakeSourceConnector extends SourceConnector {
  version(): string {
    return '1.0';
  }
  start(): void {}
  stop(): void {}
  taskClass(): new () => SourceTask {
    throw new Error('not used');
  }
  taskConfigs(): Record<string, string>[] {
    return [];
  }
  config(): ConfigDef {
    return new ConfigDef()
      .define({ name: 'topic', type: ConfigType.STRING, importance: Importance.HIGH, documentation: 'Topic' })
      .define({ name: 'rate', type: ConfigType.INT, defaultValue: 10, validator: Range.atLeast(1), group: 'Fake' });
  }
}

export class FakeSinkConnector extends SinkConnector {
  version(): string {
    return '2.0';
  }
  start(): void {}
  stop(): void {}
  taskClass(): new () => SinkTask {
    throw new Error('not used');
  }
  taskConfigs(): Record<string, string>[] {
    return [];
  }
  config(): ConfigDef {
    return new ConfigDef().define({ name: 'path', type: ConfigType.STRING, defaultValue: null, importance: Importance.HIGH });
  }
}

export class FakeConverter implements Converter {
  configure(): void {}
  fromConnectData(): Uint8Array | null {
    return null;
  }
  toConnectData(): SchemaAndValue {
    return { schema: null, value: null };
  }
  config(): ConfigDef {
    return new ConfigDef()
      .define({ name: 'schemas.enable', type: ConfigType.BOOLEAN, defaultValue: true, importance: Importance.HIGH })
      .define({ name: 'converter.type', type: ConfigType.STRING, importance: Importance.LOW });
  }
}

export class FakeTransformation {
  config(): ConfigDef {
    return new ConfigDef()
      .define({ name: 'field', type: ConfigType.STRING, importance: Importance.HIGH, documentation: 'Field' })
      .define({ name: 'negate', type: ConfigType.STRING, defaultValue: 'masked', importance: Importance.LOW });
  }
}

export class FakePredicate {
  config(): ConfigDef {
    return new ConfigDef().define({ name: 'pattern', type: ConfigType.STRING, importance: Importance.HIGH });
  }
}

export const FAKE_PLUGINS: readonly PluginDescriptor[] = [
  { kind: 'source', className: 'com.example.FakeSourceConnector', version: '1.0', create: () => new FakeSourceConnector() },
  { kind: 'sink', className: 'com.example.FakeSinkConnector', version: '2.0', create: () => new FakeSinkConnector() },
  { kind: 'converter', className: 'com.example.FakeConverter', version: '1.0', create: () => new FakeConverter() },
  // The worker's default header.converter must resolve.
  {
    kind: 'header_converter', className: 'org.apache.kafka.connect.storage.SimpleHeaderConverter', version: '1.0',
    create: () => new FakeConverter(),
  },
  {
    kind: 'transformation', className: 'com.example.transforms.Mask$Value', version: '1.0',
    create: () => new FakeTransformation(),
  },
  {
    kind: 'transformation', className: 'com.example.transforms.Mask$Key', version: '1.0',
    create: () => new FakeTransformation(),
  },
  {
    kind: 'predicate', className: 'com.example.predicates.TopicNameMatches', version: '1.0',
    create: () => new FakePredicate(),
  },
];

export function fakeRegistry(): PluginRegistry {
  const registry = new PluginRegistry();
  for (const plugin of FAKE_PLUGINS) registry.register(plugin);
  return registry;
}
