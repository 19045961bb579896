package dev.sluice.bench;

import java.util.Collection;
import java.util.Map;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/** Counts the Struct values it is given; anything else but null is an error (the conversion went wrong). */
public class ValueSinkTask extends SinkTask {
    private long structs;
    private long nulls;

    @Override public String version() { return "0.1.0"; }
    @Override public void start(Map<String, String> props) {}

    @Override
    public void put(Collection<SinkRecord> records) {
        for (SinkRecord r : records) {
            Object v = r.value();
            if (v instanceof Struct) structs++;
            else if (v == null) nulls++;
            else throw new DataException("ValueSink expects Struct values, got " + v.getClass().getName());
        }
    }

    @Override
    public void stop() {
        System.out.println("ValueSinkTask: " + structs + " structs, " + nulls + " nulls");
    }
}
