#pragma once
// --script FILE.wasm: a WebAssembly module that generates a scenario. The module is loaded and
// really executed with wabt's interpreter (its own C++17 target, see src/wasm/CMakeLists.txt)
// under the sandbox rules of docs/scenarios.md: no imports, an exported memory that declares a
// maximum of at most 128 pages, no memory64 and no shared memory, a module of at most 4 MB, a
// payload of at most 1 MB, and an instruction budget for each exported function.
// This header is plain C++ so that the C++20 code can include it.
#include <string>

#include "plan/result.h"

namespace strest {

// Runs the module's scenario_ptr() and scenario_len() and returns the UTF-8 JSON they point at
// in the exported `memory`. Each error is one line naming the file, the rule broken and the fix.
Result<std::string> scenario_json_from_wasm(const std::string& path);

}  // namespace strest
