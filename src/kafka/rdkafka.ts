/** node-rdkafka is CommonJS; this is the one place that imports it. */
import Kafka from 'node-rdkafka';

export const { Producer, KafkaConsumer, AdminClient, CODES } = Kafka;
export type {
  LibrdKafkaError,
  Message,
  MessageHeader,
  TopicPartition,
  TopicPartitionOffset,
  DeliveryReport,
  Metadata,
} from 'node-rdkafka';
export const librdkafkaVersion: string = Kafka.librdkafkaVersion;
