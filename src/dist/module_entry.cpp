// The table libstrest_dist.so exports (cli/distributed_module.h).
#include "cli/distributed_module.h"
#include "dist/dist_commands.h"

extern "C" {
// Looked up by name (kDistModuleSymbol) with dlsym.
extern const strest::DistModule strest_dist_module;
const strest::DistModule strest_dist_module = {
    {strest::kModuleAbi, STREST_VERSION, sizeof(strest::Plan)},
    &strest::run_distributed_command,
};
}
