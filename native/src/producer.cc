// NativeProducer: drains a ring of batch frames written by JS (BatchWriter) into librdkafka on its
// own thread, and returns one compact delivery report per record through a second ring.
//
// Per record the thread calls rd_kafka_produceva with a cached rd_kafka_topic_t (no topic lookup
// by name), the frame's partition (-1 = partitioner), key, value, timestamp (-1 = now), headers,
// and an opaque that packs (frame sequence, record index). Two payload modes (`copy`):
//   * copy:      RD_KAFKA_MSG_F_COPY; librdkafka copies the value into the message allocation and
//                the frame is released as soon as all its records are enqueued.
//   * zero-copy: librdkafka points at the value inside the ring; the frame stays unreleased until
//                the delivery report of its last record (frames are released in ring order).
// Keys and headers are always copied by librdkafka. native/README.md has the measurement.
//
// Back-pressure: QUEUE_FULL from librdkafka → serve delivery reports (rd_kafka_poll 10 ms) and
// retry the same record; a full report ring → keep reports in memory and stop taking frames until
// JS reads (bounded backlog). JS therefore must read reports while it writes frames.
//
// Sleeping: the thread sleeps on the input ring's WRITE_SEQ (ring "consumer sleep"). JS commits
// wake it; so does librdkafka when delivery reports arrive (a queue event callback bumps the same
// word) and close(). One futex word, three sources, no polling loop.
//
// close(timeoutMs): produces every frame committed before the request, flushes (purging what is
// still queued when the timeout passes, so every record still gets a report, with an error),
// writes the remaining reports, closes the report ring and cancels the input ring. JS closing the
// input ring (ring.close()) has the same effect once the ring is drained.
#include <algorithm>
#include <cinttypes>
#include <deque>
#include <limits>
#include <mutex>
#include <thread>
#include <string>
#include <unordered_map>
#include <vector>

#include "addon.h"
#include "batch_frame.h"
#include "common.h"
#include "handle.h"
#include "ring.h"

namespace sluice {

namespace {

const std::vector<std::pair<std::string, std::string>> kProducerDefaults = {
    {"acks", "all"},
    {"enable.idempotence", "true"},
    // Bigger, fewer ProduceRequests: librdkafka's docs call linger.ms=5 unsuitable for throughput.
    {"linger.ms", "20"},
    {"batch.num.messages", "10000"},
    {"batch.size", "1000000"},
    {"queue.buffering.max.messages", "1000000"},
    {"queue.buffering.max.kbytes", "1048576"},
    {"compression.type", "none"},
};

const char* kWho = "sluice native producer";

constexpr int32_t kReportMagic = 0x52444c53;  // "SLDR"
constexpr uint32_t kReportHeader = 16;

/** One delivery report as it lies in a report frame (32 bytes, 8-aligned). */
struct Report {
  double offset;     // -1 when not delivered or unknown
  double timestamp;  // ms, -1 = none
  int32_t seq;       // input frame sequence (0, 1, 2… in the order frames were committed)
  int32_t index;     // record index within that frame
  int32_t partition;
  int32_t err;  // rd_kafka_resp_err_t, 0 = delivered
};
static_assert(sizeof(Report) == 32, "report layout");

}  // namespace

class Producer : public ThreadedHandle {
 public:
  static napi_value New(napi_env env, napi_callback_info info);
  static napi_value CloseAsync(napi_env env, napi_callback_info info);
  static napi_value CloseNow(napi_env env, napi_callback_info info);
  static napi_value Stats(napi_env env, napi_callback_info info);

  ~Producer() override {
    if (mainQueue_ != nullptr) rd_kafka_queue_destroy(mainQueue_);
    for (auto& [name, rkt] : topics_) rd_kafka_topic_destroy(rkt);
    if (rk_ != nullptr) rd_kafka_destroy(rk_);
  }

 private:
  struct InFlight {
    int32_t seq;
    uint32_t next;       // input READ_POS after this frame
    uint32_t remaining;  // records without a report yet (zero-copy) / 0 (copy)
    bool enqueued;       // every record handed to librdkafka
  };

