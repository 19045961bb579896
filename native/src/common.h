// Shared helpers of the sluice native addon: N-API error handling, argument readers, a tiny JSON
// writer for event frames and RAII owners for librdkafka objects.
//
// Error handling: every N-API entry point runs inside Guard(), which turns C++ exceptions into JS
// exceptions. Inside, napi calls go through Check(), which throws JsPending when a JS exception is
// already pending (nothing more to do) or JsError otherwise. So method bodies read straight through
// and cannot forget a status.
#pragma once

#include <node_api.h>
#include <librdkafka/rdkafka.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace sluice {

// ─── errors ─────────────────────────────────────────────────────────────────────────────────────

/** A JS exception is already pending in the env: unwind and return to JS. */
struct JsPending {};

/** An Error to throw into JS, with optional `code` and `key` (the offending config key). */
struct JsError : std::runtime_error {
  std::string code;
  std::string key;
  bool typeError = false;
  explicit JsError(const std::string& msg, std::string c = "ERR_SLUICE_NATIVE", std::string k = "")
      : std::runtime_error(msg), code(std::move(c)), key(std::move(k)) {}
};

struct JsTypeError : JsError {
  explicit JsTypeError(const std::string& msg) : JsError(msg, "ERR_INVALID_ARG_TYPE") { typeError = true; }
};

inline void Check(napi_env env, napi_status status) {
  if (status == napi_ok) return;
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (pending) throw JsPending{};
  const napi_extended_error_info* info = nullptr;
  napi_get_last_error_info(env, &info);
  throw JsError(std::string("N-API call failed: ") + (info && info->error_message ? info->error_message : "unknown"));
}

inline napi_value MakeError(napi_env env, const JsError& e) {
  napi_value msg, code, err;
  napi_create_string_utf8(env, e.what(), NAPI_AUTO_LENGTH, &msg);
  napi_create_string_utf8(env, e.code.c_str(), NAPI_AUTO_LENGTH, &code);
  if (e.typeError) napi_create_type_error(env, code, msg, &err);
  else napi_create_error(env, code, msg, &err);
  if (!e.key.empty()) {
    napi_value key;
    napi_create_string_utf8(env, e.key.c_str(), NAPI_AUTO_LENGTH, &key);
    napi_set_named_property(env, err, "key", key);
  }
  return err;
}

inline void ThrowJs(napi_env env, const JsError& e) {
  napi_throw(env, MakeError(env, e));
}

/** Wraps an N-API callback body: C++ exceptions become JS exceptions. */
template <napi_value (*F)(napi_env, napi_callback_info)>
napi_value Guard(napi_env env, napi_callback_info info) {
  try {
    return F(env, info);
  } catch (const JsPending&) {
  } catch (const JsError& e) {
    ThrowJs(env, e);
  } catch (const std::bad_alloc&) {
    napi_throw_error(env, "ERR_SLUICE_NATIVE", "sluice native: out of memory");
  } catch (const std::exception& e) {
    napi_throw_error(env, "ERR_SLUICE_NATIVE", e.what());
  }
  return nullptr;
}

// ─── arguments ──────────────────────────────────────────────────────────────────────────────────

struct Args {
  napi_value self = nullptr;
  std::vector<napi_value> v;
  void* data = nullptr;
  Args(napi_env env, napi_callback_info info, size_t n) : v(n) {
    size_t argc = n;
    Check(env, napi_get_cb_info(env, info, &argc, v.data(), &self, &data));
    // Missing arguments read as undefined.
    for (size_t i = argc; i < n; i++) napi_get_undefined(env, &v[i]);
  }
  napi_value operator[](size_t i) const { return v[i]; }
};

inline napi_valuetype TypeOf(napi_env env, napi_value v) {
  napi_valuetype t;
  Check(env, napi_typeof(env, v, &t));
  return t;
}

inline bool IsNullish(napi_env env, napi_value v) {
  napi_valuetype t = TypeOf(env, v);
  return t == napi_undefined || t == napi_null;
}

inline double GetNumber(napi_env env, napi_value v, const char* what) {
  if (TypeOf(env, v) != napi_number) throw JsTypeError(std::string(what) + " must be a number");
  double d;
  Check(env, napi_get_value_double(env, v, &d));
  return d;
}

