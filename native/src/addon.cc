// Module entry: the sluice native batch addon (N-API, context-aware).
//
// Exports, per env (main thread or worker thread):
//   librdkafkaVersion            the linked librdkafka (the one node-rdkafka built)
//   wait / waitAsync / notify    the futex-based RingWaker (waker.cc)
//   errorName(code) / errorString(code)
//   copyBytes(src, srcStart, srcEnd, dst, dstPos)   memmove (copies out of shared memory)
//   scanJsonObject(bytes, cells)   the schemaless JSON scan of json-text/scan.ts (json_scan.cc)
//   scanJsonObjects(...)           the same for a slice of a frame's values
//   printLines(...)                the printer's second pass (json_print.cc)
//   Consumer, Producer           the hot-path clients (consumer.cc, producer.cc)
#include "addon.h"
#include "common.h"

#include <cstring>

namespace sluice {

AddonData* GetAddonData(napi_env env) {
  void* data = nullptr;
  Check(env, napi_get_instance_data(env, &data));
  return static_cast<AddonData*>(data);
}

namespace {

void FinalizeAddonData(napi_env, void* data, void*) {
  auto* d = static_cast<AddonData*>(data);
  if (d->waiters != nullptr) DestroyWaiters(d->waiters);
  delete d;
}

napi_value ErrorName(napi_env env, napi_callback_info info) {
  Args a(env, info, 1);
  return MakeString(env, rd_kafka_err2name(static_cast<rd_kafka_resp_err_t>(GetInt32(env, a[0], "code"))));
}

napi_value ErrorString(napi_env env, napi_callback_info info) {
  Args a(env, info, 1);
  return MakeString(env, rd_kafka_err2str(static_cast<rd_kafka_resp_err_t>(GetInt32(env, a[0], "code"))));
}

// copyBytes(src, srcStart, srcEnd, dst, dstPos): memmove between typed arrays. JavaScript's
// TypedArray.set copies out of a SharedArrayBuffer (a ring) byte-safely, about 5x slower than
// memcpy (src/data/shared-copy.ts); this is the plain copy. Returns dstPos + the bytes copied.
napi_value CopyBytes(napi_env env, napi_callback_info info) {
  Args a(env, info, 5);
  TypedBytes src = GetTypedArray(env, a[0], "src");
  int32_t start = GetInt32(env, a[1], "srcStart");
  int32_t end = GetInt32(env, a[2], "srcEnd");
  TypedBytes dst = GetTypedArray(env, a[3], "dst");
  int32_t pos = GetInt32(env, a[4], "dstPos");
  if (start < 0 || end < start || static_cast<size_t>(end) > src.length || pos < 0 ||
      static_cast<size_t>(pos) + static_cast<size_t>(end - start) > dst.length) {
    throw JsError("copyBytes: range outside the arrays", "ERR_OUT_OF_RANGE");
  }
  std::memmove(dst.data + pos, src.data + start, static_cast<size_t>(end - start));
  return MakeNumber(env, static_cast<double>(pos + (end - start)));
}

napi_value Init(napi_env env, napi_value exports) {
  try {
    auto* data = new AddonData();
    if (napi_set_instance_data(env, data, FinalizeAddonData, nullptr) != napi_ok) {
      delete data;
      throw JsError("sluice native: cannot set instance data");
    }
    SetNamed(env, exports, "librdkafkaVersion", MakeString(env, rd_kafka_version_str()));
    napi_property_descriptor props[] = {
        {"errorName", nullptr, Guard<ErrorName>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
        {"errorString", nullptr, Guard<ErrorString>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
        {"copyBytes", nullptr, Guard<CopyBytes>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
    };
    Check(env, napi_define_properties(env, exports, sizeof props / sizeof props[0], props));
    InitWaker(env, exports);
    InitJsonScan(env, exports);
    InitJsonPrint(env, exports);
    InitConsumer(env, exports);
    InitProducer(env, exports);
  } catch (const JsPending&) {
    return nullptr;
  } catch (const JsError& e) {
    ThrowJs(env, e);
    return nullptr;
  }
  return exports;
}

}  // namespace
}  // namespace sluice

NAPI_MODULE_INIT() { return sluice::Init(env, exports); }
