package dev.sluice.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * The benchmark's converting null sink (avro-convert): its tasks take every record's value, as the
 * worker's converter made it, check that it is a Struct and count it, and keep nothing. sluice runs
 * the same sink (bench/peer/js/value-sink.mjs), so both workers do the conversion and nothing else.
 */
public class ValueSinkConnector extends SinkConnector {
    private Map<String, String> props;

    @Override public String version() { return "0.1.0"; }
    @Override public void start(Map<String, String> props) { this.props = props; }
    @Override public Class<? extends Task> taskClass() { return ValueSinkTask.class; }
    @Override public void stop() {}
    @Override public ConfigDef config() { return new ConfigDef(); }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>();
        for (int i = 0; i < maxTasks; i++) configs.add(props);
        return configs;
    }
}
