// Per-env state of the addon (one per main thread / worker thread that loads it). The addon keeps
// no static JS state: everything JS-related hangs off this instance data, so it loads in any
// number of worker threads (NAPI_MODULE_INIT, napi_set_instance_data).
#pragma once

#include <node_api.h>

namespace sluice {

class AsyncWaiters;

struct AddonData {
  AsyncWaiters* waiters = nullptr;  // created on the first waitAsync()
};

AddonData* GetAddonData(napi_env env);

void InitWaker(napi_env env, napi_value exports);
void InitJsonScan(napi_env env, napi_value exports);
void InitJsonPrint(napi_env env, napi_value exports);
void InitConsumer(napi_env env, napi_value exports);
void InitProducer(napi_env env, napi_value exports);
void DestroyWaiters(AsyncWaiters* w);

}  // namespace sluice
