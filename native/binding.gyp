# The sluice native batch addon. Built by `npm install` (the package's "install" script runs
# `node-gyp rebuild --directory native`) after node-rdkafka, whose build provides librdkafka:
# headers in build/deps/include, librdkafka.so in build/deps. Linking that same library (with an
# rpath to it) keeps one librdkafka in the process.
{
  "variables": {
    "rdkafka_deps%": "<!(node -p \"require('path').join(require('path').dirname(require.resolve('node-rdkafka/package.json')), 'build', 'deps')\")",
    # The same folder relative to build/Release, so the rpath survives moving the checkout.
    "rdkafka_deps_rel%": "<!(node -p \"require('path').relative(require('path').resolve('build/Release'), require('path').join(require('path').dirname(require.resolve('node-rdkafka/package.json')), 'build', 'deps'))\")",
  },
  "targets": [
    {
      "target_name": "sluice_native",
      "sources": [
        "src/addon.cc",
        "src/consumer.cc",
        "src/handle.cc",
        "src/json_scan.cc",
        "src/json_print.cc",
        "src/producer.cc",
        "src/waker.cc",
      ],
      "defines": ["NAPI_VERSION=8"],
      # -isystem: rdkafka.h itself trips -Wextra; our own code gets every warning.
      "cflags_cc": ["-isystem", "<(rdkafka_deps)/include", "-std=c++20", "-fexceptions", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17"],
      "libraries": ["-L<(rdkafka_deps)", "-lrdkafka", "-Wl,-rpath,'$$ORIGIN/<(rdkafka_deps_rel)'", "-Wl,-rpath,<(rdkafka_deps)"],
    },
  ],
}
