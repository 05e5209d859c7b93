#include "cli/distributed_module.h"

#include <iostream>

#include "plan/exit_codes.h"

namespace strest {

int run_distributed_module(const Plan& plan) {
  auto loaded = load_module(kDistModuleFile, kDistModuleSymbol, sizeof(Plan));
  if (!loaded) {
    std::cerr << "strest: error: " << module_error("distributed mode", loaded.error()) << "\n";
    return kExitUsage;
  }
  return static_cast<const DistModule*>(*loaded)->run(plan);
}

}  // namespace strest
