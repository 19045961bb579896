package sluice.compat;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;
import org.apache.kafka.common.record.TimestampType;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs Apache Kafka's own transformations and predicates over the case files in
 * test/compat/transforms/cases/ and records what they do, one fixture file per case file.
 *
 * Usage: TransformFixtures <cases dir> <fixtures dir> [case file name ...]
 *
 * Records go in and come out as JsonConverter envelopes (schemas.enable=true): keys, values and
 * header values are read with JsonConverter.toConnectData and the transformed record is written
 * back with fromConnectData, so both sides of the comparison are plain JSON. Per case the fixture
 * holds one of:
 *   {"name", "record": {...}}                the transformed record
 *   {"name", "dropped": true}                apply returned null
 *   {"name", "result": true|false}           a predicate's answer
 *   {"name", "error": {"stage", "type", "message"}}
 * where stage is "configure", "apply" (or "test") or "encode" (writing the result back failed),
 * type is the exception's simple class name and message its message.
 */
public final class TransformFixtures {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final ObjectMapper MAPPER = JsonMapper.builder()
        // Keep numbers exactly as JsonConverter wrote them.
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .nodeFactory(NODES)
        // ASCII output keeps the fixture files readable whatever the cases contain.
        .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
        .build();

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: TransformFixtures <cases dir> <fixtures dir> [case file name ...]");
            System.exit(2);
        }
        Path casesDir = Path.of(args[0]);
        Path fixturesDir = Path.of(args[1]);
        Files.createDirectories(fixturesDir);
        List<Path> files = new ArrayList<>();
        if (args.length > 2) {
            for (int i = 2; i < args.length; i++) files.add(casesDir.resolve(args[i]));
        } else {
            try (Stream<Path> listing = Files.list(casesDir)) {
                listing.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().forEach(files::add);
            }
        }
        for (Path file : files) {
            JsonNode spec = MAPPER.readTree(file.toFile());
            ObjectNode out = NODES.objectNode();
            out.put("generator", "test/compat/transforms/java: Apache Kafka's own transformations and predicates");
            out.put("plugin", spec.get("plugin").textValue());
            out.put("kafkaVersion", AppInfoParser.getVersion());
            out.put("javaVersion", System.getProperty("java.version"));
            out.set("configDef", configDef(spec.get("plugin").textValue()));
            ArrayNode results = out.putArray("results");
            for (JsonNode c : spec.get("cases")) results.add(runCase(spec, c));
            // One result per line: small diffs when a case changes.
            StringBuilder text = new StringBuilder("{\n");
            for (Map.Entry<String, JsonNode> e : out.properties()) {
                if (e.getKey().equals("results")) continue;
                text.append("  ").append(MAPPER.writeValueAsString(e.getKey())).append(": ")
                    .append(MAPPER.writeValueAsString(e.getValue())).append(",\n");
            }
            text.append("  \"results\": [\n");
            for (int i = 0; i < results.size(); i++) {
                text.append("    ").append(MAPPER.writeValueAsString(results.get(i)));
                text.append(i + 1 < results.size() ? ",\n" : "\n");
            }
            text.append("  ]\n}\n");
            Files.writeString(fixturesDir.resolve(file.getFileName()), text.toString(), StandardCharsets.UTF_8);
            System.out.println(file.getFileName() + ": " + results.size() + " cases");
        }
    }

    private static ObjectNode runCase(JsonNode spec, JsonNode c) {
        ObjectNode r = NODES.objectNode();
        r.put("name", c.get("name").textValue());
        String plugin = spec.get("plugin").textValue();
        boolean predicate = "predicate".equals(text(spec.get("kind"), "transformation"));

        Map<String, String> config = new LinkedHashMap<>();
        JsonNode cfg = c.get("config");
        if (cfg != null) {
            for (Map.Entry<String, JsonNode> e : cfg.properties()) {
                config.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
            }
        }

        Object instance;
        try {
            instance = Class.forName(plugin).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("no such plugin class: " + plugin, e);
        }

        try {
            if (predicate) ((Predicate<?>) instance).configure(config);
            else ((Transformation<?>) instance).configure(config);
        } catch (RuntimeException e) {
            r.set("error", error("configure", e));
            return r;
        }

        JsonConverter keyConverter = converter(true);
        JsonConverter valueConverter = converter(false);
        JsonConverter headerConverter = converter(false);
        ConnectRecord<?> record = toRecord(c.get("record"), keyConverter, valueConverter, headerConverter);

        if (predicate) {
            try {
                @SuppressWarnings({"unchecked", "rawtypes"})
                boolean result = ((Predicate) instance).test(record);
                r.put("result", result);
            } catch (RuntimeException e) {
                r.set("error", error("test", e));
            }
            close(instance);
            return r;
        }

        ConnectRecord<?> transformed;
        try {
            @SuppressWarnings({"unchecked", "rawtypes"})
            ConnectRecord<?> applied = (ConnectRecord<?>) ((Transformation) instance).apply(record);
            transformed = applied;
        } catch (RuntimeException e) {
            r.set("error", error("apply", e));
            close(instance);
            return r;
        }
        close(instance);
        if (transformed == null) {
            r.put("dropped", true);
            return r;
        }
        try {
            r.set("record", fromRecord(transformed, keyConverter, valueConverter, headerConverter));
        } catch (RuntimeException e) {
            r.set("error", error("encode", e));
        }
        return r;
    }

    /** The plugin's ConfigDef as /connector-plugins/{plugin}/config shows it: name, type, default, importance. */
    private static ArrayNode configDef(String plugin) throws ReflectiveOperationException {
        Object instance = Class.forName(plugin).getDeclaredConstructor().newInstance();
        ConfigDef def = instance instanceof Predicate<?> p ? p.config() : ((Transformation<?>) instance).config();
        ArrayNode keys = NODES.arrayNode();
        List<String> names = new ArrayList<>(def.configKeys().keySet());
        names.sort(null);
        for (String name : names) {
            ConfigDef.ConfigKey key = def.configKeys().get(name);
            ObjectNode k = keys.addObject();
            k.put("name", name);
            k.put("type", key.type.name());
            if (!key.hasDefault()) k.put("required", true);
            else k.put("default", ConfigDef.convertToString(key.defaultValue, key.type));
            k.put("importance", key.importance.name());
        }
        // Not closed: some transforms (TimestampRouter) cannot close before they are configured.
        return keys;
    }

    private static void close(Object instance) {
        if (instance instanceof Transformation<?> t) t.close();
        else if (instance instanceof Predicate<?> p) p.close();
    }

    private static JsonConverter converter(boolean isKey) {
        JsonConverter converter = new JsonConverter();
        converter.configure(Map.of("schemas.enable", "true"), isKey);
        return converter;
    }

    // ---- case record -> ConnectRecord ----

    private static ConnectRecord<?> toRecord(JsonNode n, JsonConverter keyConverter, JsonConverter valueConverter, JsonConverter headerConverter) {
        String topic = n.get("topic").textValue();
        Integer partition = n.hasNonNull("partition") ? n.get("partition").intValue() : null;
        Long timestamp = n.hasNonNull("timestamp") ? n.get("timestamp").longValue() : null;
        SchemaAndValue key = decode(keyConverter, topic, n.get("key"));
        SchemaAndValue value = decode(valueConverter, topic, n.get("value"));
        Headers headers = new ConnectHeaders();
        JsonNode hs = n.get("headers");
        if (hs != null) {
            for (JsonNode h : hs) headers.add(h.get("key").textValue(), decode(headerConverter, topic, h.get("value")));
        }
        if ("source".equals(text(n.get("kind"), "sink"))) {
            return new SourceRecord(sourceMap(n.get("sourcePartition")), sourceMap(n.get("sourceOffset")), topic, partition,
                key.schema(), key.value(), value.schema(), value.value(), timestamp, headers);
        }
        long offset = n.hasNonNull("offset") ? n.get("offset").longValue() : 0L;
        return new SinkRecord(topic, partition == null ? 0 : partition, key.schema(), key.value(), value.schema(), value.value(), offset,
            timestamp, timestamp == null ? TimestampType.NO_TIMESTAMP_TYPE : TimestampType.CREATE_TIME, headers);
    }

    private static SchemaAndValue decode(JsonConverter converter, String topic, JsonNode envelope) {
        if (envelope == null || envelope.isNull()) return SchemaAndValue.NULL;
        try {
            return converter.toConnectData(topic, MAPPER.writeValueAsBytes(envelope));
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot read envelope " + envelope, e);
        }
    }

    private static Map<String, Object> sourceMap(JsonNode n) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (n == null || n.isNull()) return map;
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            JsonNode v = e.getValue();
            map.put(e.getKey(), v.isNull() ? null : v.isTextual() ? v.textValue() : v.isBoolean() ? v.booleanValue() : v.isIntegralNumber() ? v.longValue() : v.doubleValue());
        }
        return map;
    }

    // ---- ConnectRecord -> fixture record ----

    private static ObjectNode fromRecord(ConnectRecord<?> record, JsonConverter keyConverter, JsonConverter valueConverter, JsonConverter headerConverter) {
        ObjectNode o = NODES.objectNode();
        if (record instanceof SourceRecord s) {
            o.put("kind", "source");
            o.set("sourcePartition", MAPPER.valueToTree(s.sourcePartition()));
            o.set("sourceOffset", MAPPER.valueToTree(s.sourceOffset()));
        } else {
            o.put("kind", "sink");
        }
        o.put("topic", record.topic());
        if (record.kafkaPartition() == null) o.putNull("partition");
        else o.put("partition", record.kafkaPartition());
        if (record instanceof SinkRecord s) o.put("offset", s.kafkaOffset());
        if (record.timestamp() == null) o.putNull("timestamp");
        else o.put("timestamp", record.timestamp());
        o.set("key", encode(keyConverter, record.topic(), record.keySchema(), record.key()));
        o.set("value", encode(valueConverter, record.topic(), record.valueSchema(), record.value()));
        ArrayNode headers = o.putArray("headers");
        for (Header h : record.headers()) {
            ObjectNode hn = headers.addObject();
            hn.put("key", h.key());
            hn.set("value", encode(headerConverter, record.topic(), h.schema(), h.value()));
        }
        return o;
    }

    private static JsonNode encode(JsonConverter converter, String topic, Schema schema, Object value) {
        if (schema == null && value == null) return NODES.nullNode();
        byte[] bytes = converter.fromConnectData(topic, schema, value);
        if (bytes == null) return NODES.nullNode();
        try {
            return MAPPER.readTree(bytes);
        } catch (Exception e) {
            throw new IllegalStateException("JsonConverter wrote unreadable JSON", e);
        }
    }

    private static ObjectNode error(String stage, Throwable t) {
        ObjectNode e = NODES.objectNode();
        e.put("stage", stage);
        e.put("type", t.getClass().getSimpleName());
        e.put("message", t.getMessage());
        return e;
    }

    private static String text(JsonNode n, String fallback) {
        return n == null || n.isNull() ? fallback : n.asText();
    }
}
