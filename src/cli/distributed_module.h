#pragma once
// A controller or an agent runs through libstrest_dist.so, loaded only when a plan is
// distributed: the distributed side (gRPC, protobuf, cpp-httplib and what they pull in, about
// 11 MB resident once mapped) stays out of every plain load test. dist/module_entry.cpp
// defines the module's table.
#include "module/module_loader.h"
#include "plan/plan.h"

namespace strest {

struct DistModule {
  ModuleStamp stamp;             // layout: sizeof(Plan)
  int (*run)(const Plan& plan);  // dist/dist_commands.h run_distributed_command
};

inline constexpr const char* kDistModuleFile = "libstrest_dist.so";
inline constexpr const char* kDistModuleSymbol = "strest_dist_module";

// Loads the module and runs plan.distributed's role; returns the process exit code. A module
// that is missing or from another build is a one-line error and exit 2.
int run_distributed_module(const Plan& plan);

}  // namespace strest
