package dev.sluice.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/** Counts latencies in 1 ms buckets up to an hour (the same clamp as sluice's NullSink). */
public class LatencySinkTask extends SinkTask {
    private static final int MAX_MS = 3_600_000;
    private long[] buckets;
    private String file;
    private int valueSize;

    @Override public String version() { return "0.1.0"; }

    @Override
    public void start(Map<String, String> props) {
        buckets = new long[MAX_MS + 1];
        file = props.get("latency.file") + ".task-" + props.getOrDefault("task.index", "0") + ".json";
        valueSize = Integer.parseInt(props.getOrDefault("latency.value.size", "-1"));
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        long now = System.currentTimeMillis();
        for (SinkRecord r : records) {
            Long ts = r.timestamp();
            if (ts == null || ts < 0) continue;
            if (valueSize >= 0 && !(r.value() instanceof byte[] && ((byte[]) r.value()).length == valueSize)) continue;
            long ms = Math.max(0, Math.min(MAX_MS, now - ts));
            buckets[(int) ms]++;
        }
    }

    /** Sparse buckets [[ms, count], ...]: the bench merges tasks and computes the percentiles. */
    @Override
    public void stop() {
        StringBuilder sb = new StringBuilder("{\"buckets\":[");
        boolean first = true;
        for (int ms = 0; ms <= MAX_MS; ms++) {
            if (buckets[ms] == 0) continue;
            if (!first) sb.append(',');
            sb.append('[').append(ms).append(',').append(buckets[ms]).append(']');
            first = false;
        }
        sb.append("]}\n");
        try {
            Files.write(Paths.get(file), sb.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConnectException("could not write " + file, e);
        }
    }
}
