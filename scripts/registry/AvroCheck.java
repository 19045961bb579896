// Cross-check of sluice's Avro bytes with the Java Apache Avro library (run by
// test/integration/avro-converter.test.ts through scripts/registry/avro-java.mjs).
//
//   java -cp <avro jars> AvroCheck.java <dir>
//
// For every <dir>/<name>.avsc with its <name>.bin: parse the schema with Avro's Schema.Parser
// (which also validates names and defaults), read the binary with a GenericDatumReader, write the
// datum as Avro JSON to <name>.json and write it back as binary to <name>.java.bin.
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.file.Files;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;

public class AvroCheck {
  public static void main(String[] args) throws Exception {
    File dir = new File(args[0]);
    File[] schemas = dir.listFiles((d, n) -> n.endsWith(".avsc"));
    for (File schemaFile : schemas) {
      String name = schemaFile.getName().replaceAll("\\.avsc$", "");
      Schema schema = new Schema.Parser().parse(schemaFile);
      byte[] bytes = Files.readAllBytes(new File(dir, name + ".bin").toPath());
      BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
      Object datum = new GenericDatumReader<Object>(schema).read(null, decoder);
      if (!decoder.isEnd()) throw new IllegalStateException(name + ": bytes left after the datum");

      ByteArrayOutputStream json = new ByteArrayOutputStream();
      JsonEncoder jsonEncoder = EncoderFactory.get().jsonEncoder(schema, json);
      new GenericDatumWriter<Object>(schema).write(datum, jsonEncoder);
      jsonEncoder.flush();
      Files.write(new File(dir, name + ".json").toPath(), json.toByteArray());

      ByteArrayOutputStream binary = new ByteArrayOutputStream();
      BinaryEncoder binaryEncoder = EncoderFactory.get().binaryEncoder(binary, null);
      new GenericDatumWriter<Object>(schema).write(datum, binaryEncoder);
      binaryEncoder.flush();
      Files.write(new File(dir, name + ".java.bin").toPath(), binary.toByteArray());
    }
    System.out.println("checked " + schemas.length);
  }
}
