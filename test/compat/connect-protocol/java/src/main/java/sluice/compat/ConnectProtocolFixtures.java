package sluice.compat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.connect.runtime.distributed.ConnectProtocol;
import org.apache.kafka.connect.runtime.distributed.ExtendedAssignment;
import org.apache.kafka.connect.runtime.distributed.ExtendedWorkerState;
import org.apache.kafka.connect.runtime.distributed.IncrementalCooperativeConnectProtocol;
import org.apache.kafka.connect.util.ConnectorTaskId;

import java.io.File;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serializes known worker states and assignments with Apache Kafka's own Connect protocol classes
 * and writes each case's inputs with the bytes Java produced, for sluice's compat test.
 * Usage: ConnectProtocolFixtures <fixtures.json>
 */
public final class ConnectProtocolFixtures {
    private static final List<Map<String, Object>> CASES = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        ExtendedAssignment running = assignment(1, 0, "worker-1-3f0c", "http://10.0.0.1:8083/", 17L,
                List.of("orders-sink", "users-source"),
                List.of(task("orders-sink", 0), task("orders-sink", 1), task("users-source", 0)),
                List.of(), List.of(), 0);

        metadataV0("metadata-v0", "http://worker-1:8083/", 42L);
        metadataV1("metadata-v1-new-worker", "http://worker-2:8083/", -1L, null, false);
        metadataV1("metadata-v1-running", "http://10.0.0.2:8083/", 17L, running, false);
        metadataV1("metadata-v2-running", "https://connect-3.example:8443/", 1234567890123L, withVersion(running, 2), true);
        metadataV1("metadata-v1-empty-assignment", "http://w:8083/", 0L,
                assignment(1, 0, "leader", "http://leader:8083/", 0L, List.of(), List.of(), List.of(), List.of(), 0), false);

        assignmentV0("assignment-v0-many-connectors", 0, "worker-1-3f0c", "http://10.0.0.1:8083/", 99L,
                List.of("zeta", "alpha", "orders-sink", "users-source", "datagen-1", "mirror.source", "b", "connecteur-é"),
                List.of(task("zeta", 2), task("alpha", 0), task("other", 7), task("zeta", 0)));
        assignmentV0("assignment-v0-empty", 0, "m", "http://m:8083/", -1L, List.of(), List.of());

        assignmentV1("assignment-v1-revocations", assignment(1, 0, "worker-2-aa", "http://10.0.0.2:8083/", 5L,
                List.of("new-connector"), List.of(task("new-connector", 0), task("new-connector", 1)),
                List.of("old-b", "old-a"), List.of(task("old-a", 3), task("old-b", 0), task("old-a", 1)), 0), false);
        assignmentV1("assignment-v1-delay", assignment(1, 0, "worker-1-3f0c", "http://10.0.0.1:8083/", 12L,
                List.of(), List.of(), List.of(), List.of(), 300000), false);
        assignmentV1("assignment-v2-config-mismatch", assignment(2, 1, "worker-1-3f0c", "http://10.0.0.1:8083/", 77L,
                List.of(), List.of(), List.of(), List.of(), 0), true);
        assignmentV1("assignment-v2-tasks-only", assignment(2, 0, "worker-3", "http://w3:8083/", 8L,
                List.of(), List.of(task("s3-sink", 4), task("jdbc", 0), task("s3-sink", 2)),
                List.of(), List.of(task("jdbc", 1)), 0), true);

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kafkaVersion", AppInfoParser.getVersion());
        out.put("javaVersion", System.getProperty("java.version"));
        out.put("cases", CASES);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(new File(args[0]), out);
    }

    private static ConnectorTaskId task(String connector, int task) {
        return new ConnectorTaskId(connector, task);
    }

    private static ExtendedAssignment assignment(int version, int error, String leader, String leaderUrl, long offset,
                                                 List<String> connectors, List<ConnectorTaskId> tasks,
                                                 List<String> revokedConnectors, List<ConnectorTaskId> revokedTasks, int delay) {
        return new ExtendedAssignment((short) version, (short) error, leader, leaderUrl, offset,
                new ArrayList<>(connectors), new ArrayList<>(tasks),
                new ArrayList<>(revokedConnectors), new ArrayList<>(revokedTasks), delay);
    }

    private static ExtendedAssignment withVersion(ExtendedAssignment a, int version) {
        return assignment(version, a.error(), a.leader(), a.leaderUrl(), a.offset(), new ArrayList<>(a.connectors()),
                new ArrayList<>(a.tasks()), new ArrayList<>(a.revokedConnectors()), new ArrayList<>(a.revokedTasks()), a.delay());
    }

    private static void metadataV0(String id, String url, long offset) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("url", url);
        input.put("configOffset", offset);
        input.put("assignment", null);
        add(id, "metadata", 0, input, ConnectProtocol.serializeMetadata(new ConnectProtocol.WorkerState(url, offset)));
    }

    private static void metadataV1(String id, String url, long offset, ExtendedAssignment a, boolean sessioned) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("url", url);
        input.put("configOffset", offset);
        input.put("assignment", a == null ? null : describe(a));
        add(id, "metadata", sessioned ? 2 : 1, input,
                IncrementalCooperativeConnectProtocol.serializeMetadata(new ExtendedWorkerState(url, offset, a), sessioned));
    }

    private static void assignmentV0(String id, int error, String leader, String leaderUrl, long offset,
                                     List<String> connectors, List<ConnectorTaskId> tasks) {
        ConnectProtocol.Assignment a = new ConnectProtocol.Assignment((short) error, leader, leaderUrl, offset,
                new ArrayList<>(connectors), new ArrayList<>(tasks));
        Map<String, Object> input = describe(assignment(0, error, leader, leaderUrl, offset, connectors, tasks, List.of(), List.of(), 0));
        add(id, "assignment", 0, input, ConnectProtocol.serializeAssignment(a));
    }

    private static void assignmentV1(String id, ExtendedAssignment a, boolean sessioned) {
        add(id, "assignment", a.version(), describe(a), IncrementalCooperativeConnectProtocol.serializeAssignment(a, sessioned));
    }

    private static Map<String, Object> describe(ExtendedAssignment a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", a.version());
        m.put("error", a.error());
        m.put("leader", a.leader());
        m.put("leaderUrl", a.leaderUrl());
        m.put("configOffset", a.offset());
        m.put("connectors", a.connectors());
        m.put("tasks", tasks(a.tasks()));
        m.put("revokedConnectors", a.revokedConnectors());
        m.put("revokedTasks", tasks(a.revokedTasks()));
        m.put("delay", a.delay());
        return m;
    }

    private static List<Map<String, Object>> tasks(java.util.Collection<ConnectorTaskId> ids) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ConnectorTaskId id : ids) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("connector", id.connector());
            m.put("task", id.task());
            out.add(m);
        }
        return out;
    }

    private static void add(String id, String kind, int version, Map<String, Object> input, ByteBuffer bytes) {
        byte[] b = new byte[bytes.remaining()];
        bytes.duplicate().get(b);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", id);
        c.put("kind", kind);
        c.put("version", version);
        c.put("input", input);
        c.put("hex", HexFormat.of().formatHex(b));
        CASES.add(c);
    }
}
