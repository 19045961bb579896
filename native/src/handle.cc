#include "common.h"
#include "handle.h"

#include <pthread.h>

namespace sluice {

void ThreadedHandle::Wrap(napi_env env, napi_value self) {
  env_ = env;
  Check(env, napi_wrap(env, self, this, OnWrapperFinalize, nullptr, nullptr));
  owners_++;
}

void ThreadedHandle::Keep(napi_env env, napi_value value) {
  napi_ref ref;
  Check(env, napi_create_reference(env, value, 1, &ref));
  refs_.push_back(ref);
}

void ThreadedHandle::Start(napi_env env, const char* name) {
  napi_value resource;
  Check(env, napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &resource));
  Check(env, napi_create_threadsafe_function(env, nullptr, nullptr, resource, 0, 1, this, OnTsfnFinalize, this,
                                             OnThreadEnded, &tsfn_));
  owners_++;
  Check(env, napi_add_env_cleanup_hook(env, OnEnvCleanup, this));
  hookInstalled_ = true;
  std::string threadName(name);
  thread_ = std::thread([this, threadName] {
    // Visible in top -H / perf; Linux limits names to 15 bytes.
    pthread_setname_np(pthread_self(), threadName.substr(0, 15).c_str());
    Run();
    threadEnded_.store(true);
    // Tell JS; if the tsfn is already being released (closeSync, env teardown) this is a no-op.
    napi_call_threadsafe_function(tsfn_, nullptr, napi_tsfn_nonblocking);
  });
}

napi_value ThreadedHandle::Close(napi_env env) {
  napi_deferred deferred;
  napi_value promise;
  Check(env, napi_create_promise(env, &deferred, &promise));
  if (finished_) {
    napi_resolve_deferred(env, deferred, Undefined(env));
    return promise;
  }
  closeWaiters_.push_back(deferred);
  Stop(false);
  return promise;
}

void ThreadedHandle::CloseSync(napi_env env) {
  Stop(false);
  Finish(env);
}

void ThreadedHandle::Stop(bool abandon) {
  // Once Finish() has run the rings' memory may already be gone (their refs are released):
  // RequestStop() touches it to interrupt sleeps, and there is no thread left to interrupt.
  if (finished_) return;
  if (abandon) Abandon();
  else RequestStop();
}

void ThreadedHandle::Finish(napi_env env) {
  if (finished_) return;
  finished_ = true;
  if (thread_.joinable()) thread_.join();
  for (napi_ref r : refs_) napi_delete_reference(env, r);
  refs_.clear();
  if (hookInstalled_) {
    napi_remove_env_cleanup_hook(env, OnEnvCleanup, this);
    hookInstalled_ = false;
  }
  if (tsfn_ != nullptr) {
    napi_release_threadsafe_function(tsfn_, napi_tsfn_release);  // its finalizer drops an owner
  }
  for (napi_deferred d : closeWaiters_) napi_resolve_deferred(env, d, Undefined(env));
  closeWaiters_.clear();
}

void ThreadedHandle::Unown() {
  if (--owners_ == 0) delete this;
}

void ThreadedHandle::OnThreadEnded(napi_env env, napi_value, void* context, void*) {
  // env is null when the tsfn is torn down with calls still queued (env teardown): nothing to do,
  // the cleanup hook has joined the thread already.
  if (env == nullptr) return;
  static_cast<ThreadedHandle*>(context)->Finish(env);
}

void ThreadedHandle::OnTsfnFinalize(napi_env, void* data, void*) {
  static_cast<ThreadedHandle*>(data)->Unown();
}

void ThreadedHandle::OnWrapperFinalize(napi_env env, void* data, void*) {
  auto* self = static_cast<ThreadedHandle*>(data);
  // The JS object is gone while the thread may still run (close() was never called): stop it.
  self->Stop(true);
  self->Finish(env);
  self->Unown();
}

void ThreadedHandle::OnEnvCleanup(void* arg) {
  // The env (a worker thread, or the main thread at exit) is going away: stop and join now, while
  // the rings' memory is still alive. Hooks run before the env's finalizers.
  auto* self = static_cast<ThreadedHandle*>(arg);
  self->hookInstalled_ = false;  // hooks are removed once they have run
  self->Stop(true);
  self->Finish(self->env_);
}

}  // namespace sluice
