// NativeConsumer: one librdkafka consumer and one thread that turns its messages into batch frames
// in a ring read by JS.
//
// The thread loops on rd_kafka_consume_batch_queue (the batch API: one lock round per message
// instead of an op per poll call, and one frame per batch), sizes the batch exactly, reserves one
// frame in the ring (sleeping on a futex while the ring is full), writes it in the canonical order
// header | topic table | columns | payload, commits it, and destroys the messages. JS never
// blocks for it and no JS object is made per record.
//
// Rebalances. librdkafka serves the rebalance callback *inside* consume_batch_queue, after the
// messages it has already put in the caller's array but before they are returned. Writing the
// event from the callback would put it in the ring ahead of records that were fetched before it.
// So the callback only records the rebalance; after the batch's frames are written the thread
// performs it (assign/unassign, incremental for COOPERATIVE — librdkafka allows these calls
// outside the callback, the group waits for them) and writes an event frame. The ring's order
// is then exactly librdkafka's:
//   * assign: assign first, then the event, so the event precedes every record of the partitions;
//   * revoke: the event follows every record of the revoked partitions handed out so far; the
//     thread then waits (bounded) until JS calls rebalanceDone(seq) — JS has flushed the sink and
//     stored offsets for those partitions — commits the stored offsets synchronously and unassigns.
//   * lost: the event only; nothing is committed (another member may own the partitions).
// During close() librdkafka calls the callback from rd_kafka_consumer_close(); then it is served
// at once, without waiting for JS.
//
// Offsets. enable.auto.offset.store is forced off: JS stores what the sink has flushed
// (storeOffsets → rd_kafka_offsets_store, thread-safe) and the auto-commit timer, commit() and the
// revoke path commit those.
//
// Errors (error_cb, consumer error messages) become error event frames; a fatal error ends the
// thread, which leaves the group, destroys the handle and closes the ring.
#include <cinttypes>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <string>
#include <utility>
#include <vector>

#include "addon.h"
#include "batch_frame.h"
#include "common.h"
#include "handle.h"
#include "ring.h"

namespace sluice {

namespace {

/**
 * librdkafka defaults sluice changes. Each choice is measured in native/README.md; the ones left
 * at librdkafka's defaults (fetch.wait.max.ms 500, fetch.message.max.bytes 1 MiB,
 * queued.min.messages 100000, queued.max.messages.kbytes 65536) measured best or no different.
 */
const std::vector<std::pair<std::string, std::string>> kConsumerDefaults = {
    // Kafka Connect's sink default (the Java client's own is latest).
    {"auto.offset.reset", "earliest"},
    // Default 1000 ms: once a partition's prefetch queue passes queued.min.messages its fetcher
    // waits that long (librdkafka#3662). A reader paced at 1M records/s fell to 0.93M with 1000
    // and held 1.0M with 10 or 1; 10 costs no measurable CPU over 1000 in a backlog.
    {"fetch.queue.backoff.ms", "10"},
    {"enable.partition.eof", "false"},
};

/** Settings the design depends on (see the file comment). */
const std::vector<std::pair<std::string, std::string>> kConsumerForced = {
    {"enable.auto.offset.store", "false"},
    // Logs are served on the consumer thread (rd_kafka_set_log_queue) and become log events.
    {"log.queue", "true"},
};

const char* kWho = "sluice native consumer";

/**
 * True when the record certainly has no headers, without asking librdkafka.
 *
 * Why: rd_kafka_message_headers() parses lazily, and a v2 record always carries a header count
 * (one varint byte, 0 when there are none), so librdkafka allocates and later frees an empty
 * header list for every record that has no headers — measured at about a fifth of this thread's
 * CPU per 100-byte record (native/README.md). In the v2 record format the header count follows
 * the value immediately, in the same contiguous buffer librdkafka points the value into (it reads
 * the headers with rd_kafka_buf_read_ptr, which requires contiguity), so the byte at
 * payload + len is that count: 0 means no headers. A non-zero byte, a null value (no pointer to
 * look from), an empty value (librdkafka points those at a static "", not into the buffer) or
 * any other doubt falls back to rd_kafka_message_headers(). Record formats v0/v1 (gone from
 * Kafka 4 brokers) have no headers at all, so a 0 there is also the right answer.
 */
inline bool NoHeaders(const rd_kafka_message_t* m) {
  return m->payload != nullptr && m->len > 0 && static_cast<const uint8_t*>(m->payload)[m->len] == 0;
}

}  // namespace

class Consumer : public ThreadedHandle {
 public:
  static napi_value New(napi_env env, napi_callback_info info);
  static napi_value StoreOffsets(napi_env env, napi_callback_info info);
  static napi_value Commit(napi_env env, napi_callback_info info);
  static napi_value CommitAsync(napi_env env, napi_callback_info info);
  static napi_value CommitResults(napi_env env, napi_callback_info info);
  static napi_value RebalanceDone(napi_env env, napi_callback_info info);
  static napi_value Pause(napi_env env, napi_callback_info info);
  static napi_value Resume(napi_env env, napi_callback_info info);
  static napi_value Seek(napi_env env, napi_callback_info info);
  static napi_value Assignment(napi_env env, napi_callback_info info);
  static napi_value Stats(napi_env env, napi_callback_info info);
  static napi_value CloseAsync(napi_env env, napi_callback_info info);
  static napi_value CloseNow(napi_env env, napi_callback_info info);

  ~Consumer() override {
    // Only reached after the thread was joined; it destroyed the handle unless it never started.
    if (queue_ != nullptr) rd_kafka_queue_destroy(queue_);
    if (commitQueue_ != nullptr) rd_kafka_queue_destroy(commitQueue_);
    if (rk_ != nullptr) rd_kafka_destroy(rk_);
  }

 private:
  struct Pending {
    enum Kind { kAssign, kRevoke, kEvent } kind;
    PartitionList parts;
    bool lost = false;
    std::string json;  // kEvent
  };

  void Run() override;
  void RequestStop() override;

  bool WriteMessages(rd_kafka_message_t** msgs, size_t n);
  bool WriteFrame(rd_kafka_message_t** msgs, const std::vector<uint32_t>& picks, uint64_t payload);
  bool WriteEvent(const std::string& json);
  bool ServePending();
  void HandleRebalance(Pending& p);
  bool WaitForAck(int32_t seq);
  void Shutdown();
  void PushError(rd_kafka_resp_err_t err, const std::string& message, bool fatal, const char* topic = nullptr,
                 int32_t partition = -1);
  static void AppendPartitions(Json& j, const rd_kafka_topic_partition_list_t* parts, bool offsets);
  static void OnRebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts, void* opaque);
  static void OnError(rd_kafka_t* rk, int err, const char* reason, void* opaque);
  static void OnLog(const rd_kafka_t* rk, int level, const char* facility, const char* message);

