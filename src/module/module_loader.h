#pragma once
// Optional parts of strest built as shared modules next to the binary and loaded only when a
// run needs them, so a plain load test never maps their libraries (resident memory, start-up):
// libstrest_dist.so (gRPC controller/agent) and libstrest_http3.so (QUIC over GnuTLS). Each
// module exports one table that starts with a ModuleStamp.
#include <cstddef>
#include <string>
#include <vector>

#include "plan/result.h"

namespace strest {

// Bumped when what crosses a module boundary changes meaning.
inline constexpr int kModuleAbi = 1;

// The first member of every module's table: the loader refuses a module from another build.
struct ModuleStamp {
  int abi;              // kModuleAbi of the module's build
  const char* version;  // STREST_VERSION of the module's build
  size_t layout;        // sizeof the types the table's functions take, in the module's build
};

// Where `file_name` is looked for, in order: next to the binary at `binary_path` (the build
// folder), then in ../lib/strest/ beside it (an install into a prefix).
std::vector<std::string> module_paths(const std::string& binary_path, const std::string& file_name);

// Loads `file_name` from the first of module_paths() that exists (once per process; it stays
// loaded) and returns its table `symbol`, checked against `layout`; or why not, in words
// ("libstrest_http3.so not found (looked at ...)").
Result<const void*> load_module(const std::string& file_name, const char* symbol, size_t layout);
// The same from the first of `paths` that exists.
Result<const void*> load_module_from(const std::vector<std::string>& paths, const char* symbol,
                                     size_t layout);

// The one-line error for a module that did not load: names what needed it and the fix.
std::string module_error(const std::string& needed_by, const std::string& why);

}  // namespace strest
