package dev.sluice.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * The benchmark's latency sink for Apache Kafka Connect: the peer of sluice's NullSink with
 * `latency.file`. It discards records and records each one's end-to-end latency (arrival time minus
 * the record's timestamp) at 1 ms resolution, writing a summary per task when the task stops.
 */
public class LatencySinkConnector extends SinkConnector {
    private Map<String, String> props;

    @Override public String version() { return "0.1.0"; }
    @Override public void start(Map<String, String> props) { this.props = props; }
    @Override public Class<? extends Task> taskClass() { return LatencySinkTask.class; }
    @Override public void stop() { }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>();
        for (int i = 0; i < maxTasks; i++) {
            Map<String, String> c = new HashMap<>(props);
            c.put("task.index", Integer.toString(i));
            configs.add(c);
        }
        return configs;
    }

    @Override
    public ConfigDef config() {
        return new ConfigDef().define("latency.file", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH,
            "Prefix of the per-task summary files: <latency.file>.task-<n>.json")
            .define("latency.value.size", ConfigDef.Type.INT, -1, ConfigDef.Importance.LOW,
            "Count only records whose value has exactly this many bytes (-1: all)");
    }
}