  /** JS thread: the handle, locked against the thread destroying it. Throws once closed. */
  struct Locked {
    std::unique_lock<std::mutex> lock;
    rd_kafka_t* rk;
  };
  Locked Lock() {
    std::unique_lock<std::mutex> lk(rkMu_);
    if (rk_ == nullptr) throw JsError("sluice native consumer is closed", "ERR_NATIVE_CLOSED");
    return {std::move(lk), rk_};
  }

  // set up on the JS thread before the thread starts, then owned by the thread
  rd_kafka_t* rk_ = nullptr;
  rd_kafka_queue_t* queue_ = nullptr;
  // commitAsync()'s answers, made on the first call (JS thread, under rkMu_)
  rd_kafka_queue_t* commitQueue_ = nullptr;
  std::mutex rkMu_;  // rk_/queue_/commitQueue_ lifetime vs. JS-thread calls
  bool shutdownStarted_ = false;  // guarded by rkMu_
  RingWriter ring_;
  uint32_t maxRecords_ = 0;
  uint32_t maxFrameBytes_ = 0;
  int batchTimeoutMs_ = 0;
  int64_t revokeAckTimeoutMs_ = 0;
  bool headerPeek_ = true;  // NoHeaders() shortcut; SLUICE_NATIVE_HEADER_PEEK=0 turns it off

  // futex words shared with the JS thread
  int32_t ackedSeq_ = 0;  // last seq passed to rebalanceDone()
  int32_t wake_ = 0;      // bumped by rebalanceDone() and stop requests

  // consumer thread only
  std::atomic<std::thread::id> threadId_{};  // the worker thread, once it runs (OnLog)
  std::vector<Pending> pending_;
  int32_t rebalanceSeq_ = 0;
  bool closing_ = false;
  bool fatal_ = false;
  std::vector<uint32_t> payloadBytes_;
  std::vector<rd_kafka_headers_t*> headers_;
  std::vector<uint32_t> picks_;
  struct TopicRef {
    rd_kafka_topic_t* rkt;
    const char* name;
    uint32_t len;
  };
  std::vector<TopicRef> topics_;
  std::vector<int32_t> topicOf_;

  // statistics (read by JS)
  std::atomic<uint64_t> frames_{0}, records_{0}, bytes_{0}, events_{0};
};

// ─── construction (JS thread) ───────────────────────────────────────────────────────────────────

namespace {
PartitionList ListFrom(napi_env env, napi_value topicsV, napi_value partsV, napi_value offsetsV);
}  // namespace

// new Consumer(config: string[] (k, v, k, v…), topics: string[], ring: Uint8Array,
//              maxRecords, maxFrameBytes, batchTimeoutMs, revokeAckTimeoutMs,
//              assignPartitions?: number[], assignOffsets?: number[])
//
// With assignPartitions, topics[i]/assignPartitions[i] are assigned statically from
// assignOffsets[i] (the next offset to read; -1000 = the group's committed offset, else
// auto.offset.reset), with no group membership and no rebalance events: how a MirrorMaker task
// reads the partitions its connector gave it.
napi_value Consumer::New(napi_env env, napi_callback_info info) {
  Args a(env, info, 9);
  auto config = GetStringArray(env, a[0], "config");
  auto topics = GetStringArray(env, a[1], "topics");
  if (topics.empty()) throw JsError(std::string(kWho) + ": the subscription is empty", "ERR_NATIVE_CONFIG");
  const bool staticAssignment = !IsNullish(env, a[7]);
  PartitionList assignment = staticAssignment ? ListFrom(env, a[1], a[7], a[8]) : PartitionList();
  TypedBytes ringBytes = GetTypedArray(env, a[2], "ring");
  int32_t maxRecords = GetInt32(env, a[3], "maxRecords");
  int32_t maxFrameBytes = GetInt32(env, a[4], "maxFrameBytes");
  int32_t batchTimeoutMs = GetInt32(env, a[5], "batchTimeoutMs");
  int64_t revokeAckTimeoutMs = GetTimeoutMs(env, a[6], "revokeAckTimeoutMs");
  if (maxRecords < 1 || maxRecords > 1000000) throw JsError("maxRecords must be 1..1000000", "ERR_OUT_OF_RANGE");
  if (batchTimeoutMs < 1 || batchTimeoutMs > 60000) throw JsError("batchTimeoutMs must be 1..60000", "ERR_OUT_OF_RANGE");

  std::unique_ptr<Consumer> self(new Consumer());
  self->ring_.Attach(ringBytes.data, ringBytes.length, kWho);
  if (Load(self->ring_.word(ring::kClosed)) != 0 || Load(self->ring_.word(ring::kCancelled)) != 0) {
    throw JsError(std::string(kWho) + ": the ring is closed or cancelled (a ring serves one consumer, once)",
                  "ERR_INVALID_ARG_VALUE");
  }
  const char* prefault = getenv("SLUICE_NATIVE_PREFAULT");  // "0": off (for measurements)
  if (prefault == nullptr || strcmp(prefault, "0") != 0) self->ring_.Prefault();
  uint32_t ringMax = self->ring_.maxFrameBytes();
  if (maxFrameBytes <= 0 || static_cast<uint32_t>(maxFrameBytes) > ringMax) maxFrameBytes = static_cast<int32_t>(ringMax);
  if (batch::FrameBytes(1, 1, 256, 0) > static_cast<uint64_t>(maxFrameBytes)) {
    throw JsError(std::string(kWho) + ": the ring is too small for a batch frame", "ERR_OUT_OF_RANGE");
  }
  self->maxRecords_ = static_cast<uint32_t>(maxRecords);
  self->maxFrameBytes_ = static_cast<uint32_t>(maxFrameBytes);
  self->batchTimeoutMs_ = batchTimeoutMs;
  self->revokeAckTimeoutMs_ = revokeAckTimeoutMs;
  if (const char* peek = getenv("SLUICE_NATIVE_HEADER_PEEK")) self->headerPeek_ = strcmp(peek, "0") != 0;
  self->payloadBytes_.resize(maxRecords);
  self->headers_.resize(maxRecords);
  self->topicOf_.resize(maxRecords);
  self->picks_.reserve(maxRecords);

  ConfPtr conf = BuildConf(kConsumerDefaults, config, kConsumerForced, kWho);
  char errstr[512];
  size_t groupLen = sizeof errstr;
  if (rd_kafka_conf_get(conf.get(), "group.id", errstr, &groupLen) != RD_KAFKA_CONF_OK || errstr[0] == '\0') {
    throw JsError(std::string(kWho) + ": group.id is required (offsets are committed to a consumer group)",
                  "ERR_NATIVE_CONFIG", "group.id");
  }
  rd_kafka_conf_set_opaque(conf.get(), self.get());
  rd_kafka_conf_set_rebalance_cb(conf.get(), OnRebalance);
  rd_kafka_conf_set_error_cb(conf.get(), OnError);
  rd_kafka_conf_set_log_cb(conf.get(), OnLog);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf.get(), errstr, sizeof errstr);
  if (rk == nullptr) throw JsError(std::string(kWho) + ": " + errstr, "ERR_NATIVE_CONFIG");
  conf.release();  // rd_kafka_new took it
  self->rk_ = rk;
  // Route the main queue (errors, logs, stats) into the consumer queue: one thread serves all.
  rd_kafka_poll_set_consumer(rk);
  rd_kafka_set_log_queue(rk, nullptr);  // the main queue, which now feeds the consumer queue
  self->queue_ = rd_kafka_queue_get_consumer(rk);

  if (staticAssignment) {
    rd_kafka_resp_err_t err = rd_kafka_assign(rk, assignment.get());
    if (err) throw JsError(std::string(kWho) + ": cannot assign: " + rd_kafka_err2str(err), "ERR_NATIVE_SUBSCRIBE");
  } else {
    PartitionList sub = NewPartitionList(static_cast<int>(topics.size()));
    for (const auto& t : topics) rd_kafka_topic_partition_list_add(sub.get(), t.c_str(), RD_KAFKA_PARTITION_UA);
    rd_kafka_resp_err_t err = rd_kafka_subscribe(rk, sub.get());
    if (err) {
      throw JsError(std::string(kWho) + ": cannot subscribe: " + rd_kafka_err2str(err), "ERR_NATIVE_SUBSCRIBE");
    }
  }

  Consumer* c = self.release();
  try {
    c->Wrap(env, a.self);
  } catch (...) {
    delete c;
    throw;
  }
  c->Keep(env, a[2]);
  c->Start(env, "sluice-consume");
  return a.self;
}