  void Run() override;
  void RequestStop() override;
  void Abandon() override {
    SetCloseDeadline(kAbandonFlushMs);
    RequestStop();
  }
  void SetCloseDeadline(int64_t timeoutMs);
  /** Flush budget when JS went away without close(): records left after it get error reports. */
  static constexpr int64_t kAbandonFlushMs = 2000;
  bool ProduceFrame(const FrameRef& f);
  void Poll(int timeoutMs);
  void ReleaseCompleted();
  bool FlushReports(int64_t timeoutMs);
  void Finish();
  void PushEvent(rd_kafka_resp_err_t err, const std::string& message, bool fatal);
  void AddReport(int32_t seq, int32_t index, int32_t partition, rd_kafka_resp_err_t err, int64_t offset, int64_t ts);
  rd_kafka_topic_t* Topic(const char* name, uint32_t len);
  static void OnDelivery(rd_kafka_t* rk, const rd_kafka_message_t* m, void* opaque);
  static void OnError(rd_kafka_t* rk, int err, const char* reason, void* opaque);
  static void OnQueueEvent(rd_kafka_t* rk, void* opaque);
  static void OnLog(const rd_kafka_t* rk, int level, const char* facility, const char* message);

  rd_kafka_t* rk_ = nullptr;
  rd_kafka_queue_t* mainQueue_ = nullptr;
  RingReader input_;
  RingWriter reports_;
  bool copy_ = true;
  uint32_t maxReportsPerFrame_ = 0;
  int64_t flushTimeoutMs_ = 0;
  std::atomic<int64_t> closeDeadline_{-1};  // monotonic ms; -1 = none yet
  std::atomic<bool> never_{false};

  // producer thread only
  std::atomic<std::thread::id> threadId_{};  // the worker thread, once it runs (OnLog)
  std::deque<InFlight> inflight_;
  int32_t nextSeq_ = 0;
  std::vector<Report> drBuf_;
  size_t drHead_ = 0;
  std::vector<std::string> events_;
  std::unordered_map<std::string, rd_kafka_topic_t*> topics_;
  std::vector<rd_kafka_topic_t*> frameTopics_;
  bool fatal_ = false;

  std::atomic<uint64_t> frames_{0}, records_{0}, reported_{0}, reportFrames_{0}, failed_{0}, retries_{0},
      dropped_{0};
};

// ─── construction (JS thread) ───────────────────────────────────────────────────────────────────

// new Producer(config: string[], input: Uint8Array, reports: Uint8Array, copy: boolean,
//              maxReportsPerFrame: number, flushTimeoutMs: number)
napi_value Producer::New(napi_env env, napi_callback_info info) {
  Args a(env, info, 6);
  auto config = GetStringArray(env, a[0], "config");
  TypedBytes in = GetTypedArray(env, a[1], "input");
  TypedBytes out = GetTypedArray(env, a[2], "reports");
  bool copy = GetBool(env, a[3]);
  int32_t maxReports = GetInt32(env, a[4], "maxReportsPerFrame");
  int64_t flushTimeoutMs = GetTimeoutMs(env, a[5], "flushTimeoutMs");
  if (in.data == out.data) throw JsError(std::string(kWho) + ": the input and report rings must differ", "ERR_INVALID_ARG_VALUE");

  std::unique_ptr<Producer> self(new Producer());
  self->input_.Attach(in.data, in.length, "sluice native producer (input ring)");
  self->reports_.Attach(out.data, out.length, "sluice native producer (report ring)");
  self->input_.Prefault();  // JS writes it: its first pass through the ring faults no pages either
  self->reports_.Prefault();
  const uint32_t fit = (self->reports_.maxFrameBytes() - kReportHeader) / sizeof(Report);
  if (fit < 1) throw JsError(std::string(kWho) + ": the report ring is too small", "ERR_OUT_OF_RANGE");
  self->maxReportsPerFrame_ = maxReports <= 0 || static_cast<uint32_t>(maxReports) > fit ? fit : static_cast<uint32_t>(maxReports);
  self->copy_ = copy;
  self->flushTimeoutMs_ = flushTimeoutMs;

  // Logs are served on the producer thread (rd_kafka_poll) and become log events.
  ConfPtr conf = BuildConf(kProducerDefaults, config, {{"log.queue", "true"}}, kWho);
  rd_kafka_conf_set_opaque(conf.get(), self.get());
  rd_kafka_conf_set_dr_msg_cb(conf.get(), OnDelivery);
  rd_kafka_conf_set_error_cb(conf.get(), OnError);
  rd_kafka_conf_set_log_cb(conf.get(), OnLog);
  char errstr[512];
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf.get(), errstr, sizeof errstr);
  if (rk == nullptr) throw JsError(std::string(kWho) + ": " + errstr, "ERR_NATIVE_CONFIG");
  conf.release();
  self->rk_ = rk;
  rd_kafka_set_log_queue(rk, nullptr);
  self->mainQueue_ = rd_kafka_queue_get_main(rk);
  rd_kafka_queue_cb_event_enable(self->mainQueue_, OnQueueEvent, self.get());

