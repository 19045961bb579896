// sluice's side of the benchmark's converting null sink (avro-convert), the twin of
// bench/peer/java/dev/sluice/bench/ValueSinkConnector.java: a Kafka Connect-style sink (put(), no
// putBatch(), so the worker converts every record as Kafka Connect does) whose tasks check that
// each value is a Struct, count it and keep nothing. Loaded through plugin.path: the runner writes
// a module into the run's work directory that calls makePlugins() with the measured build's API
// (bench/lib/avro.mjs writeSluiceValueSink).

/** The plugin descriptors, built on `api` (sluice's `dist/index.js`). */
export function makePlugins(api) {
  const { SinkConnector, SinkTask, Struct, DataError } = api;

  class ValueSinkTask extends SinkTask {
    structs = 0;
    nulls = 0;
    version() {
      return '0.1.0';
    }
    start() {}
    put(records) {
      for (let i = 0; i < records.length; i++) {
        const v = records[i].value;
        if (v instanceof Struct) this.structs++;
        else if (v == null) this.nulls++;
        else throw new DataError(`ValueSink expects Struct values, got ${typeof v}`);
      }
    }
    stop() {
      process.stdout.write(`ValueSinkTask: ${this.structs} structs, ${this.nulls} nulls\n`);
    }
  }

  class ValueSinkConnector extends SinkConnector {
    props = {};
    version() {
      return '0.1.0';
    }
    start(props) {
      this.props = { ...props };
    }
    stop() {}
    taskClass() {
      return ValueSinkTask;
    }
    taskConfigs(maxTasks) {
      return Array.from({ length: maxTasks }, () => ({ ...this.props }));
    }
    config() {
      return new api.ConfigDef();
    }
  }

  return [{ kind: 'sink', className: 'dev.sluice.bench.ValueSinkConnector', version: '0.1.0', create: () => new ValueSinkConnector() }];
}