// ─── the consumer thread ────────────────────────────────────────────────────────────────────────

void Consumer::Run() {
  threadId_.store(std::this_thread::get_id());
  std::vector<rd_kafka_message_t*> msgs(maxRecords_);
  while (!stop_.load() && !fatal_) {
    ssize_t n = rd_kafka_consume_batch_queue(queue_, batchTimeoutMs_, msgs.data(), msgs.size());
    if (n < 0) {
      PushError(rd_kafka_last_error(), "rd_kafka_consume_batch_queue failed", true);
      break;
    }
    bool ok = true;
    if (n > 0) {
      MessageBatch owned(msgs.data(), static_cast<size_t>(n));  // destroyed whatever happens below
      ok = WriteMessages(msgs.data(), static_cast<size_t>(n));
    }
    if (!ok || !ServePending()) break;
  }
  Shutdown();
}

void Consumer::RequestStop() {
  {
    // Wake rd_kafka_consume_batch_queue — but never once Shutdown() has begun: during
    // rd_kafka_consumer_close() librdkafka forwards the consumer queue to close's own queue, a
    // yield would reach that one and make close() return early (_TIMED_OUT), and the second
    // close inside rd_kafka_destroy() then waits forever (observed). Hence the flag, under the
    // same mutex Shutdown() sets it with.
    std::lock_guard<std::mutex> lk(rkMu_);
    if (queue_ != nullptr && !shutdownStarted_) rd_kafka_queue_yield(queue_);
  }
  stop_.store(true);
  FetchAdd(&wake_, 1);
  FutexWake(&wake_);
  ring_.Interrupt();
}