  Producer* p = self.release();
  try {
    p->Wrap(env, a.self);
  } catch (...) {
    delete p;
    throw;
  }
  p->Keep(env, a[1]);
  p->Keep(env, a[2]);
  p->Start(env, "sluice-produce");
  return a.self;
}

// ─── the producer thread ────────────────────────────────────────────────────────────────────────

void Producer::Run() {
  threadId_.store(std::this_thread::get_id());
  // Reports kept in memory while the report ring is full; past this, no new frames are taken.
  const size_t backlogLimit = 4 * static_cast<size_t>(maxReportsPerFrame_);
  bool draining = false;
  uint32_t drainUntil = 0;
  for (;;) {
    const int32_t seq = input_.WriteSeq();  // read before the checks: see the ring's sleep protocol
    Poll(0);
    FlushReports(0);
    if (fatal_) break;
    if (stop_.load() && !draining) {
      // close(): produce what was committed before the request, nothing after it.
      draining = true;
      drainUntil = static_cast<uint32_t>(Load(input_.word(ring::kWritePos)));
    }
    const bool backlog = drBuf_.size() - drHead_ > backlogLimit;
    if (!backlog && !(draining && input_.cursor() == drainUntil)) {
      FrameRef f;
      RingReader::Next r = input_.TryNext(f);
      if (r == RingReader::Next::Corrupt) {
        PushEvent(RD_KAFKA_RESP_ERR__BAD_MSG, "corrupt frame length in the input ring", true);
        break;
      }
      if (r == RingReader::Next::Frame) {
        if (!ProduceFrame(f)) break;
        continue;
      }
    }
    if (draining && input_.cursor() == drainUntil) break;
    if (!draining && input_.Closed() && input_.Drained()) break;
    if (backlog) {
      FlushReports(10);  // sleeps on the report ring until JS reads some
    } else {
      input_.Sleep(seq, 1000);
    }
  }
  Finish();
}

void Producer::RequestStop() {
  stop_.store(true);
  input_.Interrupt();
  reports_.Interrupt();
}

void Producer::SetCloseDeadline(int64_t timeoutMs) {
  int64_t deadline = timeoutMs < 0 ? std::numeric_limits<int64_t>::max() : MonotonicMs() + timeoutMs;
  int64_t cur = closeDeadline_.load();
  // The earliest deadline asked for wins.
  while ((cur < 0 || deadline < cur) && !closeDeadline_.compare_exchange_weak(cur, deadline)) {
  }
}

rd_kafka_topic_t* Producer::Topic(const char* name, uint32_t len) {
  std::string key(name, len);
  auto it = topics_.find(key);
  if (it != topics_.end()) return it->second;
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk_, key.c_str(), nullptr);
  if (rkt != nullptr) topics_.emplace(std::move(key), rkt);
  return rkt;
}

void Producer::AddReport(int32_t seq, int32_t index, int32_t partition, rd_kafka_resp_err_t err, int64_t offset,
                         int64_t ts) {
  drBuf_.push_back(Report{err || offset < 0 ? -1.0 : static_cast<double>(offset), static_cast<double>(ts), seq, index,
                          partition, static_cast<int32_t>(err)});
  if (err) failed_.fetch_add(1, std::memory_order_relaxed);
}

