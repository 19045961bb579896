// ThreadedHandle: what the native consumer and producer have in common — a JS object backed by a
// C++ object that runs its own std::thread, keeps JS memory (the rings' SharedArrayBuffers) alive
// while that thread uses it, and tells JS when the thread has ended.
//
// Lifetimes, all decided on the JS thread:
//  * The C++ object has two owners: the JS wrapper (napi_wrap finalizer) and the thread-safe
//    function used to report the thread's end (its finalizer). It is deleted when both are gone.
//  * The thread never owns the object; it is always joined before either owner lets go: by
//    close()/closeSync(), by the "thread ended" callback, by the wrapper's finalizer, or by the env
//    cleanup hook when a worker thread (or the process) exits without close().
//  * napi_refs to the rings are deleted only after the join, so the shared memory outlives every
//    native access to it.
//  * The thread-safe function is referenced while the thread runs: an open consumer or producer
//    keeps the event loop alive, like a socket, until it is closed.
#pragma once

#include <node_api.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "common.h"

namespace sluice {

class ThreadedHandle {
 public:
  ThreadedHandle() = default;
  ThreadedHandle(const ThreadedHandle&) = delete;
  ThreadedHandle& operator=(const ThreadedHandle&) = delete;
  virtual ~ThreadedHandle() = default;

  /** Wraps `self` (the JS object under construction) and becomes its native half. */
  void Wrap(napi_env env, napi_value self);
  /** Keeps `value` (a view of a SharedArrayBuffer) alive until the thread has been joined. */
  void Keep(napi_env env, napi_value value);
  /** Starts the thread (call last in the constructor). */
  void Start(napi_env env, const char* name);

  /** Ask the thread to finish; the returned promise resolves once it has ended and been joined. */
  napi_value Close(napi_env env);
  /** The same, blocking the calling thread until the native thread has ended. */
  void CloseSync(napi_env env);

  bool threadEnded() const { return threadEnded_.load(); }

  /** The C++ object behind a JS `this`. */
  template <class T>
  static T* Unwrap(napi_env env, napi_value self);

 protected:
  /** The thread body. */
  virtual void Run() = 0;
  /** Any thread: set the stop flag and interrupt every sleep of the thread. Idempotent. */
  virtual void RequestStop() = 0;
  /**
   * The JS side is gone without close() (finalizer, worker exit): stop soon. The producer bounds
   * its flush here, so a terminated worker does not wait out a long flush timeout.
   */
  virtual void Abandon() { RequestStop(); }

  std::atomic<bool> stop_{false};

 private:
  static void OnThreadEnded(napi_env env, napi_value jsCallback, void* context, void* data);
  static void OnTsfnFinalize(napi_env env, void* data, void* hint);
  static void OnWrapperFinalize(napi_env env, void* data, void* hint);
  static void OnEnvCleanup(void* arg);
  /** JS thread: join the thread, let go of JS memory and the tsfn, settle close() promises. */
  void Finish(napi_env env);
  /** JS thread: RequestStop() / Abandon(), unless the thread has already been joined. */
  void Stop(bool abandon);
  void Unown();

  napi_env env_ = nullptr;
  std::thread thread_;
  std::atomic<bool> threadEnded_{false};
  napi_threadsafe_function tsfn_ = nullptr;
  std::vector<napi_ref> refs_;
  std::vector<napi_deferred> closeWaiters_;
  bool finished_ = false;
  bool hookInstalled_ = false;
  int owners_ = 0;  // JS thread only
};

template <class T>
T* ThreadedHandle::Unwrap(napi_env env, napi_value self) {
  void* p = nullptr;
  if (napi_unwrap(env, self, &p) != napi_ok || p == nullptr) {
    throw JsTypeError("method called on an object that is not a native handle");
  }
  return static_cast<T*>(static_cast<ThreadedHandle*>(p));
}

}  // namespace sluice