bool Consumer::WriteMessages(rd_kafka_message_t** msgs, size_t n) {
  // Pass 1: bytes each record takes in the payload; error messages become events.
  for (size_t k = 0; k < n; k++) {
    rd_kafka_message_t* m = msgs[k];
    if (m->err) {
      payloadBytes_[k] = UINT32_MAX;
      PushError(m->err, rd_kafka_message_errstr(m), false, m->rkt ? rd_kafka_topic_name(m->rkt) : nullptr,
                m->partition);
      continue;
    }
    uint64_t bytes = (m->key ? m->key_len : 0) + (m->payload ? m->len : 0);
    rd_kafka_headers_t* h = nullptr;
    if (!(headerPeek_ && NoHeaders(m)) && rd_kafka_message_headers(m, &h) == RD_KAFKA_RESP_ERR_NO_ERROR && h != nullptr &&
        rd_kafka_header_cnt(h) > 0) {
      bytes += 4;
      const char* name;
      const void* value;
      size_t size;
      for (size_t i = 0; rd_kafka_header_get_all(h, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; i++) {
        bytes += 8 + strlen(name) + (value ? size : 0);
      }
    } else {
      h = nullptr;
    }
    if (bytes > UINT32_MAX / 2) bytes = UINT32_MAX / 2;  // cannot fit any ring: caught below
    payloadBytes_[k] = static_cast<uint32_t>(bytes);
    headers_[k] = h;
  }

  // Pass 2: cut the batch into frames of at most maxFrameBytes (normally the whole batch is one).
  size_t k = 0;
  while (k < n) {
    picks_.clear();
    topics_.clear();
    uint64_t payload = 0, nameBytes = 0;
    for (; k < n; k++) {
      if (payloadBytes_[k] == UINT32_MAX) continue;
      rd_kafka_message_t* m = msgs[k];
      int32_t t = -1;
      for (size_t j = 0; j < topics_.size(); j++) {
        if (topics_[j].rkt == m->rkt) {
          t = static_cast<int32_t>(j);
          break;
        }
      }
      const char* name = nullptr;
      uint32_t len = 0;
      if (t < 0) {
        name = rd_kafka_topic_name(m->rkt);
        len = static_cast<uint32_t>(strlen(name));
      }
      uint64_t size = batch::FrameBytes(picks_.size() + 1, topics_.size() + (t < 0), nameBytes + len,
                                        payload + payloadBytes_[k]);
      if (size > maxFrameBytes_) {
        if (!picks_.empty()) break;  // this frame is full: the record starts the next one
        if (size > ring_.maxFrameBytes()) {
          char buf[256];
          snprintf(buf, sizeof buf,
                   "record at %s [%" PRId32 "] offset %" PRId64 " needs a %" PRIu64
                   "-byte frame; the ring takes at most %" PRIu32 " (make the ring larger)",
                   rd_kafka_topic_name(m->rkt), m->partition, m->offset, size, ring_.maxFrameBytes());
          PushError(RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE, buf, true);
          return false;
        }
        // A single record larger than maxFrameBytes travels alone, up to the ring's limit.
      }
      if (t < 0) {
        t = static_cast<int32_t>(topics_.size());
        topics_.push_back({m->rkt, name, len});
        nameBytes += len;
      }
      topicOf_[k] = t;
      picks_.push_back(static_cast<uint32_t>(k));
      payload += payloadBytes_[k];
    }
    if (!picks_.empty() && !WriteFrame(msgs, picks_, payload)) return false;
  }
  return true;
}

bool Consumer::WriteFrame(rd_kafka_message_t** msgs, const std::vector<uint32_t>& picks, uint64_t payloadLen) {
  using namespace batch;
  const uint32_t n = static_cast<uint32_t>(picks.size());
  uint64_t nameBytes = 0;
  for (const auto& t : topics_) nameBytes += t.len;
  const uint32_t frameLen = static_cast<uint32_t>(FrameBytes(n, topics_.size(), nameBytes, payloadLen));
  uint8_t* f = ring_.Reserve(frameLen, stop_);
  if (f == nullptr) return false;  // stop requested, or the reader cancelled

  // Section offsets, canonical order.
  const uint32_t i32Bytes = Align8(4 * n);
  const uint32_t topicTable = kHeaderBytes;
  const uint32_t offsetCol = topicTable + static_cast<uint32_t>(TopicTableBytes(topics_.size(), nameBytes));
  const uint32_t timestampCol = offsetCol + 8 * n;
  const uint32_t partitionCol = timestampCol + 8 * n;
  const uint32_t topicIdCol = partitionCol + i32Bytes;
  const uint32_t keyOffsetCol = topicIdCol + i32Bytes;
  const uint32_t keyLengthCol = keyOffsetCol + i32Bytes;
  const uint32_t valueOffsetCol = keyLengthCol + i32Bytes;
  const uint32_t valueLengthCol = valueOffsetCol + i32Bytes;
  const uint32_t headersOffsetCol = valueLengthCol + i32Bytes;
  const uint32_t headersLengthCol = headersOffsetCol + i32Bytes;
  const uint32_t timestampTypeCol = headersLengthCol + i32Bytes;
  const uint32_t payloadAt = timestampTypeCol + Align8(n);

  // Header.
  auto* h = reinterpret_cast<int32_t*>(f);
  memset(f, 0, kHeaderBytes);
  h[kMagicAt / 4] = kMagic;
  h[kVersionAt / 4] = kVersion;
  h[kFrameLength / 4] = static_cast<int32_t>(frameLen);
  h[kCount / 4] = static_cast<int32_t>(n);
  h[kTopicCount / 4] = static_cast<int32_t>(topics_.size());
  h[kTopicTable / 4] = static_cast<int32_t>(topicTable);
  h[kPayload / 4] = static_cast<int32_t>(payloadAt);
  h[kPayloadLength / 4] = static_cast<int32_t>(payloadLen);
  h[kOffsetCol / 4] = static_cast<int32_t>(offsetCol);
  h[kTimestampCol / 4] = static_cast<int32_t>(timestampCol);
  h[kPartitionCol / 4] = static_cast<int32_t>(partitionCol);
  h[kTopicIdCol / 4] = static_cast<int32_t>(topicIdCol);
  h[kKeyOffsetCol / 4] = static_cast<int32_t>(keyOffsetCol);
  h[kKeyLengthCol / 4] = static_cast<int32_t>(keyLengthCol);
  h[kValueOffsetCol / 4] = static_cast<int32_t>(valueOffsetCol);
  h[kValueLengthCol / 4] = static_cast<int32_t>(valueLengthCol);
  h[kHeadersOffsetCol / 4] = static_cast<int32_t>(headersOffsetCol);
  h[kHeadersLengthCol / 4] = static_cast<int32_t>(headersLengthCol);
  h[kTimestampTypeCol / 4] = static_cast<int32_t>(timestampTypeCol);

  // Topic table: int32 nameStart[t + 1], then the names, zero padding to 8.
  {
    auto* starts = reinterpret_cast<int32_t*>(f + topicTable);
    uint8_t* names = f + topicTable + 4 * (topics_.size() + 1);
    uint32_t q = 0;
    for (size_t j = 0; j < topics_.size(); j++) {
      starts[j] = static_cast<int32_t>(q);
      memcpy(names + q, topics_[j].name, topics_[j].len);
      q += topics_[j].len;
    }
    starts[topics_.size()] = static_cast<int32_t>(q);
    memset(names + q, 0, f + offsetCol - (names + q));
  }

  auto* offsets = reinterpret_cast<double*>(f + offsetCol);
  auto* timestamps = reinterpret_cast<double*>(f + timestampCol);
  auto* partitions = reinterpret_cast<int32_t*>(f + partitionCol);
  auto* topicIds = reinterpret_cast<int32_t*>(f + topicIdCol);
  auto* keyOffsets = reinterpret_cast<int32_t*>(f + keyOffsetCol);
  auto* keyLengths = reinterpret_cast<int32_t*>(f + keyLengthCol);
  auto* valueOffsets = reinterpret_cast<int32_t*>(f + valueOffsetCol);
  auto* valueLengths = reinterpret_cast<int32_t*>(f + valueLengthCol);
  auto* headerOffsets = reinterpret_cast<int32_t*>(f + headersOffsetCol);
  auto* headerLengths = reinterpret_cast<int32_t*>(f + headersLengthCol);
  uint8_t* timestampTypes = f + timestampTypeCol;
  uint8_t* payload = f + payloadAt;

  uint32_t q = 0;  // payload write position
  for (uint32_t i = 0; i < n; i++) {
    const uint32_t k = picks[i];
    const rd_kafka_message_t* m = msgs[k];
    rd_kafka_timestamp_type_t tsType;
    int64_t ts = rd_kafka_message_timestamp(m, &tsType);
    offsets[i] = static_cast<double>(m->offset);
    timestamps[i] = static_cast<double>(ts);
    timestampTypes[i] = static_cast<uint8_t>(tsType);
    partitions[i] = m->partition;
    topicIds[i] = topicOf_[k];
    keyOffsets[i] = static_cast<int32_t>(q);
    if (m->key != nullptr) {
      keyLengths[i] = static_cast<int32_t>(m->key_len);
      memcpy(payload + q, m->key, m->key_len);
      q += static_cast<uint32_t>(m->key_len);
    } else {
      keyLengths[i] = -1;
    }
    valueOffsets[i] = static_cast<int32_t>(q);
    if (m->payload != nullptr) {
      valueLengths[i] = static_cast<int32_t>(m->len);
      memcpy(payload + q, m->payload, m->len);
      q += static_cast<uint32_t>(m->len);
    } else {
      valueLengths[i] = -1;
    }
    headerOffsets[i] = static_cast<int32_t>(q);
    rd_kafka_headers_t* hdrs = headers_[k];
    if (hdrs != nullptr) {
      const uint32_t start = q;
      batch::PutI32(payload + q, static_cast<int32_t>(rd_kafka_header_cnt(hdrs)));
      q += 4;
      const char* name;
      const void* value;
      size_t size;
      for (size_t j = 0; rd_kafka_header_get_all(hdrs, j, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; j++) {
        const uint32_t nl = static_cast<uint32_t>(strlen(name));
        batch::PutI32(payload + q, static_cast<int32_t>(nl));
        memcpy(payload + q + 4, name, nl);
        q += 4 + nl;
        if (value != nullptr) {
          batch::PutI32(payload + q, static_cast<int32_t>(size));
          memcpy(payload + q + 4, value, size);
          q += 4 + static_cast<uint32_t>(size);
        } else {
          batch::PutI32(payload + q, -1);
          q += 4;
        }
      }
      headerLengths[i] = static_cast<int32_t>(q - start);
    } else {
      headerLengths[i] = 0;
    }
  }
  // Padding: int32 columns of an odd count, the uint8 column and the payload end on 8 bytes.
  if (n & 1) {
    for (uint32_t col : {partitionCol, topicIdCol, keyOffsetCol, keyLengthCol, valueOffsetCol, valueLengthCol,
                         headersOffsetCol, headersLengthCol}) {
      *reinterpret_cast<int32_t*>(f + col + 4 * n) = 0;
    }
  }
  memset(timestampTypes + n, 0, Align8(n) - n);
  memset(payload + q, 0, frameLen - payloadAt - q);

  ring_.Commit(frameLen, kKindBatch);
  frames_.fetch_add(1, std::memory_order_relaxed);
  records_.fetch_add(n, std::memory_order_relaxed);
  bytes_.fetch_add(frameLen, std::memory_order_relaxed);
  return true;
}

/** One event frame (UTF-8 JSON). Waits for room unless closing; false if it could not be written. */
bool Consumer::WriteEvent(const std::string& json) {
  const uint32_t len = static_cast<uint32_t>(json.size());
  if (len > ring_.maxFrameBytes()) return false;
  uint8_t* p = ring_.Reserve(len, stop_, closing_ ? 0 : -1);
  if (p == nullptr) return false;
  memcpy(p, json.data(), len);
  ring_.Commit(len, kKindEvent);
  events_.fetch_add(1, std::memory_order_relaxed);
  return true;
}

void Consumer::PushError(rd_kafka_resp_err_t err, const std::string& message, bool fatal, const char* topic,
                         int32_t partition) {
  Json j;
  j.raw("{").key("type").str("error").key("code").num(err).key("name").str(rd_kafka_err2name(err));
  j.key("message").str(message).key("fatal").boolean(fatal);
  if (topic != nullptr) j.key("topic").str(topic).key("partition").num(partition);
  j.raw("}");
  Pending p{Pending::kEvent, nullptr, false, std::move(j.out)};
  pending_.push_back(std::move(p));
  if (fatal) fatal_ = true;
}

void Consumer::AppendPartitions(Json& j, const rd_kafka_topic_partition_list_t* parts, bool offsets) {
  j.key("partitions").raw("[");
  for (int i = 0; parts != nullptr && i < parts->cnt; i++) {
    const auto& p = parts->elems[i];
    j.sep().raw("{").key("topic").str(p.topic).key("partition").num(p.partition);
    if (offsets) j.key("offset").num(p.offset);
    j.raw("}");
  }
  j.raw("]");
}

bool Consumer::ServePending() {
  // An event that cannot be written (stop requested, reader gone) does not stop the rebalances
  // behind it from being served: librdkafka waits for their (un)assign calls.
  bool ok = true;
  for (size_t i = 0; i < pending_.size(); i++) {
    Pending& p = pending_[i];
    if (p.kind == Pending::kEvent) {
      if (!WriteEvent(p.json)) ok = false;
    } else {
      HandleRebalance(p);
    }
  }
  pending_.clear();
  return ok && !fatal_;
}

void Consumer::HandleRebalance(Pending& p) {
  const bool cooperative = strcmp(rd_kafka_rebalance_protocol(rk_), "COOPERATIVE") == 0;
  const int32_t seq = ++rebalanceSeq_;
  if (p.kind == Pending::kAssign) {
    // Assign first: the event then precedes every record of these partitions in the ring.
    rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
    std::string msg;
    if (cooperative) {
      ErrorPtr e(rd_kafka_incremental_assign(rk_, p.parts.get()));
      if (e) {
        err = rd_kafka_error_code(e.get());
        msg = rd_kafka_error_string(e.get());
      }
    } else {
      err = rd_kafka_assign(rk_, p.parts.get());
      if (err) msg = rd_kafka_err2str(err);
    }
    Json j;
    j.raw("{").key("type").str("assign").key("seq").num(seq).key("incremental").boolean(cooperative);
    AppendPartitions(j, p.parts.get(), true);
    j.raw("}");
    WriteEvent(j.out);
    if (err) {
      Json e;
      e.raw("{").key("type").str("error").key("code").num(err).key("name").str(rd_kafka_err2name(err));
      e.key("message").str("assign failed: " + msg).key("fatal").boolean(false).raw("}");
      WriteEvent(e.out);
    }
    return;
  }

  // Revocation (or loss).
  Json j;
  j.raw("{").key("type").str(p.lost ? "lost" : "revoke").key("seq").num(seq).key("incremental").boolean(cooperative);
  AppendPartitions(j, p.parts.get(), false);
  j.raw("}");
  const bool written = WriteEvent(j.out);
  if (!p.lost) {
    // Let JS flush the sink and store offsets for what it has, then commit those before the
    // partitions go to another member (Kafka Connect commits in onPartitionsRevoked).
    if (written && !closing_ && revokeAckTimeoutMs_ != 0) WaitForAck(seq);
    rd_kafka_resp_err_t err = rd_kafka_commit(rk_, nullptr, 0);
    if (err && err != RD_KAFKA_RESP_ERR__NO_OFFSET) {
      Json e;
      e.raw("{").key("type").str("error").key("code").num(err).key("name").str(rd_kafka_err2name(err));
      e.key("message").str(std::string("commit on revocation failed: ") + rd_kafka_err2str(err));
      e.key("fatal").boolean(false).raw("}");
      WriteEvent(e.out);
    }
  }
  if (cooperative) {
    ErrorPtr e(rd_kafka_incremental_unassign(rk_, p.parts.get()));
  } else {
    rd_kafka_assign(rk_, nullptr);
  }
}

bool Consumer::WaitForAck(int32_t seq) {
  const int64_t deadline = revokeAckTimeoutMs_ > 0 ? MonotonicMs() + revokeAckTimeoutMs_ : -1;
  for (;;) {
    const int32_t w = Load(&wake_);
    if (Load(&ackedSeq_) - seq >= 0) return true;  // wrap-safe comparison
    if (stop_.load()) return false;
    int64_t slice = -1;
    if (deadline >= 0) {
      slice = deadline - MonotonicMs();
      if (slice <= 0) {
        Json e;
        e.raw("{").key("type").str("error").key("code").num(RD_KAFKA_RESP_ERR__TIMED_OUT).key("name").str("_TIMED_OUT");
        e.key("message").str("revocation " + std::to_string(seq) + " not acknowledged (rebalanceDone) within " +
                             std::to_string(revokeAckTimeoutMs_) + " ms; committing the offsets stored so far");
        e.key("fatal").boolean(false).raw("}");
        WriteEvent(e.out);
        return false;
      }
    }
    FutexWait(&wake_, w, slice);
  }
}

void Consumer::Shutdown() {
  {
    std::lock_guard<std::mutex> lk(rkMu_);
    shutdownStarted_ = true;  // no more queue yields (see RequestStop)
  }
  closing_ = true;
  // Rebalances recorded but not yet served: serve them now (no waiting for JS while closing).
  ServePending();
  // Leaves the group: revokes (through OnRebalance, served at once), commits stored offsets if
  // auto commit is on, and drops what was prefetched.
  const rd_kafka_resp_err_t closeErr = rd_kafka_consumer_close(rk_);
  if (closeErr && closeErr != RD_KAFKA_RESP_ERR__FATAL) {
    PushError(closeErr, std::string("leaving the group: ") + rd_kafka_err2str(closeErr), false);
  }
  ServePending();
  {
    std::lock_guard<std::mutex> lk(rkMu_);
    rd_kafka_queue_destroy(queue_);
    queue_ = nullptr;
    if (commitQueue_ != nullptr) {
      rd_kafka_queue_destroy(commitQueue_);
      commitQueue_ = nullptr;
    }
    // The group was left above. Without this flag rd_kafka_destroy() runs consumer_close() a
    // second time, which blocks forever if the first one did not finish.
    rd_kafka_destroy_flags(rk_, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
    rk_ = nullptr;
  }
  ring_.Close();
}

void Consumer::OnRebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts,
                           void* opaque) {
  auto* self = static_cast<Consumer*>(opaque);
  Pending p;
  p.parts.reset(rd_kafka_topic_partition_list_copy(parts));
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    p.kind = Pending::kAssign;
  } else {
    // REVOKE_PARTITIONS, or an error: the documented reaction to both is to drop the partitions.
    p.kind = Pending::kRevoke;
    p.lost = err != RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS || rd_kafka_assignment_lost(rk);
    if (err != RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS) self->PushError(err, "rebalance failed", false);
  }
  if (self->closing_) {
    self->HandleRebalance(p);  // from rd_kafka_consumer_close(): it waits for the (un)assign
  } else {
    self->pending_.push_back(std::move(p));
  }
}

void Consumer::OnError(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
  auto* self = static_cast<Consumer*>(opaque);
  if (err == RD_KAFKA_RESP_ERR__FATAL) {
    char buf[512];
    rd_kafka_resp_err_t orig = rd_kafka_fatal_error(rk, buf, sizeof buf);
    self->PushError(orig, buf, true);
  } else {
    self->PushError(static_cast<rd_kafka_resp_err_t>(err), reason ? reason : "", false);
  }
}

void Consumer::OnLog(const rd_kafka_t* rk, int level, const char* facility, const char* message) {
  auto* self = static_cast<Consumer*>(rd_kafka_opaque(rk));
  if (self == nullptr || std::this_thread::get_id() != self->threadId_.load()) {
    // Not served by our thread (during rd_kafka_new, before the log queue is set): librdkafka's
    // default printer.
    rd_kafka_log_print(rk, level, facility, message);
    return;
  }
  Json j;
  j.raw("{").key("type").str("log").key("level").num(level).key("facility").str(facility);
  j.key("message").str(message).raw("}");
  self->pending_.push_back(Pending{Pending::kEvent, nullptr, false, std::move(j.out)});
}

// ─── JS methods ─────────────────────────────────────────────────────────────────────────────────

namespace {

/** (topics: string[], partitions: number[], offsets?: number[]) → a partition list. */
PartitionList ListFrom(napi_env env, napi_value topicsV, napi_value partsV, napi_value offsetsV) {
  uint32_t n = ArrayLength(env, topicsV, "topics");
  if (ArrayLength(env, partsV, "partitions") != n) throw JsError("topics and partitions differ in length", "ERR_INVALID_ARG_VALUE");
  const bool withOffsets = offsetsV != nullptr && !IsNullish(env, offsetsV);
  if (withOffsets && ArrayLength(env, offsetsV, "offsets") != n) {
    throw JsError("topics and offsets differ in length", "ERR_INVALID_ARG_VALUE");
  }
  PartitionList list = NewPartitionList(static_cast<int>(n));
  for (uint32_t i = 0; i < n; i++) {
    std::string topic = GetString(env, GetElement(env, topicsV, i), "topic");
    int32_t partition = GetInt32(env, GetElement(env, partsV, i), "partition");
    auto* p = rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), partition);
    if (withOffsets) {
      double o = GetNumber(env, GetElement(env, offsetsV, i), "offset");
      // -2 beginning, -1 end, -1000 the committed offset (RD_KAFKA_OFFSET_STORED).
      if (!((o >= -2 || o == RD_KAFKA_OFFSET_STORED) && o < 9007199254740992.0) || o != static_cast<double>(static_cast<int64_t>(o))) {
        throw JsError("offset must be an integer (next offset to read)", "ERR_OUT_OF_RANGE");
      }
      p->offset = static_cast<int64_t>(o);
    }
  }
  return list;
}

