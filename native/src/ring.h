// The C++ ends of src/engine/ring/ring-buffer.ts: the same SPSC ring of variable-length frames on
// a SharedArrayBuffer, same control block, same protocol (see the header comment of
// ring-buffer.ts, which is the specification; the offsets below are copied from it).
//
//   RingWriter  — the native consumer loop writes batch/event frames for a JS reader, and the
//                 native producer writes delivery-report frames.
//   RingReader  — the native producer loop reads batch frames written by JS (BatchWriter).
//
// Control words are accessed with SC atomics (futex.h); frame headers and payloads are plain
// memory published by the SC store of WRITE_POS (or handed back by the store of READ_POS).
//
// Sleeping uses futexes on WRITE_SEQ / READ_SEQ, so the JS side of such a ring must use the
// addon's waker (native.ts NATIVE_WAKER), not Atomics.wait/notify.
//
// One addition to the protocol, allowed by it: a third thread may bump a *_SEQ word (fetch_add 1,
// then wake) to interrupt a sleeper. A sequence word is only ever compared for change, so the
// sleeper sees a spurious wake-up and re-checks its condition. close()/stop requests use this.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <string>

#include "common.h"
#include "futex.h"

namespace sluice {

namespace ring {
constexpr int32_t kMagic = 0x42524c53;  // "SLRB"
constexpr int32_t kVersion = 1;
constexpr uint32_t kData = 384;
constexpr uint32_t kMinCapacity = 64;
constexpr uint32_t kMaxCapacity = 1u << 30;
// int32 word indices of the control block (byte offset / 4)
constexpr int kMagicW = 0, kVersionW = 1, kDataOffsetW = 2, kCapacityW = 3;
constexpr int kWritePos = 128 / 4, kWriteSeq = 132 / 4, kClosed = 136 / 4, kProducerWaiting = 140 / 4;
constexpr int kReadPos = 256 / 4, kReadSeq = 260 / 4, kCancelled = 264 / 4, kConsumerWaiting = 268 / 4;
constexpr int32_t kWrapMarker = -1;
constexpr uint32_t kFrameHeader = 8;
}  // namespace ring

/** Frame kinds sluice puts in the ring's per-frame `kind` word (mirrored in native.ts FrameKind). */
enum FrameKind : int32_t {
  kKindBatch = 1,            // a batch frame (src/data/batch.ts)
  kKindEvent = 2,            // a JSON event (rebalance, error)
  kKindDeliveryReports = 3,  // delivery reports of the native producer
};

/** The shared memory of one ring, validated against its control block. */
class RingMemory {
 public:
  void Attach(uint8_t* base, size_t byteLength, const char* what) {
    if (reinterpret_cast<uintptr_t>(base) % 8 != 0) throw JsError(std::string(what) + ": ring memory is not 8-aligned");
    if (byteLength < ring::kData + ring::kMinCapacity) throw JsError(std::string(what) + ": buffer too small for a ring");
    auto* w = reinterpret_cast<int32_t*>(base);
    if (w[ring::kMagicW] != ring::kMagic) throw JsError(std::string(what) + ": not a ring buffer (bad magic)");
    if (w[ring::kVersionW] != ring::kVersion) throw JsError(std::string(what) + ": unsupported ring version");
    if (static_cast<uint32_t>(w[ring::kDataOffsetW]) != ring::kData) throw JsError(std::string(what) + ": unexpected data offset");
    uint32_t cap = static_cast<uint32_t>(w[ring::kCapacityW]);
    if (cap < ring::kMinCapacity || cap > ring::kMaxCapacity || (cap & (cap - 1)) != 0 || ring::kData + cap > byteLength) {
      throw JsError(std::string(what) + ": bad ring capacity");
    }
    base_ = base;
    ctrl_ = w;
    data_ = base + ring::kData;
    capacity_ = cap;
    mask_ = cap - 1;
  }

