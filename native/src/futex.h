// Futex wait/wake on a 32-bit word of shared memory.
//
// Why raw futexes: V8 implements Atomics.wait/notify with a wait list of its own, so a native
// thread can neither wake a JS thread blocked in Atomics.wait nor be woken by Atomics.notify. When
// one end of a ring is native, both ends sleep and wake through these calls instead (the JS side
// through the addon's waker). All users live in one process, so the private futex variants
// (cheaper: no mm lookup of a shared key) are enough: a SharedArrayBuffer is ordinary process
// memory.
#pragma once

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <ctime>

namespace sluice {

enum class WaitResult { Ok, NotEqual, TimedOut };

/**
 * Sleep while *addr == expected, at most timeoutMs (-1 = forever). Returns Ok when woken (or
 * interrupted: callers re-check their condition), NotEqual when the word had already changed.
 */
inline WaitResult FutexWait(int32_t* addr, int32_t expected, int64_t timeoutMs) {
  struct timespec ts;
  struct timespec* tsp = nullptr;
  if (timeoutMs >= 0) {
    ts.tv_sec = static_cast<time_t>(timeoutMs / 1000);
    ts.tv_nsec = static_cast<long>((timeoutMs % 1000) * 1000000);
    tsp = &ts;
  }
  long r = syscall(SYS_futex, addr, FUTEX_WAIT_PRIVATE, expected, tsp, nullptr, 0);
  if (r == 0) return WaitResult::Ok;
  if (errno == EAGAIN) return WaitResult::NotEqual;
  if (errno == ETIMEDOUT) return WaitResult::TimedOut;
  return WaitResult::Ok;  // EINTR: a spurious wake-up, the caller re-checks
}

/** Wake every thread sleeping on addr; returns how many were woken. */
inline int FutexWake(int32_t* addr) {
  long r = syscall(SYS_futex, addr, FUTEX_WAKE_PRIVATE, INT_MAX, nullptr, nullptr, 0);
  return r < 0 ? 0 : static_cast<int>(r);
}

/** Sequentially consistent access to a shared int32 (the ring protocol needs SC: Dekker pattern). */
inline int32_t Load(int32_t* p) { return std::atomic_ref<int32_t>(*p).load(std::memory_order_seq_cst); }
inline void Store(int32_t* p, int32_t v) { std::atomic_ref<int32_t>(*p).store(v, std::memory_order_seq_cst); }
inline int32_t FetchAdd(int32_t* p, int32_t v) {
  return std::atomic_ref<int32_t>(*p).fetch_add(v, std::memory_order_seq_cst);
}

inline int64_t MonotonicMs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

}  // namespace sluice