std::string FirstPartitionError(const rd_kafka_topic_partition_list_t* list, rd_kafka_resp_err_t* code,
                                rd_kafka_resp_err_t ignore = RD_KAFKA_RESP_ERR_NO_ERROR) {
  for (int i = 0; list != nullptr && i < list->cnt; i++) {
    const auto& p = list->elems[i];
    if (p.err && p.err != ignore) {
      *code = p.err;
      return std::string(p.topic) + " [" + std::to_string(p.partition) + "]: " + rd_kafka_err2str(p.err);
    }
  }
  return "";
}

}  // namespace

// storeOffsets(topics, partitions, offsets) → number of offsets not stored (partition not assigned)
napi_value Consumer::StoreOffsets(napi_env env, napi_callback_info info) {
  Args a(env, info, 3);
  auto* self = Unwrap<Consumer>(env, a.self);
  PartitionList list = ListFrom(env, a[0], a[1], a[2]);
  auto locked = self->Lock();
  rd_kafka_resp_err_t err = rd_kafka_offsets_store(locked.rk, list.get());
  int rejected = 0;
  for (int i = 0; i < list->cnt; i++) {
    if (list->elems[i].err == RD_KAFKA_RESP_ERR__STATE) rejected++;
  }
  rd_kafka_resp_err_t code = RD_KAFKA_RESP_ERR_NO_ERROR;
  std::string msg = FirstPartitionError(list.get(), &code, RD_KAFKA_RESP_ERR__STATE);
  if (!msg.empty()) throw JsError("storeOffsets: " + msg, "ERR_NATIVE_KAFKA");
  if (err && err != RD_KAFKA_RESP_ERR__STATE) throw JsError(std::string("storeOffsets: ") + rd_kafka_err2str(err), "ERR_NATIVE_KAFKA");
  return MakeNumber(env, rejected);
}