bool Producer::ProduceFrame(const FrameRef& f) {
  using namespace batch;
  const int32_t seq = nextSeq_++;
  inflight_.push_back(InFlight{seq, f.next, 0, false});
  auto frameError = [&](const std::string& why) {
    PushEvent(RD_KAFKA_RESP_ERR__BAD_MSG, "input frame " + std::to_string(seq) + ": " + why, true);
    inflight_.back().enqueued = true;
    return false;
  };
  if (f.kind != kKindBatch) return frameError("kind " + std::to_string(f.kind) + " is not a batch frame");

  // Validate what we will dereference: the frame comes from JS, a bad offset must not crash us.
  const uint8_t* b = f.data;
  const uint32_t len = f.length;
  if (len < kHeaderBytes) return frameError("shorter than a batch header");
  if (GetI32(b + kMagicAt) != kMagic || GetI32(b + kVersionAt) != kVersion) return frameError("bad magic or version");
  const int64_t frameLength = GetI32(b + kFrameLength);
  const int64_t n = GetI32(b + kCount);
  const int64_t topicCount = GetI32(b + kTopicCount);
  if (frameLength < kHeaderBytes || frameLength > len || n < 0 || topicCount < 0) return frameError("bad header");
  auto section = [&](uint32_t field, int64_t bytes) -> int64_t {
    int64_t off = GetI32(b + field);
    if ((off & 7) != 0 || off < kHeaderBytes || off + bytes > frameLength) return -1;
    return off;
  };
  const int64_t i32 = (4 * n + 7) & ~7ll;
  const int64_t offCol = section(kOffsetCol, 8 * n), tsCol = section(kTimestampCol, 8 * n),
                partCol = section(kPartitionCol, i32), topicCol = section(kTopicIdCol, i32),
                keyOffCol = section(kKeyOffsetCol, i32), keyLenCol = section(kKeyLengthCol, i32),
                valOffCol = section(kValueOffsetCol, i32), valLenCol = section(kValueLengthCol, i32),
                hOffCol = section(kHeadersOffsetCol, i32), hLenCol = section(kHeadersLengthCol, i32);
  const int64_t payloadLen = GetI32(b + kPayloadLength);
  const int64_t payloadAt = payloadLen < 0 ? -1 : section(kPayload, payloadLen);
  const int64_t table = section(kTopicTable, 4 * (topicCount + 1));
  if (offCol < 0 || tsCol < 0 || partCol < 0 || topicCol < 0 || keyOffCol < 0 || keyLenCol < 0 || valOffCol < 0 ||
      valLenCol < 0 || hOffCol < 0 || hLenCol < 0 || payloadAt < 0 || table < 0) {
    return frameError("a section is misaligned or outside the frame");
  }
  (void)offCol;
  frameTopics_.clear();
  const int64_t names = table + 4 * (topicCount + 1);
  for (int64_t t = 0; t < topicCount; t++) {
    const int64_t s = names + GetI32(b + table + 4 * t), e = names + GetI32(b + table + 4 * t + 4);
    if (s < names || e < s || e > frameLength) return frameError("topic name outside the frame");
    rd_kafka_topic_t* rkt = Topic(reinterpret_cast<const char*>(b + s), static_cast<uint32_t>(e - s));
    if (rkt == nullptr) return frameError("cannot create a topic handle");
    frameTopics_.push_back(rkt);
  }

  const auto* timestamps = reinterpret_cast<const double*>(b + tsCol);
  const auto* partitions = reinterpret_cast<const int32_t*>(b + partCol);
  const auto* topicIds = reinterpret_cast<const int32_t*>(b + topicCol);
  const auto* keyOffsets = reinterpret_cast<const int32_t*>(b + keyOffCol);
  const auto* keyLengths = reinterpret_cast<const int32_t*>(b + keyLenCol);
  const auto* valueOffsets = reinterpret_cast<const int32_t*>(b + valOffCol);
  const auto* valueLengths = reinterpret_cast<const int32_t*>(b + valLenCol);
  const auto* headerOffsets = reinterpret_cast<const int32_t*>(b + hOffCol);
  const auto* headerLengths = reinterpret_cast<const int32_t*>(b + hLenCol);
  uint8_t* payload = f.data + payloadAt;
  auto inPayload = [&](int64_t off, int64_t l) { return off >= 0 && l >= 0 && off + l <= payloadLen; };

  if (!copy_) inflight_.back().remaining = static_cast<uint32_t>(n);
  const int msgFlags = copy_ ? RD_KAFKA_MSG_F_COPY : 0;
  for (int64_t i = 0; i < n; i++) {
    const int32_t tid = topicIds[i];
    const int32_t kl = keyLengths[i], vl = valueLengths[i], hl = headerLengths[i];
    const int32_t partition = partitions[i] >= 0 ? partitions[i] : RD_KAFKA_PARTITION_UA;
    auto fail = [&](rd_kafka_resp_err_t err) {
      AddReport(seq, static_cast<int32_t>(i), partition, err, -1, -1);
      if (!copy_) inflight_.back().remaining--;
    };
    if (tid < 0 || tid >= topicCount || (kl >= 0 && !inPayload(keyOffsets[i], kl)) ||
        (vl >= 0 && !inPayload(valueOffsets[i], vl)) || !inPayload(headerOffsets[i], hl)) {
      fail(RD_KAFKA_RESP_ERR__BAD_MSG);
      continue;
    }
    HeadersPtr hdrs;
    if (hl > 0) {
      const uint8_t* h = payload + headerOffsets[i];
      const uint8_t* end = h + hl;
      int32_t count = hl >= 4 ? GetI32(h) : -1;
      h += 4;
      bool ok = count >= 0;
      hdrs.reset(rd_kafka_headers_new(ok ? static_cast<size_t>(count) : 0));
      for (int32_t j = 0; ok && j < count; j++) {
        if (end - h < 4) { ok = false; break; }
        int32_t nl = GetI32(h);
        if (nl < 0 || end - h - 4 < nl + 4) { ok = false; break; }
        const char* name = reinterpret_cast<const char*>(h + 4);
        h += 4 + nl;
        int32_t hv = GetI32(h);
        h += 4;
        if (hv > end - h) { ok = false; break; }
        rd_kafka_header_add(hdrs.get(), name, nl, hv >= 0 ? h : nullptr, hv >= 0 ? hv : 0);
        if (hv > 0) h += hv;
      }
      if (!ok) {
        fail(RD_KAFKA_RESP_ERR__BAD_MSG);
        continue;
      }
    }
    // At most 8 fields; a stack array (rd_kafka_vu_t is 72 bytes: fill only what is used).
    rd_kafka_vu_t vus[8];
    size_t nv = 0;
    vus[nv].vtype = RD_KAFKA_VTYPE_RKT;
    vus[nv++].u.rkt = frameTopics_[tid];
    vus[nv].vtype = RD_KAFKA_VTYPE_PARTITION;
    vus[nv++].u.i32 = partition;
    vus[nv].vtype = RD_KAFKA_VTYPE_VALUE;
    vus[nv].u.mem.ptr = vl >= 0 ? payload + valueOffsets[i] : nullptr;  // non-null when empty: "" ≠ null
    vus[nv++].u.mem.size = vl >= 0 ? static_cast<size_t>(vl) : 0;
    if (kl >= 0) {
      vus[nv].vtype = RD_KAFKA_VTYPE_KEY;
      vus[nv].u.mem.ptr = payload + keyOffsets[i];
      vus[nv++].u.mem.size = static_cast<size_t>(kl);
    }
    if (timestamps[i] >= 0) {
      vus[nv].vtype = RD_KAFKA_VTYPE_TIMESTAMP;
      vus[nv++].u.i64 = static_cast<int64_t>(timestamps[i]);
    }
    if (hdrs) {
      vus[nv].vtype = RD_KAFKA_VTYPE_HEADERS;
      vus[nv++].u.headers = hdrs.get();
    }
    vus[nv].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
    vus[nv++].u.i = msgFlags;
    vus[nv].vtype = RD_KAFKA_VTYPE_OPAQUE;
    vus[nv++].u.ptr = reinterpret_cast<void*>((static_cast<uint64_t>(static_cast<uint32_t>(seq)) << 32) |
                                              static_cast<uint32_t>(i));

    for (;;) {
      ErrorPtr e(rd_kafka_produceva(rk_, vus, nv));
      if (!e) {
        hdrs.release();  // librdkafka owns the headers now
        break;
      }
      const rd_kafka_resp_err_t err = rd_kafka_error_code(e.get());
      if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL && !fatal_) {
        // librdkafka's queue is the back-pressure: serve reports until there is room.
        retries_.fetch_add(1, std::memory_order_relaxed);
        Poll(10);
        FlushReports(0);
        continue;
      }
      fail(err);  // headers stay ours on failure: hdrs frees them
      break;
    }
  }
  inflight_.back().enqueued = true;
  frames_.fetch_add(1, std::memory_order_relaxed);
  records_.fetch_add(static_cast<uint64_t>(n), std::memory_order_relaxed);
  ReleaseCompleted();
  return true;
}

