/** Building the distributed stores from a worker config (nothing connects until start()). */
import { describe, expect, it } from 'vitest';
import { DistributedConfig } from '../../../../src/config/distributed-config.js';
import { clientIdBase, createKafkaStores } from '../../../../src/storage/kafka/kafka-stores.js';

const props = {
  'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'group.id': 'connect-cluster',
  'config.storage.topic': 'connect-configs',
  'offset.storage.topic': 'connect-offsets',
  'status.storage.topic': 'connect-status',
};

describe('createKafkaStores', () => {
  it('names the clients as ConnectUtils.clientIdBase does', () => {
    expect(clientIdBase(new DistributedConfig(props))).toBe('connect-cluster-');
    expect(clientIdBase(new DistributedConfig({ ...props, 'client.id': 'w1' }))).toBe('connect-cluster-w1-');
  });

  it('creates the three stores without connecting', () => {
    const stores = createKafkaStores(new DistributedConfig(props));
    expect(stores.configs.snapshot().connectors()).toEqual([]);
    expect(stores.offsets.list('any')).toEqual([]);
    expect(stores.statuses.connectorNames()).toEqual([]);
  });

  it('rejects a Java client setting librdkafka does not know, naming it', () => {
    expect(() => createKafkaStores(new DistributedConfig({ ...props, 'security.protocol': 'SASL_SSL', 'sasl.jaas.config': 'x' }))).toThrow(
      /sasl\.jaas\.config/,
    );
  });
});