// commit(topics|null, partitions|null, offsets|null, timeoutMs): commits the given offsets, or the
// stored ones; blocks until the coordinator answered or the timeout passed.
napi_value Consumer::Commit(napi_env env, napi_callback_info info) {
  Args a(env, info, 4);
  auto* self = Unwrap<Consumer>(env, a.self);
  PartitionList list;
  if (!IsNullish(env, a[0])) list = ListFrom(env, a[0], a[1], a[2]);
  int64_t timeout = GetTimeoutMs(env, a[3], "timeoutMs");
  auto locked = self->Lock();
  QueuePtr q(rd_kafka_queue_new(locked.rk));
  rd_kafka_resp_err_t err = rd_kafka_commit_queue(locked.rk, list.get(), q.get(), nullptr, nullptr);
  if (err) throw JsError(std::string("commit: ") + rd_kafka_err2str(err), "ERR_NATIVE_KAFKA");
  EventPtr ev(rd_kafka_queue_poll(q.get(), timeout < 0 ? -1 : static_cast<int>(timeout)));
  if (!ev) throw JsError("commit: no answer from the group coordinator within the timeout", "ERR_NATIVE_TIMEOUT");
  err = rd_kafka_event_error(ev.get());
  if (err == RD_KAFKA_RESP_ERR__NO_OFFSET) return Undefined(env);  // nothing stored: nothing to do
  if (err) throw JsError(std::string("commit: ") + rd_kafka_event_error_string(ev.get()), "ERR_NATIVE_KAFKA");
  rd_kafka_resp_err_t code;
  std::string msg = FirstPartitionError(rd_kafka_event_topic_partition_list(ev.get()), &code);
  if (!msg.empty()) throw JsError("commit: " + msg, "ERR_NATIVE_KAFKA");
  return Undefined(env);
}

