// Writes test/unit/storage/kafka/fixtures.json: the internal-topic records Apache Kafka Connect
// writes, produced with Kafka Connect's own schemas, JsonConverter (schemas.enable=false, the
// internal converter) and partitioner hash. Regenerate with:
//   java -cp '.cache/maven/connect/libs/*' test/unit/storage/kafka/java/InternalTopicFixtures.java > test/unit/storage/kafka/fixtures.json
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.*;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.storage.KafkaConfigBackingStore;
import org.apache.kafka.connect.storage.KafkaStatusBackingStore;

public class InternalTopicFixtures {
    static final JsonConverter converter = new JsonConverter();
    static final List<String> out = new ArrayList<>();

    static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20 || c > 0x7e) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    static void record(String name, String key, Schema schema, Object value) {
        byte[] bytes = converter.fromConnectData("topic", schema, value);
        out.add("    {\"name\": " + q(name) + ", \"key\": " + q(key) + ", \"value\": "
                + (bytes == null ? "null" : q(new String(bytes, StandardCharsets.UTF_8))) + "}");
    }

    static Schema privateSchema(Class<?> c, String field) throws Exception {
        Field f = c.getDeclaredField(field);
        f.setAccessible(true);
        return (Schema) f.get(null);
    }

    public static void main(String[] args) throws Exception {
        converter.configure(Map.of("schemas.enable", "false"), false);

        Map<String, String> props = new LinkedHashMap<>();
        props.put("connector.class", "FileStreamSource");
        props.put("tasks.max", "1");
        props.put("file", "/tmp/in \"quoted\".txt");
        props.put("topic", "lines");
        props.put("name", "file-source");
        Struct connector = new Struct(KafkaConfigBackingStore.CONNECTOR_CONFIGURATION_V0).put("properties", props);
        record("connector config", "connector-file-source", KafkaConfigBackingStore.CONNECTOR_CONFIGURATION_V0, connector);

        Map<String, String> task = new LinkedHashMap<>();
        task.put("file", "/tmp/é\t€\u0001😀");
        task.put("topic", "lines");
        task.put("task.class", "org.apache.kafka.connect.file.FileStreamSourceTask");
        record("task config", "task-file-source-0", KafkaConfigBackingStore.TASK_CONFIGURATION_V0,
                new Struct(KafkaConfigBackingStore.TASK_CONFIGURATION_V0).put("properties", task));
        record("commit", "commit-file-source", KafkaConfigBackingStore.CONNECTOR_TASKS_COMMIT_V0,
                new Struct(KafkaConfigBackingStore.CONNECTOR_TASKS_COMMIT_V0).put("tasks", 2));
        for (String state : List.of("STARTED", "PAUSED", "STOPPED")) {
            // KafkaConfigBackingStore.serializeTargetState
            Struct s = new Struct(KafkaConfigBackingStore.TARGET_STATE_V1)
                    .put("state", state.equals("STOPPED") ? "PAUSED" : state).put("state.v2", state);
            record("target state " + state, "target-state-file-source", KafkaConfigBackingStore.TARGET_STATE_V1, s);
        }
        record("target state v0", "target-state-file-source", KafkaConfigBackingStore.TARGET_STATE_V0,
                new Struct(KafkaConfigBackingStore.TARGET_STATE_V0).put("state", "PAUSED"));
        record("task count record", "tasks-fencing-file-source", KafkaConfigBackingStore.TASK_COUNT_RECORD_V0,
                new Struct(KafkaConfigBackingStore.TASK_COUNT_RECORD_V0).put("task-count", 3));
        record("session key", "session-key", KafkaConfigBackingStore.SESSION_KEY_V0,
                new Struct(KafkaConfigBackingStore.SESSION_KEY_V0)
                        .put("key", Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, (byte) 250}))
                        .put("algorithm", "HmacSHA256").put("creation-timestamp", 1700000000123L));
        record("restart request", "restart-connector-file-source", KafkaConfigBackingStore.RESTART_REQUEST_V0,
                new Struct(KafkaConfigBackingStore.RESTART_REQUEST_V0).put("include-tasks", true).put("only-failed", false));
        record("logger level", "logger-cluster-org.apache.kafka", KafkaConfigBackingStore.LOGGER_LEVEL_V0,
                new Struct(KafkaConfigBackingStore.LOGGER_LEVEL_V0).put("level", "DEBUG"));

        Schema status = privateSchema(KafkaStatusBackingStore.class, "STATUS_SCHEMA_V0");
        record("connector status", "status-connector-file-source", status,
                new Struct(status).put("state", "RUNNING").put("worker_id", "10.0.0.1:8083").put("generation", 7));
        record("task status failed", "status-task-file-source-0", status,
                new Struct(status).put("state", "FAILED").put("trace", "org.apache.kafka.connect.errors.ConnectException: boom\n\tat X.y(X.java:1)")
                        .put("worker_id", "10.0.0.1:8083").put("generation", 12));
        Schema topicValue = privateSchema(KafkaStatusBackingStore.class, "TOPIC_STATUS_VALUE_SCHEMA_V0");
        Schema topicStatus = privateSchema(KafkaStatusBackingStore.class, "TOPIC_STATUS_SCHEMA_V0");
        Struct ts = new Struct(topicValue).put("name", "lines").put("connector", "file-source").put("task", 0)
                .put("discoverTimestamp", 1700000000456L);
        record("topic status", "status-topic-lines:connector-file-source", topicStatus, Collections.singletonMap("topic", ts));

        // Offsets: OffsetStorageWriter writes key Arrays.asList(namespace, partition) and the offset map, schemaless.
        Map<String, Object> partition = new HashMap<>();
        for (String k : List.of("table", "schema", "database", "shard", "z", "a", "region", "kafka_partition")) partition.put(k, k.length());
        Map<String, Object> offset = new HashMap<>();
        offset.put("position", 123456789012L);
        offset.put("incrementing", 42L);
        offset.put("committed", true);
        offset.put("ratio", 0.5);
        offset.put("file", "/var/log/x.log");
        out.add("    {\"name\": \"offset key\", \"key\": " + q(new String(converter.fromConnectData("offsets", null, Arrays.asList("jdbc-source", partition)), StandardCharsets.UTF_8))
                + ", \"value\": " + q(new String(converter.fromConnectData("offsets", null, offset), StandardCharsets.UTF_8)) + "}");

        // Java's default partitioner for keyed records: toPositive(murmur2(keyBytes)) % numPartitions.
        List<String> partitions = new ArrayList<>();
        for (String key : List.of("[\"file-source\",{\"filename\":\"/tmp/in.txt\"}]", "status-connector-file-source", "abc", "a-little-bit-longer-string")) {
            byte[] b = key.getBytes(StandardCharsets.UTF_8);
            partitions.add("    {\"key\": " + q(key) + ", \"murmur2\": " + Utils.murmur2(b) + ", \"partition25\": " + (Utils.toPositive(Utils.murmur2(b)) % 25) + "}");
        }

        System.out.println("{");
        System.out.println("  \"records\": [");
        System.out.println(String.join(",\n", out));
        System.out.println("  ],");
        System.out.println("  \"partitions\": [");
        System.out.println(String.join(",\n", partitions));
        System.out.println("  ]");
        System.out.println("}");
    }
}
