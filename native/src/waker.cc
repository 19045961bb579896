// The JS side's RingWaker for rings with a native end (ring-buffer.ts RingWaker):
//
//   wait(ctrl, index, expected, timeoutMs)       blocking futex wait (worker threads; on the main
//                                                thread it blocks the event loop, as Atomics.wait)
//   waitAsync(ctrl, index, expected, timeoutMs)  'not-equal' | 'timed-out' now, or a Promise of
//                                                'ok' | 'timed-out'
//   notify(ctrl, index)                          futex wake of every sleeper on the word
//
// waitAsync: a blocked futex needs a thread. Each env keeps a small pool of waiter threads
// (usually one: a thread waits for one ring at a time); a waiter sleeps on the word and settles the
// promise through a thread-safe function. The tsfn is unreferenced: like Atomics.waitAsync, a
// pending wait does not keep the process alive by itself. Cost per wait that actually sleeps: a
// condition-variable hand-off, the futex, and one uv_async hop back — tens of µs, once per frame
// at most, never per record.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "addon.h"
#include "common.h"
#include "futex.h"

namespace sluice {

namespace {

const char* ResultName(WaitResult r) {
  switch (r) {
    case WaitResult::Ok: return "ok";
    case WaitResult::NotEqual: return "not-equal";
    default: return "timed-out";
  }
}

/** The int32 word ctrl[index] of an Int32Array, range-checked. */
int32_t* WordOf(napi_env env, napi_value ctrl, napi_value index) {
  TypedBytes t = GetTypedArray(env, ctrl, "ctrl");
  if (t.type != napi_int32_array) throw JsTypeError("ctrl must be an Int32Array");
  int32_t i = GetInt32(env, index, "index");
  if (i < 0 || static_cast<size_t>(i) >= t.length / 4) throw JsError("index out of range", "ERR_OUT_OF_RANGE");
  return reinterpret_cast<int32_t*>(t.data) + i;
}

}  // namespace

class AsyncWaiters {
 public:
  struct Job {
    int32_t* addr;
    int32_t expected;
    int64_t deadline;  // monotonic ms, -1 = none
    napi_deferred deferred;
    napi_ref keep;  // the Int32Array: its memory must outlive the wait
    WaitResult result = WaitResult::Ok;
  };

  explicit AsyncWaiters(napi_env env) : env_(env) {
    napi_value name = MakeString(env, "sluice.waitAsync");
    Check(env, napi_create_threadsafe_function(env, nullptr, nullptr, name, 0, 1, nullptr, nullptr, this, Settle, &tsfn_));
    Check(env, napi_unref_threadsafe_function(env, tsfn_));
    Check(env, napi_add_env_cleanup_hook(env, Cleanup, this));
  }

  ~AsyncWaiters() { Shutdown(); }

  void Submit(Job* job) {
    Slot* slot = nullptr;
    {
      std::lock_guard<std::mutex> lk(mu_);
      if (!idle_.empty()) {
        slot = idle_.back();
        idle_.pop_back();
      }
    }
    if (slot == nullptr) {
      auto s = std::make_unique<Slot>();
      slot = s.get();
      s->thread = std::thread([this, slot] { Loop(*slot); });
      std::lock_guard<std::mutex> lk(mu_);
      slots_.push_back(std::move(s));
    }
    {
      std::lock_guard<std::mutex> lk(slot->m);
      slot->job = job;
    }
    slot->cv.notify_one();
  }

 private:
  struct Slot {
    std::thread thread;
    std::mutex m;
    std::condition_variable cv;
    Job* job = nullptr;
    bool quit = false;
    std::atomic<int32_t*> waitingOn{nullptr};
  };

  void Loop(Slot& slot) {
    for (;;) {
      Job* job;
      {
        std::unique_lock<std::mutex> lk(slot.m);
        slot.cv.wait(lk, [&] { return slot.job != nullptr || slot.quit; });
        if (slot.quit) return;
        job = slot.job;
        slot.job = nullptr;
      }
      slot.waitingOn.store(job->addr);
      for (;;) {
        if (shutdown_.load()) {
          job->result = WaitResult::TimedOut;
          break;
        }
        // Sleep in bounded slices so a shutdown is noticed even if its wake-up is missed.
        int64_t slice = 1000;
        if (job->deadline >= 0) {
          int64_t rem = job->deadline - MonotonicMs();
          if (rem <= 0) {
            job->result = WaitResult::TimedOut;
            break;
          }
          if (rem < slice) slice = rem;
        }
        WaitResult r = FutexWait(job->addr, job->expected, slice);
        if (r != WaitResult::TimedOut) {
          job->result = WaitResult::Ok;  // woken, or the word changed: the caller re-checks
          break;
        }
      }
      slot.waitingOn.store(nullptr);
      {
        std::lock_guard<std::mutex> lk(mu_);
        idle_.push_back(&slot);
      }
      if (napi_call_threadsafe_function(tsfn_, job, napi_tsfn_nonblocking) != napi_ok) {
        // The env is going away: the promise can no longer be settled; the env frees its handles.
        delete job;
      }
    }
  }