// commitAsync(): commits the stored offsets without waiting; the answer arrives on commitQueue_
// and commitResults() reads it. The task thread goes on meanwhile, as Kafka Connect's sink task does
// with commitAsync: a coordinator that is away (a broker restarting) no longer stalls it.
napi_value Consumer::CommitAsync(napi_env env, napi_callback_info info) {
  Args a(env, info, 0);
  auto* self = Unwrap<Consumer>(env, a.self);
  auto locked = self->Lock();
  if (self->commitQueue_ == nullptr) self->commitQueue_ = rd_kafka_queue_new(locked.rk);
  rd_kafka_resp_err_t err = rd_kafka_commit_queue(locked.rk, nullptr, self->commitQueue_, nullptr, nullptr);
  if (err) throw JsError(std::string("commit: ") + rd_kafka_err2str(err), "ERR_NATIVE_KAFKA");
  return Undefined(env);
}

// commitResults(): the answers to commitAsync() that arrived since the last call, without
// waiting: [answers, error message of the last one that failed or null]. "Nothing stored" is
// not a failure.
napi_value Consumer::CommitResults(napi_env env, napi_callback_info info) {
  Args a(env, info, 0);
  auto* self = Unwrap<Consumer>(env, a.self);
  auto locked = self->Lock();
  int32_t answers = 0;
  std::string failure;
  bool failed = false;
  while (self->commitQueue_ != nullptr) {
    EventPtr ev(rd_kafka_queue_poll(self->commitQueue_, 0));
    if (!ev) break;
    if (rd_kafka_event_type(ev.get()) != RD_KAFKA_EVENT_OFFSET_COMMIT) continue;
    answers++;
    rd_kafka_resp_err_t err = rd_kafka_event_error(ev.get());
    if (err == RD_KAFKA_RESP_ERR__NO_OFFSET) continue;
    if (err) {
      failed = true;
      failure = rd_kafka_event_error_string(ev.get());
      continue;
    }
    rd_kafka_resp_err_t code;
    std::string msg = FirstPartitionError(rd_kafka_event_topic_partition_list(ev.get()), &code);
    if (!msg.empty()) {
      failed = true;
      failure = msg;
    }
  }
  napi_value out;
  Check(env, napi_create_array_with_length(env, 2, &out));
  Check(env, napi_set_element(env, out, 0, MakeNumber(env, answers)));
  napi_value message;
  if (failed) message = MakeString(env, failure.c_str());
  else Check(env, napi_get_null(env, &message));
  Check(env, napi_set_element(env, out, 1, message));
  return out;
}