  /**
   * Fault the data region in now, as huge pages where the kernel allows (THP "madvise" mode).
   *
   * Why: a fresh SharedArrayBuffer is untouched zero memory; the first pass of the writer through
   * the ring takes one page fault per 4 KiB, several µs each on a PTI VM — measured at a quarter
   * of the consumer thread's CPU over the first 64 MB (native/README.md). Populating at creation
   * moves that off the hot path; huge pages also cut the TLB misses of a ring cycled forever.
   * Both are hints on memory V8 owns: contents are not changed, failures are harmless.
   */
  void Prefault() const {
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23  // Linux 5.14; older glibc headers lack the name
#endif
    const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
    const uintptr_t start = (reinterpret_cast<uintptr_t>(data_) + page - 1) & ~(page - 1);
    const uintptr_t end = (reinterpret_cast<uintptr_t>(data_) + capacity_) & ~(page - 1);
    if (end <= start) return;
    madvise(reinterpret_cast<void*>(start), end - start, MADV_HUGEPAGE);
    if (madvise(reinterpret_cast<void*>(start), end - start, MADV_POPULATE_WRITE) == 0) return;
    // Older kernels: write-touch every page without changing it (atomic add of 0).
    for (uintptr_t p = start; p < end; p += page) FetchAdd(reinterpret_cast<int32_t*>(p), 0);
  }

  uint32_t capacity() const { return capacity_; }
  /** Largest payload one frame may carry (capacity / 2 - 8), as in ring-buffer.ts. */
  uint32_t maxFrameBytes() const { return capacity_ / 2 - ring::kFrameHeader; }
  int32_t* word(int i) const { return ctrl_ + i; }
  int32_t* dataWord(uint32_t off) const { return reinterpret_cast<int32_t*>(data_ + off); }
  uint8_t* data() const { return data_; }
  uint32_t mask() const { return mask_; }
  bool attached() const { return base_ != nullptr; }

 protected:
  uint8_t* base_ = nullptr;
  int32_t* ctrl_ = nullptr;
  uint8_t* data_ = nullptr;
  uint32_t capacity_ = 0;
  uint32_t mask_ = 0;
};

/** Producer end (native writes frames). One thread only. */
class RingWriter : public RingMemory {
 public:
  void Attach(uint8_t* base, size_t byteLength, const char* what) {
    RingMemory::Attach(base, byteLength, what);
    writePos_ = static_cast<uint32_t>(Load(word(ring::kWritePos)));
    cachedRead_ = static_cast<uint32_t>(Load(word(ring::kReadPos)));
  }

  /**
   * A writable pointer to `bytes` payload bytes for the next frame (8-aligned), or nullptr if
   * the reader cancelled, `stop` became true, or `timeoutMs` passed (-1 = no limit, 0 = try once).
   * Sleeps on READ_SEQ while the ring is full.
   */
  uint8_t* Reserve(uint32_t bytes, const std::atomic<bool>& stop, int64_t timeoutMs = -1) {
    const uint32_t size = (bytes + 15u) & ~7u;
    const uint32_t w = writePos_;
    const uint32_t off = w & mask_;
    const uint32_t tail = capacity_ - off;
    const uint32_t total = size <= tail ? size : tail + size;
    const int64_t deadline = timeoutMs > 0 ? MonotonicMs() + timeoutMs : 0;
    for (;;) {
      const int32_t seq = Load(word(ring::kReadSeq));
      if (total > capacity_ - (w - cachedRead_)) cachedRead_ = static_cast<uint32_t>(Load(word(ring::kReadPos)));
      if (Load(word(ring::kCancelled)) != 0) return nullptr;
      if (total <= capacity_ - (w - cachedRead_)) {
        if (size <= tail) {
          resStart_ = off;
          resWrapAt_ = -1;
          resSkip_ = 0;
        } else {
          resStart_ = 0;
          resWrapAt_ = static_cast<int64_t>(off);
          resSkip_ = tail;
        }
        resBytes_ = bytes;
        return data_ + resStart_ + ring::kFrameHeader;
      }
      if (stop.load() || timeoutMs == 0) return nullptr;
      int64_t slice = -1;
      if (timeoutMs > 0) {
        slice = deadline - MonotonicMs();
        if (slice <= 0) return nullptr;
      }
      Store(word(ring::kProducerWaiting), 1);
      FutexWait(word(ring::kReadSeq), seq, slice);
      Store(word(ring::kProducerWaiting), 0);
    }
  }

  /** Publish the reserved frame with `length` ≤ reserved bytes and the given kind. */
  void Commit(uint32_t length, int32_t kind) {
    if (resWrapAt_ >= 0) *dataWord(static_cast<uint32_t>(resWrapAt_)) = ring::kWrapMarker;
    int32_t* h = dataWord(resStart_);
    h[0] = static_cast<int32_t>(length);
    h[1] = kind;
    writePos_ = writePos_ + resSkip_ + ((length + 15u) & ~7u);
    Store(word(ring::kWritePos), static_cast<int32_t>(writePos_));
    FetchAdd(word(ring::kWriteSeq), 1);
    if (Load(word(ring::kConsumerWaiting)) != 0) FutexWake(word(ring::kWriteSeq));
  }