  static void Settle(napi_env env, napi_value, void*, void* data) {
    std::unique_ptr<Job> job(static_cast<Job*>(data));
    if (env == nullptr) return;  // tsfn torn down with this call queued
    napi_value v;
    if (napi_create_string_utf8(env, ResultName(job->result), NAPI_AUTO_LENGTH, &v) == napi_ok) {
      napi_resolve_deferred(env, job->deferred, v);
    }
    napi_delete_reference(env, job->keep);
  }

  static void Cleanup(void* arg) {
    auto* self = static_cast<AsyncWaiters*>(arg);
    self->cleaned_ = true;
    self->Shutdown();
  }

  void Shutdown() {
    if (down_) return;
    down_ = true;
    shutdown_.store(true);
    std::vector<Slot*> all;
    {
      std::lock_guard<std::mutex> lk(mu_);
      for (auto& s : slots_) all.push_back(s.get());
    }
    for (Slot* s : all) {
      {
        std::lock_guard<std::mutex> lk(s->m);
        s->quit = true;
      }
      s->cv.notify_one();
      if (int32_t* a = s->waitingOn.load()) FutexWake(a);  // spurious for anyone else: harmless
    }
    for (Slot* s : all) {
      if (s->thread.joinable()) s->thread.join();
    }
    napi_release_threadsafe_function(tsfn_, napi_tsfn_abort);
    if (!cleaned_) napi_remove_env_cleanup_hook(env_, Cleanup, this);
  }

  napi_env env_;
  napi_threadsafe_function tsfn_ = nullptr;
  std::mutex mu_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::vector<Slot*> idle_;
  std::atomic<bool> shutdown_{false};
  bool down_ = false;
  bool cleaned_ = false;
};

void DestroyWaiters(AsyncWaiters* w) { delete w; }

namespace {

napi_value Wait(napi_env env, napi_callback_info info) {
  Args a(env, info, 4);
  int32_t* word = WordOf(env, a[0], a[1]);
  int32_t expected = GetInt32(env, a[2], "expected");
  int64_t timeout = IsNullish(env, a[3]) ? -1 : GetTimeoutMs(env, a[3], "timeoutMs");
  WaitResult r;
  if (Load(word) != expected) {
    r = WaitResult::NotEqual;
  } else if (timeout == 0) {
    r = WaitResult::TimedOut;
  } else {
    // Sleep in slices of at most kSliceMs. Between slices, check that this thread may still run
    // JS: worker.terminate() cannot interrupt a futex (V8 can interrupt its own Atomics.wait), so
    // a task thread blocked in ring.read() would otherwise never exit. N-API calls that may run
    // JS fail once the env is stopping; coercing a boolean is the cheapest such call.
    constexpr int64_t kSliceMs = 100;
    napi_value probe;
    Check(env, napi_get_boolean(env, true, &probe));
    const int64_t deadline = timeout > 0 ? MonotonicMs() + timeout : -1;
    for (;;) {
      int64_t slice = kSliceMs;
      if (deadline >= 0) {
        const int64_t left = deadline - MonotonicMs();
        if (left <= 0) {
          r = WaitResult::TimedOut;
          break;
        }
        if (left < slice) slice = left;
      }
      r = FutexWait(word, expected, slice);
      if (r == WaitResult::NotEqual) r = WaitResult::Ok;  // changed while we were getting ready
      if (r == WaitResult::Ok) break;
      napi_value ignored;
      if (napi_coerce_to_bool(env, probe, &ignored) != napi_ok) {
        r = WaitResult::TimedOut;  // the thread is being terminated: return to JS at once
        break;
      }
    }
  }
  return MakeString(env, ResultName(r));
}

napi_value WaitAsync(napi_env env, napi_callback_info info) {
  Args a(env, info, 4);
  int32_t* word = WordOf(env, a[0], a[1]);
  int32_t expected = GetInt32(env, a[2], "expected");
  int64_t timeout = IsNullish(env, a[3]) ? -1 : GetTimeoutMs(env, a[3], "timeoutMs");
  if (Load(word) != expected) return MakeString(env, "not-equal");
  if (timeout == 0) return MakeString(env, "timed-out");
  AddonData* data = GetAddonData(env);
  if (data->waiters == nullptr) data->waiters = new AsyncWaiters(env);
  auto job = std::make_unique<AsyncWaiters::Job>();
  job->addr = word;
  job->expected = expected;
  job->deadline = timeout > 0 ? MonotonicMs() + timeout : -1;
  napi_value promise;
  Check(env, napi_create_promise(env, &job->deferred, &promise));
  Check(env, napi_create_reference(env, a[0], 1, &job->keep));
  data->waiters->Submit(job.release());
  return promise;
}

napi_value Notify(napi_env env, napi_callback_info info) {
  Args a(env, info, 2);
  int32_t* word = WordOf(env, a[0], a[1]);
  return MakeNumber(env, FutexWake(word));
}

}  // namespace

void InitWaker(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"wait", nullptr, Guard<Wait>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"waitAsync", nullptr, Guard<WaitAsync>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"notify", nullptr, Guard<Notify>, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  Check(env, napi_define_properties(env, exports, sizeof props / sizeof props[0], props));
}

}  // namespace sluice