// rebalanceDone(seq): JS has handled the revoke event `seq` (flushed, stored offsets).
napi_value Consumer::RebalanceDone(napi_env env, napi_callback_info info) {
  Args a(env, info, 1);
  auto* self = Unwrap<Consumer>(env, a.self);
  int32_t seq = GetInt32(env, a[0], "seq");
  if (seq - Load(&self->ackedSeq_) > 0) Store(&self->ackedSeq_, seq);
  FetchAdd(&self->wake_, 1);
  FutexWake(&self->wake_);
  return Undefined(env);
}

napi_value Consumer::Pause(napi_env env, napi_callback_info info) {
  Args a(env, info, 2);
  auto* self = Unwrap<Consumer>(env, a.self);
  PartitionList list = ListFrom(env, a[0], a[1], nullptr);
  auto locked = self->Lock();
  rd_kafka_resp_err_t err = rd_kafka_pause_partitions(locked.rk, list.get());
  if (err) throw JsError(std::string("pause: ") + rd_kafka_err2str(err), "ERR_NATIVE_KAFKA");
  return Undefined(env);
}

napi_value Consumer::Resume(napi_env env, napi_callback_info info) {
  Args a(env, info, 2);
  auto* self = Unwrap<Consumer>(env, a.self);
  PartitionList list = ListFrom(env, a[0], a[1], nullptr);
  auto locked = self->Lock();
  rd_kafka_resp_err_t err = rd_kafka_resume_partitions(locked.rk, list.get());
  if (err) throw JsError(std::string("resume: ") + rd_kafka_err2str(err), "ERR_NATIVE_KAFKA");
  return Undefined(env);
}

// seek(topics, partitions, offsets, timeoutMs)
napi_value Consumer::Seek(napi_env env, napi_callback_info info) {
  Args a(env, info, 4);
  auto* self = Unwrap<Consumer>(env, a.self);
  PartitionList list = ListFrom(env, a[0], a[1], a[2]);
  int64_t timeout = GetTimeoutMs(env, a[3], "timeoutMs");
  auto locked = self->Lock();
  ErrorPtr e(rd_kafka_seek_partitions(locked.rk, list.get(), timeout < 0 ? -1 : static_cast<int>(timeout)));
  if (e) throw JsError(std::string("seek: ") + rd_kafka_error_string(e.get()), "ERR_NATIVE_KAFKA");
  rd_kafka_resp_err_t code;
  std::string msg = FirstPartitionError(list.get(), &code);
  if (!msg.empty()) throw JsError("seek: " + msg, "ERR_NATIVE_KAFKA");
  return Undefined(env);
}

// assignment() → [{ topic, partition }]
napi_value Consumer::Assignment(napi_env env, napi_callback_info info) {
  Args a(env, info, 0);
  auto* self = Unwrap<Consumer>(env, a.self);
  rd_kafka_topic_partition_list_t* raw = nullptr;
  {
    auto locked = self->Lock();
    rd_kafka_resp_err_t err = rd_kafka_assignment(locked.rk, &raw);
    if (err) throw JsError(std::string("assignment: ") + rd_kafka_err2str(err), "ERR_NATIVE_KAFKA");
  }
  PartitionList list(raw);
  napi_value arr;
  Check(env, napi_create_array_with_length(env, list->cnt, &arr));
  for (int i = 0; i < list->cnt; i++) {
    napi_value o;
    Check(env, napi_create_object(env, &o));
    SetNamed(env, o, "topic", MakeString(env, list->elems[i].topic));
    SetNamed(env, o, "partition", MakeNumber(env, list->elems[i].partition));
    Check(env, napi_set_element(env, arr, static_cast<uint32_t>(i), o));
  }
  return arr;
}

// stats() → { frames, records, bytes, events, running }
napi_value Consumer::Stats(napi_env env, napi_callback_info info) {
  Args a(env, info, 0);
  auto* self = Unwrap<Consumer>(env, a.self);
  napi_value o;
  Check(env, napi_create_object(env, &o));
  SetNamed(env, o, "frames", MakeNumber(env, static_cast<double>(self->frames_.load())));
  SetNamed(env, o, "records", MakeNumber(env, static_cast<double>(self->records_.load())));
  SetNamed(env, o, "bytes", MakeNumber(env, static_cast<double>(self->bytes_.load())));
  SetNamed(env, o, "events", MakeNumber(env, static_cast<double>(self->events_.load())));
  napi_value running;
  Check(env, napi_get_boolean(env, !self->threadEnded(), &running));
  SetNamed(env, o, "running", running);
  return o;
}

napi_value Consumer::CloseAsync(napi_env env, napi_callback_info info) {
  Args a(env, info, 0);
  return Unwrap<Consumer>(env, a.self)->Close(env);
}

napi_value Consumer::CloseNow(napi_env env, napi_callback_info info) {
  Args a(env, info, 0);
  Unwrap<Consumer>(env, a.self)->CloseSync(env);
  return Undefined(env);
}

void InitConsumer(napi_env env, napi_value exports) {
  auto method = [](const char* name, napi_callback cb) {
    return napi_property_descriptor{name, nullptr, cb, nullptr, nullptr, nullptr, napi_default_method, nullptr};
  };
  napi_property_descriptor props[] = {
      method("storeOffsets", Guard<Consumer::StoreOffsets>),
      method("commit", Guard<Consumer::Commit>),
      method("commitAsync", Guard<Consumer::CommitAsync>),
      method("commitResults", Guard<Consumer::CommitResults>),
      method("rebalanceDone", Guard<Consumer::RebalanceDone>),
      method("pause", Guard<Consumer::Pause>),
      method("resume", Guard<Consumer::Resume>),
      method("seek", Guard<Consumer::Seek>),
      method("assignment", Guard<Consumer::Assignment>),
      method("stats", Guard<Consumer::Stats>),
      method("close", Guard<Consumer::CloseAsync>),
      method("closeSync", Guard<Consumer::CloseNow>),
  };
  napi_value ctor;
  Check(env, napi_define_class(env, "Consumer", NAPI_AUTO_LENGTH, Guard<Consumer::New>, nullptr,
                               sizeof props / sizeof props[0], props, &ctor));
  SetNamed(env, exports, "Consumer", ctor);
}

}  // namespace sluice