inline int32_t GetInt32(napi_env env, napi_value v, const char* what) {
  double d = GetNumber(env, v, what);
  if (!(d >= INT32_MIN && d <= INT32_MAX) || d != static_cast<double>(static_cast<int32_t>(d))) {
    throw JsError(std::string(what) + " must be a 32-bit integer", "ERR_OUT_OF_RANGE");
  }
  return static_cast<int32_t>(d);
}

/** A timeout in ms: Infinity (or any value ≥ 2^31) = -1 = forever; negative = 0. */
inline int64_t GetTimeoutMs(napi_env env, napi_value v, const char* what) {
  double d = GetNumber(env, v, what);
  if (d != d) throw JsError(std::string(what) + " must not be NaN", "ERR_OUT_OF_RANGE");
  if (d >= 2147483647.0) return -1;
  if (d <= 0) return 0;
  // Round up: a caller with 0.4 ms left must sleep, not spin until its deadline.
  return static_cast<int64_t>(std::ceil(d));
}

inline bool GetBool(napi_env env, napi_value v) {
  bool b = false;
  napi_value coerced;
  Check(env, napi_coerce_to_bool(env, v, &coerced));
  Check(env, napi_get_value_bool(env, coerced, &b));
  return b;
}

inline std::string GetString(napi_env env, napi_value v, const char* what) {
  if (TypeOf(env, v) != napi_string) throw JsTypeError(std::string(what) + " must be a string");
  size_t len = 0;
  Check(env, napi_get_value_string_utf8(env, v, nullptr, 0, &len));
  std::string s(len, '\0');
  Check(env, napi_get_value_string_utf8(env, v, s.data(), len + 1, &len));
  return s;
}

inline uint32_t ArrayLength(napi_env env, napi_value v, const char* what) {
  bool isArray = false;
  Check(env, napi_is_array(env, v, &isArray));
  if (!isArray) throw JsTypeError(std::string(what) + " must be an array");
  uint32_t n = 0;
  Check(env, napi_get_array_length(env, v, &n));
  return n;
}

inline napi_value GetElement(napi_env env, napi_value arr, uint32_t i) {
  napi_value e;
  Check(env, napi_get_element(env, arr, i, &e));
  return e;
}

inline std::vector<std::string> GetStringArray(napi_env env, napi_value v, const char* what) {
  uint32_t n = ArrayLength(env, v, what);
  std::vector<std::string> out;
  out.reserve(n);
  for (uint32_t i = 0; i < n; i++) out.push_back(GetString(env, GetElement(env, v, i), what));
  return out;
}

/** The bytes of a typed array (its whole view) and the view itself, for a napi_ref. */
struct TypedBytes {
  uint8_t* data = nullptr;
  size_t length = 0;  // in bytes
  napi_typedarray_type type = napi_uint8_array;
};

inline TypedBytes GetTypedArray(napi_env env, napi_value v, const char* what) {
  bool is = false;
  Check(env, napi_is_typedarray(env, v, &is));
  if (!is) throw JsTypeError(std::string(what) + " must be a typed array");
  TypedBytes t;
  size_t elements = 0;
  void* data = nullptr;
  napi_value ab;
  size_t byteOffset = 0;
  Check(env, napi_get_typedarray_info(env, v, &t.type, &elements, &data, &ab, &byteOffset));
  size_t elem = 1;
  switch (t.type) {
    case napi_int16_array: case napi_uint16_array: elem = 2; break;
    case napi_int32_array: case napi_uint32_array: case napi_float32_array: elem = 4; break;
    case napi_float64_array: case napi_bigint64_array: case napi_biguint64_array: elem = 8; break;
    default: elem = 1;
  }
  t.data = static_cast<uint8_t*>(data);
  t.length = elements * elem;
  return t;
}

inline napi_value MakeString(napi_env env, const char* s) {
  napi_value v;
  Check(env, napi_create_string_utf8(env, s ? s : "", NAPI_AUTO_LENGTH, &v));
  return v;
}

inline napi_value MakeNumber(napi_env env, double d) {
  napi_value v;
  Check(env, napi_create_double(env, d, &v));
  return v;
}

inline napi_value Undefined(napi_env env) {
  napi_value v;
  napi_get_undefined(env, &v);
  return v;
}

inline void SetNamed(napi_env env, napi_value obj, const char* name, napi_value v) {
  Check(env, napi_set_named_property(env, obj, name, v));
}

// ─── JSON (event frames) ────────────────────────────────────────────────────────────────────────