void Producer::Poll(int timeoutMs) {
  rd_kafka_poll(rk_, timeoutMs);
  ReleaseCompleted();
}

void Producer::ReleaseCompleted() {
  uint32_t to = 0;
  bool any = false;
  while (!inflight_.empty() && inflight_.front().enqueued && inflight_.front().remaining == 0) {
    to = inflight_.front().next;
    any = true;
    inflight_.pop_front();
  }
  if (any) input_.ReleaseTo(to);
}

/** Writes buffered reports and events; waits for room at most timeoutMs. False if some remain. */
bool Producer::FlushReports(int64_t timeoutMs) {
  while (drHead_ < drBuf_.size()) {
    const uint32_t n = static_cast<uint32_t>(std::min<size_t>(drBuf_.size() - drHead_, maxReportsPerFrame_));
    const uint32_t bytes = kReportHeader + n * static_cast<uint32_t>(sizeof(Report));
    uint8_t* p = reports_.Reserve(bytes, never_, timeoutMs);
    if (p == nullptr) return false;
    auto* h = reinterpret_cast<int32_t*>(p);
    h[0] = kReportMagic;
    h[1] = static_cast<int32_t>(n);
    h[2] = 0;
    h[3] = 0;
    memcpy(p + kReportHeader, drBuf_.data() + drHead_, n * sizeof(Report));
    reports_.Commit(bytes, kKindDeliveryReports);
    drHead_ += n;
    reported_.fetch_add(n, std::memory_order_relaxed);
    reportFrames_.fetch_add(1, std::memory_order_relaxed);
  }
  drBuf_.clear();
  drHead_ = 0;
  while (!events_.empty()) {
    const std::string& json = events_.front();
    uint8_t* p = reports_.Reserve(static_cast<uint32_t>(json.size()), never_, timeoutMs);
    if (p == nullptr) return false;
    memcpy(p, json.data(), json.size());
    reports_.Commit(static_cast<uint32_t>(json.size()), kKindEvent);
    events_.erase(events_.begin());
  }
  return true;
}

