/**
 * MirrorMaker 2's replication policies: how a replicated topic is named on the target cluster,
 * and which topics are MirrorMaker's own (never replicated). DefaultReplicationPolicy prefixes
 * the source alias (`us-east.orders`); IdentityReplicationPolicy keeps the name.
 */
import { ConfigError } from '../../api/errors.js';

export interface ReplicationPolicy {
  /** The target topic of `topic` replicated from `sourceClusterAlias`. */
  formatRemoteTopic(sourceClusterAlias: string, topic: string): string;
  /** The alias a remote topic came from, or null for a topic that is not remote. */
  topicSource(topic: string): string | null;
  /** MirrorMaker's internal topics (heartbeats, checkpoints, offset syncs) and Kafka's own. */
  isInternalTopic(topic: string): boolean;
}

const INTERNAL_SUFFIXES = ['.internal', '-internal'];

function isMirrorInternal(topic: string, separator: string): boolean {
  const heartbeats = topic === 'heartbeats' || topic.endsWith(`${separator}heartbeats`);
  const checkpoints = topic.endsWith('.checkpoints.internal');
  const offsetSyncs = topic.startsWith('mm2-offset-syncs.') && topic.endsWith('.internal');
  return heartbeats || checkpoints || offsetSyncs || topic.startsWith('__') || topic.startsWith('.') ||
    INTERNAL_SUFFIXES.some((s) => topic.endsWith(s));
}

export class DefaultReplicationPolicy implements ReplicationPolicy {
  constructor(private readonly separator = '.') {}

  formatRemoteTopic(sourceClusterAlias: string, topic: string): string {
    return `${sourceClusterAlias}${this.separator}${topic}`;
  }

  topicSource(topic: string): string | null {
    const i = topic.indexOf(this.separator);
    return i < 0 ? null : topic.slice(0, i);
  }

  isInternalTopic(topic: string): boolean {
    return isMirrorInternal(topic, this.separator);
  }
}

export class IdentityReplicationPolicy implements ReplicationPolicy {
  constructor(private readonly separator = '.') {}

  formatRemoteTopic(_sourceClusterAlias: string, topic: string): string {
    return topic;
  }

  /** Identity names carry no source: only heartbeats are known to be remote. */
  topicSource(_topic: string): string | null {
    return null;
  }

  isInternalTopic(topic: string): boolean {
    return isMirrorInternal(topic, this.separator);
  }
}

const POLICIES: Record<string, (separator: string) => ReplicationPolicy> = {
  DefaultReplicationPolicy: (s) => new DefaultReplicationPolicy(s),
  IdentityReplicationPolicy: (s) => new IdentityReplicationPolicy(s),
};

/** The policy for `replication.policy.class` (Kafka's class name or its simple name). */
export function replicationPolicyFor(className: string, separator: string, key: string): ReplicationPolicy {
  const simple = className.replace(/^org\.apache\.kafka\.connect\.mirror\./, '');
  const create = POLICIES[simple];
  if (!create) {
    throw new ConfigError(
      `Invalid value ${className} for configuration ${key}: sluice provides ${Object.keys(POLICIES).join(' and ')}`,
      key,
    );
  }
  return create(separator);
}