/** Appends JSON to a string; only what event frames need (objects of strings, numbers, bools). */
class Json {
 public:
  std::string out;
  Json& raw(const char* s) { out += s; return *this; }
  Json& str(const char* s, size_t n) {
    out += '"';
    for (size_t i = 0; i < n; i++) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          if (c < 0x20) {
            char buf[8];
            snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
          } else {
            out += static_cast<char>(c);  // UTF-8 passes through
          }
      }
    }
    out += '"';
    return *this;
  }
  Json& str(const char* s) { return str(s ? s : "", s ? strlen(s) : 0); }
  Json& str(const std::string& s) { return str(s.data(), s.size()); }
  Json& key(const char* k) {
    if (!out.empty() && out.back() != '{' && out.back() != '[') out += ',';
    str(k);
    out += ':';
    return *this;
  }
  Json& num(int64_t v) { out += std::to_string(v); return *this; }
  Json& boolean(bool b) { out += b ? "true" : "false"; return *this; }
  Json& sep() {
    if (!out.empty() && out.back() != '{' && out.back() != '[') out += ',';
    return *this;
  }
};

// ─── librdkafka RAII ────────────────────────────────────────────────────────────────────────────

struct ConfDeleter { void operator()(rd_kafka_conf_t* c) const { rd_kafka_conf_destroy(c); } };
using ConfPtr = std::unique_ptr<rd_kafka_conf_t, ConfDeleter>;

struct PartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* l) const { rd_kafka_topic_partition_list_destroy(l); }
};
using PartitionList = std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter>;

inline PartitionList NewPartitionList(int size) {
  return PartitionList(rd_kafka_topic_partition_list_new(size));
}

struct ErrorDeleter { void operator()(rd_kafka_error_t* e) const { rd_kafka_error_destroy(e); } };
using ErrorPtr = std::unique_ptr<rd_kafka_error_t, ErrorDeleter>;

struct QueueDeleter { void operator()(rd_kafka_queue_t* q) const { rd_kafka_queue_destroy(q); } };
using QueuePtr = std::unique_ptr<rd_kafka_queue_t, QueueDeleter>;

struct EventDeleter { void operator()(rd_kafka_event_t* e) const { rd_kafka_event_destroy(e); } };
using EventPtr = std::unique_ptr<rd_kafka_event_t, EventDeleter>;

struct HeadersDeleter { void operator()(rd_kafka_headers_t* h) const { rd_kafka_headers_destroy(h); } };
using HeadersPtr = std::unique_ptr<rd_kafka_headers_t, HeadersDeleter>;

/**
 * Owns the messages returned by one rd_kafka_consume_batch_queue call: every one is destroyed
 * when the batch goes out of scope, whatever path the code takes (the "no leaks" rule).
 */
class MessageBatch {
 public:
  MessageBatch(rd_kafka_message_t** msgs, size_t n) : msgs_(msgs), n_(n) {}
  MessageBatch(const MessageBatch&) = delete;
  MessageBatch& operator=(const MessageBatch&) = delete;
  ~MessageBatch() { release(); }
  void release() {
    for (size_t i = 0; i < n_; i++) rd_kafka_message_destroy(msgs_[i]);
    n_ = 0;
  }
 private:
  rd_kafka_message_t** msgs_;
  size_t n_;
};

/**
 * Builds a librdkafka config from key/value pairs. Defaults first, then the caller's entries, then
 * the settings sluice depends on; a rejected key throws a JsError naming it (code
 * ERR_NATIVE_CONFIG, `key` property) with librdkafka's own explanation.
 */
inline ConfPtr BuildConf(const std::vector<std::pair<std::string, std::string>>& defaults,
                         const std::vector<std::string>& userKv,
                         const std::vector<std::pair<std::string, std::string>>& forced,
                         const char* who) {
  ConfPtr conf(rd_kafka_conf_new());
  char errstr[512];
  auto set = [&](const std::string& k, const std::string& v, const char* origin) {
    if (rd_kafka_conf_set(conf.get(), k.c_str(), v.c_str(), errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
      throw JsError(std::string(who) + ": invalid " + origin + " configuration \"" + k + "\": " + errstr,
                    "ERR_NATIVE_CONFIG", k);
    }
  };
  for (const auto& [k, v] : defaults) set(k, v, "default");
  for (size_t i = 0; i + 1 < userKv.size(); i += 2) set(userKv[i], userKv[i + 1], "client");
  for (const auto& [k, v] : forced) set(k, v, "required");
  return conf;
}

inline constexpr uint32_t Align8(uint32_t n) { return (n + 7u) & ~7u; }

}  // namespace sluice