void Producer::Finish() {
  // Deadline for the flush: close(timeoutMs), else flushTimeoutMs from now.
  int64_t deadline = closeDeadline_.load();
  if (deadline < 0) deadline = flushTimeoutMs_ < 0 ? std::numeric_limits<int64_t>::max() : MonotonicMs() + flushTimeoutMs_;
  while (rd_kafka_outq_len(rk_) > 0 && MonotonicMs() < deadline && !fatal_) {
    const int64_t left = deadline - MonotonicMs();
    rd_kafka_flush(rk_, static_cast<int>(std::min<int64_t>(left, 100)));  // serves reports
    ReleaseCompleted();
    FlushReports(0);
  }
  if (rd_kafka_outq_len(rk_) > 0) {
    // Out of time (or fatal): fail what is left so every record still gets its report.
    rd_kafka_purge(rk_, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    const int64_t until = MonotonicMs() + 5000;
    while (rd_kafka_outq_len(rk_) > 0 && MonotonicMs() < until) Poll(50);
  }
  Poll(0);
  // Reports still buffered: give JS until the deadline (at least a second) to read them.
  const int64_t grace = std::max<int64_t>(std::min<int64_t>(deadline, MonotonicMs() + 60000) - MonotonicMs(), 1000);
  if (!FlushReports(grace)) {
    dropped_.fetch_add(drBuf_.size() - drHead_, std::memory_order_relaxed);
  }
  reports_.Close();
  input_.Cancel();  // a JS writer waiting for room wakes up and stops
  rd_kafka_queue_cb_event_enable(mainQueue_, nullptr, nullptr);
  rd_kafka_queue_destroy(mainQueue_);
  mainQueue_ = nullptr;
  for (auto& [name, rkt] : topics_) rd_kafka_topic_destroy(rkt);
  topics_.clear();
  rd_kafka_destroy(rk_);
  rk_ = nullptr;
}

void Producer::PushEvent(rd_kafka_resp_err_t err, const std::string& message, bool fatal) {
  Json j;
  j.raw("{").key("type").str("error").key("code").num(err).key("name").str(rd_kafka_err2name(err));
  j.key("message").str(message).key("fatal").boolean(fatal).raw("}");
  events_.push_back(std::move(j.out));
  if (fatal) fatal_ = true;
}

void Producer::OnDelivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  auto* self = static_cast<Producer*>(opaque);
  const auto packed = reinterpret_cast<uint64_t>(m->_private);
  const int32_t seq = static_cast<int32_t>(packed >> 32);
  const int32_t index = static_cast<int32_t>(packed & 0xffffffffu);
  rd_kafka_timestamp_type_t type;
  const int64_t ts = rd_kafka_message_timestamp(m, &type);
  self->AddReport(seq, index, m->partition, m->err, m->offset, ts);
  if (!self->copy_ && !self->inflight_.empty()) {
    // Frames are in sequence order; the report's frame is at seq - front.seq (wrap-safe).
    const uint32_t at = static_cast<uint32_t>(seq - self->inflight_.front().seq);
    if (at < self->inflight_.size()) self->inflight_[at].remaining--;
  }
}

