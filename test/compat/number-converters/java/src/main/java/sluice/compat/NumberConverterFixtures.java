package sluice.compat;

import org.apache.kafka.connect.converters.BooleanConverter;
import org.apache.kafka.connect.converters.DoubleConverter;
import org.apache.kafka.connect.converters.FloatConverter;
import org.apache.kafka.connect.converters.IntegerConverter;
import org.apache.kafka.connect.converters.LongConverter;
import org.apache.kafka.connect.converters.ShortConverter;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.HeaderConverter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;

/**
 * Runs Apache Kafka's IntegerConverter, LongConverter, ShortConverter, FloatConverter,
 * DoubleConverter and BooleanConverter over the cases in cases.json and records what they do:
 * the bytes written (as a value converter and as a header converter), the schema and value read
 * back, and every exception with its cause.
 *
 * Usage: NumberConverterFixtures <cases.json> <fixtures.json>
 *
 * Values in both files are {"type": <Java class simple name>, "text": <its toString>}; floats and
 * doubles read back also carry "bits", the IEEE bits of the value widened to a double, in hex.
 */
public final class NumberConverterFixtures {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final HexFormat HEX = HexFormat.of();

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: NumberConverterFixtures <cases.json> <fixtures.json>");
            System.exit(2);
        }
        ObjectMapper mapper = new ObjectMapper();
        JsonNode spec = mapper.readTree(new File(args[0]));
        ObjectNode out = NODES.objectNode();
        out.put("generator", "test/compat/number-converters/java: org.apache.kafka.connect.converters.*");
        out.put("kafkaVersion", org.apache.kafka.common.utils.AppInfoParser.getVersion());
        out.put("javaVersion", System.getProperty("java.version"));

        ArrayNode serialize = out.putArray("serialize");
        for (JsonNode c : spec.get("serialize")) serialize.add(runSerialize(c));
        ArrayNode deserialize = out.putArray("deserialize");
        for (JsonNode c : spec.get("deserialize")) deserialize.add(runDeserialize(c));
        ArrayNode configure = out.putArray("configure");
        for (JsonNode c : spec.get("configure")) configure.add(runConfigure(c));

        // One case per line: diffs of the committed file stay readable.
        StringBuilder text = new StringBuilder("{\n");
        text.append("  \"generator\": ").append(mapper.writeValueAsString(out.get("generator"))).append(",\n");
        text.append("  \"kafkaVersion\": ").append(mapper.writeValueAsString(out.get("kafkaVersion"))).append(",\n");
        text.append("  \"javaVersion\": ").append(mapper.writeValueAsString(out.get("javaVersion"))).append(",\n");
        String[] sections = {"serialize", "deserialize", "configure"};
        for (int s = 0; s < sections.length; s++) {
            text.append("  \"").append(sections[s]).append("\": [\n");
            JsonNode items = out.get(sections[s]);
            for (int i = 0; i < items.size(); i++) {
                text.append("    ").append(mapper.writeValueAsString(items.get(i)));
                text.append(i + 1 < items.size() ? ",\n" : "\n");
            }
            text.append(s + 1 < sections.length ? "  ],\n" : "  ]\n");
        }
        text.append("}\n");
        Files.writeString(Path.of(args[1]), text.toString(), StandardCharsets.UTF_8);
    }

    private static ObjectNode runSerialize(JsonNode c) {
        ObjectNode result = NODES.objectNode();
        String converterName = c.get("converter").asText();
        result.put("converter", converterName);
        result.set("value", c.get("value"));
        if (c.hasNonNull("schema")) result.put("schema", c.get("schema").asText());
        Object value = javaValue(c.get("value"));
        Schema schema = c.hasNonNull("schema") ? SchemaBuilder.type(Schema.Type.valueOf(c.get("schema").asText())).build() : null;

        Converter converter = newConverter(converterName);
        converter.configure(Map.of(), false);
        try {
            result.put("hex", hex(converter.fromConnectData("topic", schema, value)));
        } catch (Exception e) {
            result.set("error", error(e));
        }
        HeaderConverter header = (HeaderConverter) newConverter(converterName);
        header.configure(Map.of("converter.type", "header"));
        try {
            result.put("headerHex", hex(header.fromConnectHeader("topic", "h", schema, value)));
        } catch (Exception e) {
            result.set("headerError", error(e));
        }
        return result;
    }

    private static ObjectNode runDeserialize(JsonNode c) {
        ObjectNode result = NODES.objectNode();
        String converterName = c.get("converter").asText();
        result.put("converter", converterName);
        JsonNode hexNode = c.get("hex");
        result.set("hex", hexNode);
        byte[] bytes = hexNode.isNull() ? null : HEX.parseHex(hexNode.asText());

        Converter converter = newConverter(converterName);
        converter.configure(Map.of(), true);
        try {
            SchemaAndValue read = converter.toConnectData("topic", bytes);
            ObjectNode schema = result.putObject("schema");
            schema.put("type", read.schema().type().name());
            schema.put("optional", read.schema().isOptional());
            result.set("read", neutral(read.value()));
        } catch (Exception e) {
            result.set("error", error(e));
        }
        HeaderConverter header = (HeaderConverter) newConverter(converterName);
        header.configure(Map.of("converter.type", "header"));
        try {
            result.set("headerRead", neutral(header.toConnectHeader("topic", "h", bytes).value()));
        } catch (Exception e) {
            result.set("headerError", error(e));
        }
        return result;
    }

    private static ObjectNode runConfigure(JsonNode c) {
        ObjectNode result = NODES.objectNode();
        String converterName = c.get("converter").asText();
        result.put("converter", converterName);
        result.set("config", c.get("config"));
        ObjectMapper mapper = new ObjectMapper();
        @SuppressWarnings("unchecked")
        Map<String, Object> config = mapper.convertValue(c.get("config"), Map.class);
        try {
            ((HeaderConverter) newConverter(converterName)).configure(config);
            result.put("ok", true);
        } catch (Exception e) {
            result.set("error", error(e));
        }
        return result;
    }

    private static Converter newConverter(String name) {
        switch (name) {
            case "ShortConverter": return new ShortConverter();
            case "IntegerConverter": return new IntegerConverter();
            case "LongConverter": return new LongConverter();
            case "FloatConverter": return new FloatConverter();
            case "DoubleConverter": return new DoubleConverter();
            case "BooleanConverter": return new BooleanConverter();
            default: throw new IllegalArgumentException("unknown converter " + name);
        }
    }

    /** {"type": "Integer", "text": "5"} to the Java object; null to null. */
    private static Object javaValue(JsonNode v) {
        if (v == null || v.isNull()) return null;
        String text = v.get("text").asText();
        switch (v.get("type").asText()) {
            case "Short": return Short.valueOf(text);
            case "Integer": return Integer.valueOf(text);
            case "Long": return Long.valueOf(text);
            case "Float": return Float.valueOf(text);
            case "Double": return Double.valueOf(text);
            case "Boolean": return Boolean.valueOf(text);
            case "String": return text;
            default: throw new IllegalArgumentException("unknown value type " + v);
        }
    }

    private static JsonNode neutral(Object value) {
        if (value == null) return NODES.nullNode();
        ObjectNode node = NODES.objectNode();
        node.put("type", value.getClass().getSimpleName());
        node.put("text", value.toString());
        if (value instanceof Float || value instanceof Double) {
            node.put("bits", String.format("%016x", Double.doubleToRawLongBits(((Number) value).doubleValue())));
        }
        return node;
    }

    private static ObjectNode error(Throwable e) {
        ObjectNode node = NODES.objectNode();
        node.put("class", e.getClass().getName());
        node.put("message", e.getMessage());
        if (e.getCause() != null) {
            node.put("causeClass", e.getCause().getClass().getName());
            node.put("causeMessage", e.getCause().getMessage());
        }
        return node;
    }

    private static String hex(byte[] bytes) {
        return bytes == null ? null : HEX.formatHex(bytes);
    }
}
