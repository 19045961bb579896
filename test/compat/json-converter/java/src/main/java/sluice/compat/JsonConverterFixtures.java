package sluice.compat;

import org.apache.kafka.connect.data.ConnectSchema;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.File;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs Apache Kafka's own JsonConverter over the cases in cases.json and records what it does.
 *
 * Usage: JsonConverterFixtures <cases.json> <fixtures.json>
 *
 * The "neutral" forms used in both files (documented in cases.json) keep every Java detail that
 * matters: int64 as decimal strings, floats as strings plus their IEEE bits, bytes as base64,
 * decimals with unscaled value and scale, java.util.Date as epoch millis, structs as ordered
 * [name, value] pairs and maps as [key, value] pairs.
 */
public final class JsonConverterFixtures {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: JsonConverterFixtures <cases.json> <fixtures.json>");
            System.exit(2);
        }
        // The deep-nesting cases go past Jackson's default limits for our own files (not for the
        // converter, which keeps its defaults).
        JsonFactory factory = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(10_000).build())
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(10_000).build())
            // ASCII output: lone surrogates in the string cases survive as JSON unicode escapes.
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .build();
        ObjectMapper mapper = new ObjectMapper(factory);
        mapper.setNodeFactory(NODES);

        JsonNode spec = mapper.readTree(new File(args[0]));
        ObjectNode out = NODES.objectNode();
        out.put("generator", "test/compat/json-converter/java: org.apache.kafka.connect.json.JsonConverter");
        out.put("kafkaVersion", org.apache.kafka.common.utils.AppInfoParser.getVersion());
        out.put("javaVersion", System.getProperty("java.version"));
        ArrayNode results = out.putArray("results");
        for (JsonNode c : spec.get("cases")) {
            List<Boolean> modes = new ArrayList<>();
            JsonNode modesNode = c.get("schemasEnable");
            if (modesNode == null) {
                modes.add(true);
                modes.add(false);
            } else {
                for (JsonNode m : modesNode) modes.add(m.booleanValue());
            }
            for (boolean schemasEnable : modes) {
                results.add(runCase(c, schemasEnable));
            }
        }
        // One result per line: small diffs when a case changes, and no indentation blow-up for the
        // deeply nested cases.
        StringBuilder text = new StringBuilder("{\n");
        for (Map.Entry<String, JsonNode> e : out.properties()) {
            if (e.getKey().equals("results")) continue;
            text.append("  ").append(mapper.writeValueAsString(e.getKey())).append(": ")
                .append(mapper.writeValueAsString(e.getValue())).append(",\n");
        }
        text.append("  \"results\": [\n");
        for (int i = 0; i < results.size(); i++) {
            text.append("    ").append(mapper.writeValueAsString(results.get(i)));
            text.append(i + 1 < results.size() ? ",\n" : "\n");
        }
        text.append("  ]\n}\n");
        Files.writeString(Path.of(args[1]), text.toString(), StandardCharsets.UTF_8);
    }

    private static ObjectNode runCase(JsonNode c, boolean schemasEnable) {
        ObjectNode r = NODES.objectNode();
        r.put("id", c.get("id").textValue());
        r.put("schemasEnable", schemasEnable);

        Map<String, Object> config = new LinkedHashMap<>();
        JsonNode cfg = c.get("config");
        if (cfg != null) {
            for (Map.Entry<String, JsonNode> e : cfg.properties()) config.put(e.getKey(), e.getValue().textValue());
        }
        config.put("schemas.enable", Boolean.toString(schemasEnable));
        boolean isKey = c.has("isKey") && c.get("isKey").booleanValue();

        JsonConverter converter = new JsonConverter();
        try {
            converter.configure(config, isKey);
        } catch (Throwable t) {
            r.set("configureError", error(t));
            return r;
        }

        if (c.has("value")) {
            Schema schema;
            Object value;
            try {
                schema = c.hasNonNull("schema") ? toSchema(c.get("schema")) : null;
                value = toValue(c.get("value"), schema);
            } catch (Throwable t) {
                r.set("buildError", error(t));
                return r;
            }
            byte[] bytes;
            try {
                bytes = converter.fromConnectData("topic", schema, value);
            } catch (Throwable t) {
                r.set("encode", errorResult(t));
                bytes = null;
            }
            if (!r.has("encode")) {
                r.set("encode", bytesNode(bytes));
                if (bytes != null) r.set("roundTrip", decode(converter, bytes));
            }
        }

        JsonNode inputs = c.get("inputs");
        if (inputs != null) {
            ArrayNode decodes = r.putArray("decodes");
            for (JsonNode input : inputs) {
                ObjectNode d = NODES.objectNode();
                d.set("input", input);
                byte[] raw;
                if (input.isNull()) raw = null;
                else if (input.isTextual()) raw = input.textValue().getBytes(StandardCharsets.UTF_8);
                else raw = Base64.getDecoder().decode(input.get("base64").textValue());
                d.set("result", decode(converter, raw));
                decodes.add(d);
            }
        }
        return r;
    }

    private static ObjectNode decode(JsonConverter converter, byte[] bytes) {
        ObjectNode result = NODES.objectNode();
        try {
            SchemaAndValue sv = converter.toConnectData("topic", bytes);
            result.set("schema", fromSchema(sv.schema()));
            result.set("value", fromValue(sv.value()));
        } catch (Throwable t) {
            result.set("error", error(t));
        }
        return result;
    }

    private static ObjectNode errorResult(Throwable t) {
        ObjectNode n = NODES.objectNode();
        n.set("error", error(t));
        return n;
    }

    /** Class and message, plus the chain of causes: sluice matches the top level exactly. */
    private static ObjectNode error(Throwable t) {
        ObjectNode n = NODES.objectNode();
        n.put("class", t.getClass().getSimpleName());
        n.put("message", t.getMessage());
        if (t.getCause() != null && t.getCause() != t) {
            n.put("causeClass", t.getCause().getClass().getName());
        }
        return n;
    }

    private static JsonNode bytesNode(byte[] bytes) {
        ObjectNode n = NODES.objectNode();
        if (bytes == null) {
            n.put("tombstone", true);
        } else {
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (java.util.Arrays.equals(text.getBytes(StandardCharsets.UTF_8), bytes)) {
                n.put("text", text);
            } else {
                n.put("base64", Base64.getEncoder().encodeToString(bytes));
            }
        }
        return n;
    }

    // ---- neutral schema <-> Connect schema ----

    static Schema toSchema(JsonNode n) {
        Schema.Type type = Schema.Type.valueOf(n.get("type").textValue());
        SchemaBuilder b;
        switch (type) {
            case ARRAY:
                b = SchemaBuilder.array(toSchema(n.get("valueSchema")));
                break;
            case MAP:
                b = SchemaBuilder.map(toSchema(n.get("keySchema")), toSchema(n.get("valueSchema")));
                break;
            case STRUCT:
                b = SchemaBuilder.struct();
                for (JsonNode f : n.get("fields")) b.field(f.get("name").textValue(), toSchema(f.get("schema")));
                break;
            default:
                b = SchemaBuilder.type(type);
        }
        if (n.path("optional").booleanValue()) b.optional();
        if (n.hasNonNull("name")) b.name(n.get("name").textValue());
        if (n.hasNonNull("version")) b.version(n.get("version").intValue());
        if (n.hasNonNull("doc")) b.doc(n.get("doc").textValue());
        if (n.hasNonNull("parameters")) {
            for (Map.Entry<String, JsonNode> e : n.get("parameters").properties()) b.parameter(e.getKey(), e.getValue().textValue());
        }
        if (!n.hasNonNull("default")) return b.build();

        Schema withoutDefault = b.build();
        Object defaultValue = toValue(n.get("default"), withoutDefault);
        if (type == Schema.Type.STRUCT) {
            // SchemaBuilder.defaultValue rejects every Struct (it compares the Struct's schema with
            // the builder itself), so a struct default can only be made with ConnectSchema directly.
            return new ConnectSchema(type, withoutDefault.isOptional(), defaultValue, withoutDefault.name(),
                withoutDefault.version(), withoutDefault.doc(), withoutDefault.parameters(), withoutDefault.fields(),
                null, null);
        }
        return b.defaultValue(defaultValue).build();
    }

    static JsonNode fromSchema(Schema s) {
        if (s == null) return NODES.nullNode();
        ObjectNode n = NODES.objectNode();
        n.put("type", s.type().name());
        n.put("optional", s.isOptional());
        if (s.name() != null) n.put("name", s.name());
        if (s.version() != null) n.put("version", s.version());
        if (s.doc() != null) n.put("doc", s.doc());
        if (s.parameters() != null) {
            ObjectNode p = n.putObject("parameters");
            for (Map.Entry<String, String> e : s.parameters().entrySet()) p.put(e.getKey(), e.getValue());
        }
        if (s.defaultValue() != null) n.set("default", fromValue(s.defaultValue()));
        switch (s.type()) {
            case ARRAY:
                n.set("valueSchema", fromSchema(s.valueSchema()));
                break;
            case MAP:
                n.set("keySchema", fromSchema(s.keySchema()));
                n.set("valueSchema", fromSchema(s.valueSchema()));
                break;
            case STRUCT:
                ArrayNode fields = n.putArray("fields");
                for (Field f : s.fields()) {
                    ObjectNode fn = fields.addObject();
                    fn.put("name", f.name());
                    fn.set("schema", fromSchema(f.schema()));
                }
                break;
            default:
                break;
        }
        return n;
    }

    // ---- neutral value <-> Java value ----

    /** Builds the Java object a neutral value names; the schema is needed only to build Structs. */
    static Object toValue(JsonNode n, Schema schema) {
        if (n == null || n.isNull()) return null;
        Map.Entry<String, JsonNode> tag = n.properties().iterator().next();
        JsonNode v = tag.getValue();
        switch (tag.getKey()) {
            case "int8": return (byte) v.intValue();
            case "int16": return (short) v.intValue();
            case "int32": return v.intValue();
            case "int64": return Long.parseLong(v.asText());
            case "float32": return v.isTextual() ? Float.parseFloat(v.textValue()) : v.floatValue();
            case "float64": return v.isTextual() ? Double.parseDouble(v.textValue()) : v.doubleValue();
            case "boolean": return v.booleanValue();
            case "string": return v.textValue();
            case "bytes": return Base64.getDecoder().decode(v.textValue());
            case "byteBuffer": return ByteBuffer.wrap(Base64.getDecoder().decode(v.textValue()));
            case "decimal": return new BigDecimal(v.textValue());
            case "javaUtilDate": return new java.util.Date(Long.parseLong(v.asText()));
            case "array": {
                // Only a matching schema types the elements: a mismatch is for the converter to report.
                Schema elem = schema != null && schema.type() == Schema.Type.ARRAY ? schema.valueSchema() : null;
                List<Object> list = new ArrayList<>();
                for (JsonNode e : v) list.add(toValue(e, elem));
                return list;
            }
            case "map": {
                boolean isMap = schema != null && schema.type() == Schema.Type.MAP;
                Schema ks = isMap ? schema.keySchema() : null;
                Schema vs = isMap ? schema.valueSchema() : null;
                Map<Object, Object> map = new LinkedHashMap<>();
                for (JsonNode e : v) map.put(toValue(e.get(0), ks), toValue(e.get(1), vs));
                return map;
            }
            case "struct": {
                Schema structSchema = n.has("schema") ? toSchema(n.get("schema")) : schema;
                if (structSchema == null || structSchema.type() != Schema.Type.STRUCT) {
                    throw new IllegalArgumentException("a struct value needs a struct schema");
                }
                Struct struct = new Struct(structSchema);
                for (JsonNode e : v) {
                    String name = e.get(0).textValue();
                    Field f = structSchema.field(name);
                    struct.put(name, toValue(e.get(1), f == null ? null : f.schema()));
                }
                return struct;
            }
            default:
                throw new IllegalArgumentException("unknown neutral value tag " + tag.getKey());
        }
    }

    /** The neutral form of what a converter returned, tagged by the value's Java class. */
    static JsonNode fromValue(Object v) {
        if (v == null) return NODES.nullNode();
        ObjectNode n = NODES.objectNode();
        if (v instanceof Byte) n.put("int8", (Byte) v);
        else if (v instanceof Short) n.put("int16", (Short) v);
        else if (v instanceof Integer) n.put("int32", (Integer) v);
        else if (v instanceof Long) n.put("int64", v.toString());
        else if (v instanceof Float) {
            n.put("float32", v.toString());
            n.put("bits", "0x" + Integer.toHexString(Float.floatToIntBits((Float) v)));
        } else if (v instanceof Double) {
            n.put("float64", v.toString());
            n.put("bits", "0x" + Long.toHexString(Double.doubleToLongBits((Double) v)));
        } else if (v instanceof Boolean) n.put("boolean", (Boolean) v);
        else if (v instanceof String) n.put("string", (String) v);
        else if (v instanceof byte[]) n.put("bytes", Base64.getEncoder().encodeToString((byte[]) v));
        else if (v instanceof ByteBuffer) n.put("bytes", Base64.getEncoder().encodeToString(((ByteBuffer) v).array()));
        else if (v instanceof BigDecimal) {
            BigDecimal d = (BigDecimal) v;
            n.put("decimal", d.toString());
            n.put("unscaled", d.unscaledValue().toString());
            n.put("scale", d.scale());
        } else if (v instanceof java.util.Date) n.put("javaUtilDate", Long.toString(((java.util.Date) v).getTime()));
        else if (v instanceof List) {
            ArrayNode a = n.putArray("array");
            for (Object e : (List<?>) v) a.add(fromValue(e));
        } else if (v instanceof Map) {
            ArrayNode a = n.putArray("map");
            // Decoded maps are HashMaps: their order is Java's hash order, so comparisons ignore it.
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                ArrayNode pair = a.addArray();
                pair.add(fromValue(e.getKey()));
                pair.add(fromValue(e.getValue()));
            }
        } else if (v instanceof Struct) {
            Struct s = (Struct) v;
            ArrayNode a = n.putArray("struct");
            for (Field f : s.schema().fields()) {
                ArrayNode pair = a.addArray();
                pair.add(f.name());
                pair.add(fromValue(s.getWithoutDefault(f.name())));
            }
        } else {
            n.put("unknown", v.getClass().getName() + ": " + v);
        }
        return n;
    }

    private JsonConverterFixtures() {
    }
}
