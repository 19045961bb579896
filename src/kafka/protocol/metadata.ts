/** Metadata v4 (KIP-896 removed v0–v3 in Kafka 4.0), parsed as far as the cluster id. */
import { KafkaConnection, parseBootstrap } from './connection.js';
import type { ConnectionSecurity } from './security.js';

const METADATA_API_KEY = 3;
const METADATA_VERSION = 4;

export interface ClusterInfo {
  clusterId: string | null;
  controllerId: number;
  brokers: { nodeId: number; host: string; port: number }[];
}

export async function fetchClusterInfo(
  bootstrap: string,
  opts: { useTls?: boolean; security?: ConnectionSecurity; clientId?: string } = {},
): Promise<ClusterInfo> {
  let lastError: unknown = new Error(`no broker address in "${bootstrap}"`);
  for (const address of parseBootstrap(bootstrap)) {
    let conn: KafkaConnection | undefined;
    try {
      conn = await KafkaConnection.connect(address, { clientId: opts.clientId ?? 'sluice-metadata', useTls: opts.useTls, security: opts.security });
      // topics: empty array (no topic metadata), allow_auto_topic_creation: false
      const body = Buffer.from([0, 0, 0, 0, 0]);
      return parseMetadata(await conn.request(METADATA_API_KEY, METADATA_VERSION, body));
    } catch (err) {
      lastError = err;
    } finally {
      conn?.close();
    }
  }
  throw lastError;
}

function parseMetadata(buf: Buffer): ClusterInfo {
  let pos = 4; // throttle_time_ms
  const readString = (): string | null => {
    const len = buf.readInt16BE(pos);
    pos += 2;
    if (len < 0) return null;
    const s = buf.toString('utf8', pos, pos + len);
    pos += len;
    return s;
  };
  const brokerCount = buf.readInt32BE(pos);
  pos += 4;
  const brokers: ClusterInfo['brokers'] = [];
  for (let i = 0; i < brokerCount; i++) {
    const nodeId = buf.readInt32BE(pos);
    pos += 4;
    const host = readString() ?? '';
    const port = buf.readInt32BE(pos);
    pos += 4;
    readString(); // rack
    brokers.push({ nodeId, host, port });
  }
  const clusterId = readString();
  const controllerId = buf.readInt32BE(pos);
  return { clusterId, controllerId, brokers };
}