void Producer::OnError(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
  auto* self = static_cast<Producer*>(opaque);
  if (err == RD_KAFKA_RESP_ERR__FATAL) {
    char buf[512];
    rd_kafka_resp_err_t orig = rd_kafka_fatal_error(rk, buf, sizeof buf);
    self->PushEvent(orig, buf, true);
  } else {
    self->PushEvent(static_cast<rd_kafka_resp_err_t>(err), reason ? reason : "", false);
  }
}

void Producer::OnLog(const rd_kafka_t* rk, int level, const char* facility, const char* message) {
  auto* self = static_cast<Producer*>(rd_kafka_opaque(rk));
  if (self == nullptr || std::this_thread::get_id() != self->threadId_.load()) {
    rd_kafka_log_print(rk, level, facility, message);  // not on our thread: the default printer
    return;
  }
  Json j;
  j.raw("{").key("type").str("log").key("level").num(level).key("facility").str(facility);
  j.key("message").str(message).raw("}");
  self->events_.push_back(std::move(j.out));
}

void Producer::OnQueueEvent(rd_kafka_t*, void* opaque) {
  // Called by a librdkafka thread, queue lock held: only wake our thread.
  static_cast<Producer*>(opaque)->input_.Interrupt();
}

// ─── JS methods ─────────────────────────────────────────────────────────────────────────────────

// close(timeoutMs) → Promise<void>
napi_value Producer::CloseAsync(napi_env env, napi_callback_info info) {
  Args a(env, info, 1);
  auto* self = Unwrap<Producer>(env, a.self);
  self->SetCloseDeadline(IsNullish(env, a[0]) ? self->flushTimeoutMs_ : GetTimeoutMs(env, a[0], "timeoutMs"));
  return self->Close(env);
}

napi_value Producer::CloseNow(napi_env env, napi_callback_info info) {
  Args a(env, info, 1);
  auto* self = Unwrap<Producer>(env, a.self);
  self->SetCloseDeadline(IsNullish(env, a[0]) ? self->flushTimeoutMs_ : GetTimeoutMs(env, a[0], "timeoutMs"));
  self->CloseSync(env);
  return Undefined(env);
}

napi_value Producer::Stats(napi_env env, napi_callback_info info) {
  Args a(env, info, 0);
  auto* self = Unwrap<Producer>(env, a.self);
  napi_value o;
  Check(env, napi_create_object(env, &o));
  SetNamed(env, o, "frames", MakeNumber(env, static_cast<double>(self->frames_.load())));
  SetNamed(env, o, "records", MakeNumber(env, static_cast<double>(self->records_.load())));
  SetNamed(env, o, "reports", MakeNumber(env, static_cast<double>(self->reported_.load())));
  SetNamed(env, o, "reportFrames", MakeNumber(env, static_cast<double>(self->reportFrames_.load())));
  SetNamed(env, o, "failed", MakeNumber(env, static_cast<double>(self->failed_.load())));
  SetNamed(env, o, "queueFullRetries", MakeNumber(env, static_cast<double>(self->retries_.load())));
  SetNamed(env, o, "droppedReports", MakeNumber(env, static_cast<double>(self->dropped_.load())));
  napi_value running;
  Check(env, napi_get_boolean(env, !self->threadEnded(), &running));
  SetNamed(env, o, "running", running);
  return o;
}

void InitProducer(napi_env env, napi_value exports) {
  auto method = [](const char* name, napi_callback cb) {
    return napi_property_descriptor{name, nullptr, cb, nullptr, nullptr, nullptr, napi_default_method, nullptr};
  };
  napi_property_descriptor props[] = {
      method("close", Guard<Producer::CloseAsync>),
      method("closeSync", Guard<Producer::CloseNow>),
      method("stats", Guard<Producer::Stats>),
  };
  napi_value ctor;
  Check(env, napi_define_class(env, "Producer", NAPI_AUTO_LENGTH, Guard<Producer::New>, nullptr,
                               sizeof props / sizeof props[0], props, &ctor));
  SetNamed(env, exports, "Producer", ctor);
}

}  // namespace sluice