  /** End of stream: frames already committed are still delivered. */
  void Close() {
    Store(word(ring::kClosed), 1);
    FetchAdd(word(ring::kWriteSeq), 1);
    FutexWake(word(ring::kWriteSeq));
  }

  bool Cancelled() const { return Load(word(ring::kCancelled)) != 0; }

  /** From another thread: make a Reserve() sleeping on READ_SEQ re-check (after setting stop). */
  void Interrupt() const {
    FetchAdd(word(ring::kReadSeq), 1);
    FutexWake(word(ring::kReadSeq));
  }

 private:
  uint32_t writePos_ = 0;
  uint32_t cachedRead_ = 0;
  uint32_t resStart_ = 0;
  int64_t resWrapAt_ = -1;
  uint32_t resSkip_ = 0;
  uint32_t resBytes_ = 0;
};

/** A frame seen by RingReader: valid until released. */
struct FrameRef {
  uint8_t* data = nullptr;
  uint32_t length = 0;
  int32_t kind = 0;
  uint32_t next = 0;  // READ_POS once this frame (and every earlier one) is released
};

/**
 * Consumer end (native reads frames). Unlike the JS reader it may look at several frames before
 * releasing any (zero-copy produce keeps frames until their delivery reports are in); releases
 * are in order, by position.
 */
class RingReader : public RingMemory {
 public:
  void Attach(uint8_t* base, size_t byteLength, const char* what) {
    RingMemory::Attach(base, byteLength, what);
    cursor_ = cachedWrite_ = static_cast<uint32_t>(Load(word(ring::kReadPos)));
  }

  enum class Next { Frame, Empty, Corrupt };

  /** The frame at the cursor, without releasing it. */
  Next TryNext(FrameRef& f) {
    uint32_t r = cursor_;
    if (r == cachedWrite_) {
      cachedWrite_ = static_cast<uint32_t>(Load(word(ring::kWritePos)));
      if (r == cachedWrite_) return Next::Empty;
    }
    uint32_t off = r & mask_;
    int32_t len = *dataWord(off);
    if (len == ring::kWrapMarker) {
      r += capacity_ - off;
      off = 0;
      len = *dataWord(0);
    }
    if (len < 0 || static_cast<uint32_t>(len) > maxFrameBytes()) return Next::Corrupt;
    f.data = data_ + off + ring::kFrameHeader;
    f.length = static_cast<uint32_t>(len);
    f.kind = dataWord(off)[1];
    f.next = r + ((static_cast<uint32_t>(len) + 15u) & ~7u);
    cursor_ = f.next;
    return Next::Frame;
  }

  /** Hand everything before `pos` back to the writer. */
  void ReleaseTo(uint32_t pos) {
    Store(word(ring::kReadPos), static_cast<int32_t>(pos));
    FetchAdd(word(ring::kReadSeq), 1);
    if (Load(word(ring::kProducerWaiting)) != 0) FutexWake(word(ring::kReadSeq));
  }

  /** Give up: a writer waiting for room wakes and stops. */
  void Cancel() {
    Store(word(ring::kCancelled), 1);
    FetchAdd(word(ring::kReadSeq), 1);
    FutexWake(word(ring::kReadSeq));
  }

  bool Closed() const { return Load(word(ring::kClosed)) != 0; }
  /** Nothing committed beyond the cursor (as of now). */
  bool Drained() const { return cursor_ == static_cast<uint32_t>(Load(word(ring::kWritePos))); }
  uint32_t cursor() const { return cursor_; }

  /** Sleep protocol, consumer side: see ring-buffer.ts ("consumer sleep"). */
  int32_t WriteSeq() const { return Load(word(ring::kWriteSeq)); }
  void Sleep(int32_t seq, int64_t timeoutMs) {
    Store(word(ring::kConsumerWaiting), 1);
    FutexWait(word(ring::kWriteSeq), seq, timeoutMs);
    Store(word(ring::kConsumerWaiting), 0);
  }
  /** From another thread: wake Sleep() (a DR is ready, or stop was requested). */
  void Interrupt() const {
    FetchAdd(word(ring::kWriteSeq), 1);
    if (Load(word(ring::kConsumerWaiting)) != 0) FutexWake(word(ring::kWriteSeq));
  }

 private:
  uint32_t cursor_ = 0;
  uint32_t cachedWrite_ = 0;
};

}  // namespace sluice
