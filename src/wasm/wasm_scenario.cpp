// --script FILE.wasm: checks the module against the sandbox rules before anything runs, then
// really executes scenario_ptr() and scenario_len() in wabt's interpreter with an instruction
// budget, and copies the UTF-8 JSON they point at out of the exported memory.
// C++17 (the wabt headers need it); the header is plain C++ for the C++20 code.
#include "wasm/wasm_scenario.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <vector>

#include "wabt/binary-reader.h"
#include "wabt/error.h"
#include "wabt/feature.h"
#include "wabt/interp/binary-reader-interp.h"
#include "wabt/interp/interp.h"
#include "wabt/utf8.h"

namespace strest {
namespace {

namespace interp = wabt::interp;

constexpr std::uint64_t kMaxModuleBytes = 4 * 1024 * 1024;
constexpr std::int64_t kMaxPayloadBytes = 1024 * 1024;
constexpr std::uint64_t kMaxMemoryPages = 128;
// Per exported function; the interpreter runs roughly 10 to 50 million instructions a second.
constexpr std::int64_t kInstructionBudget = 10'000'000;
constexpr int kInstructionsPerSlice = 10'000;

// wabt's public API runs a call to completion (Func::Call); a budget needs the thread's own
// PushValues/PushCall/PopValues, which are private. The explicit instantiation below is the
// standard way to name a private member (access is not checked there); the signatures are
// those of wabt 1.0.32's interp.h, so a changed wabt fails to compile rather than misbehave.
template <typename Tag, typename Tag::type Member>
struct PrivateMember {
  friend typename Tag::type get(Tag) { return Member; }
};
struct PushValuesTag {
  using type = void (interp::Thread::*)(const interp::ValueTypes&, const interp::Values&);
  friend type get(PushValuesTag);
};
struct PushCallTag {
  using type = interp::RunResult (interp::Thread::*)(const interp::DefinedFunc&,
                                                     interp::Trap::Ptr*);
  friend type get(PushCallTag);
};
struct PopValuesTag {
  using type = void (interp::Thread::*)(const interp::ValueTypes&, interp::Values*);
  friend type get(PopValuesTag);
};
template struct PrivateMember<PushValuesTag, &interp::Thread::PushValues>;
template struct PrivateMember<PushCallTag, &interp::Thread::PushCall>;
template struct PrivateMember<PopValuesTag, &interp::Thread::PopValues>;

Error fail(const std::string& path, const std::string& text) {
  return Error{"--script " + path + ": " + text};
}

// The first of wabt's messages, on one line.
std::string one_line(const wabt::Errors& errors) {
  if (errors.empty()) return "unknown error";
  std::string text = errors.front().message;
  std::replace(text.begin(), text.end(), '\n', ' ');
  if (errors.front().loc.offset != wabt::kInvalidOffset) {
    text += " (at byte " + std::to_string(errors.front().loc.offset) + ")";
  }
  return text;
}

std::string type_name(wabt::Type type) { return type.GetName(); }

std::string signature(const interp::FuncType& type) {
  auto list = [](const interp::ValueTypes& types) {
    std::string text = "(";
    for (size_t i = 0; i < types.size(); ++i) text += (i ? ", " : "") + type_name(types[i]);
    return text + ")";
  };
  return list(type.params) + " -> " + list(type.results);
}

// Reads the whole file, refusing more than the module limit.
Result<std::vector<uint8_t>> read_module(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(path,
                std::string("cannot read the file (") + std::strerror(errno) + "); check the path");
  }
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  if (size < 0) return fail(path, "cannot read the file; check that it is a regular file");
  if (static_cast<std::uint64_t>(size) > kMaxModuleBytes) {
    return fail(path, "the module is " + std::to_string(size) +
                          " bytes, over the 4 MB limit; make the module smaller");
  }
  in.seekg(0, std::ios::beg);
  std::vector<uint8_t> bytes(static_cast<size_t>(size));
  if (!in.read(reinterpret_cast<char*>(bytes.data()), size)) {
    return fail(path, "cannot read the file; check that it is readable");
  }
  return bytes;
}

// The exported memory's limits and the two function signatures: the rules that need no run.
Status check_exports(const std::string& path, const interp::ModuleDesc& desc,
                     const std::vector<interp::ExportType>& exports) {
  if (!desc.imports.empty()) {
    const auto& import = desc.imports.front().type;
    return fail(path, "imports are not allowed: module imports " + import.module + "." +
                          import.name + "; remove it (the script runs with no host functions)");
  }
  if (!desc.starts.empty()) {
    return fail(path,
                "a start function is not allowed; build the scenario in scenario_ptr instead");
  }
  auto find = [&](const char* name) -> const interp::ExportType* {
    for (const auto& e : exports) {
      if (e.name == name) return &e;
    }
    return nullptr;
  };
  const interp::ExportType* memory = find("memory");
  if (!memory || memory->type->kind != interp::ExternKind::Memory) {
    return fail(path, "no exported memory; export the module's memory as \"memory\"");
  }
  const wabt::Limits& limits = wabt::cast<interp::MemoryType>(memory->type.get())->limits;
  if (limits.is_64) {
    return fail(path, "memory64 is not allowed; declare a 32-bit memory (without i64)");
  }
  if (limits.is_shared) {
    return fail(path, "shared memory is not allowed; remove `shared` from the memory");
  }
  if (!limits.has_max) {
    return fail(path,
                "the memory declares no maximum; declare one of at most 128 pages, e.g. "
                "(memory (export \"memory\") 1 1)");
  }
  if (limits.max > kMaxMemoryPages) {
    return fail(path, "the memory's maximum is " + std::to_string(limits.max) +
                          " pages, over the 128-page (8 MB) limit; declare at most 128");
  }
  for (const char* name : {"scenario_ptr", "scenario_len"}) {
    const interp::ExportType* func = find(name);
    if (!func || func->type->kind != interp::ExternKind::Func) {
      return fail(path, std::string("missing export ") + name + "; export a function " + name +
                            "() -> i32");
    }
    const auto* type = wabt::cast<interp::FuncType>(func->type.get());
    if (!type->params.empty() || type->results.size() != 1 || type->results[0] != wabt::Type::I32) {
      return fail(path, std::string(name) + " has the signature " + signature(*type) +
                            "; it must be () -> i32");
    }
  }
  return Ok{};
}

// Runs an exported () -> i32 function under the instruction budget.
Result<int32_t> call_i32(const std::string& path, interp::Store& store, interp::Ref ref,
                         const std::string& name) {
  interp::DefinedFunc::Ptr func = store.UnsafeGet<interp::DefinedFunc>(ref);
  interp::Thread thread(store);
  interp::Trap::Ptr trap;
  const interp::ValueTypes& params = func->type().params;
  (thread.*get(PushValuesTag{}))(params, interp::Values{});
  interp::RunResult result = (thread.*get(PushCallTag{}))(*func, &trap);
  std::int64_t left = kInstructionBudget;
  while (result == interp::RunResult::Ok) {
    if (left <= 0) {
      return fail(path, name + " did not return within " + std::to_string(kInstructionBudget) +
                            " instructions (an endless loop?); make it return a constant");
    }
    int slice = static_cast<int>(std::min<std::int64_t>(left, kInstructionsPerSlice));
    result = thread.Run(slice, &trap);
    left -= slice;
  }
  if (result == interp::RunResult::Trap) {
    std::string message = trap ? trap->message() : "unknown trap";
    return fail(path, name + " trapped: " + message + "; fix the module so that it returns");
  }
  if (result == interp::RunResult::Exception) {
    return fail(path, name + " threw an uncaught exception; make it return a value");
  }
  interp::Values results;
  (thread.*get(PopValuesTag{}))(func->type().results, &results);
  return static_cast<int32_t>(results.at(0).Get<uint32_t>());
}

Result<std::string> load(const std::string& path) {
  auto bytes = read_module(path);
  if (!bytes) return Error{bytes.error()};

  // memory64 and threads are read so that their modules get the clear errors below rather
  // than a parse error; the other features keep wabt's defaults (the MVP plus the finished
  // proposals).
  wabt::Features features;
  features.enable_memory64();
  features.enable_threads();
  wabt::ReadBinaryOptions options(features, nullptr, false, true, true);
  wabt::Errors errors;
  interp::ModuleDesc desc;
  if (wabt::Failed(
          interp::ReadBinaryInterp(path, bytes->data(), bytes->size(), options, &errors, &desc))) {
    return fail(path, "not a valid WebAssembly module: " + one_line(errors) +
                          "; compile it with wat2wasm or a wasm32 toolchain");
  }

  interp::Store store(features);
  interp::Module::Ptr module = interp::Module::New(store, std::move(desc));
  if (Status checked = check_exports(path, module->desc(), module->export_types()); !checked) {
    return Error{checked.error()};
  }

  interp::Trap::Ptr trap;
  interp::Instance::Ptr instance =
      interp::Instance::Instantiate(store, module.ref(), interp::RefVec{}, &trap);
  if (!instance) {
    std::string message = trap ? trap->message() : "unknown error";
    return fail(path, "the module failed to start: " + message +
                          "; check its data segments fit the memory");
  }
  auto exported = [&](const char* name) {
    const auto& types = module->export_types();
    for (size_t i = 0; i < types.size(); ++i) {
      if (types[i].name == name) return instance->exports()[i];
    }
    return interp::Ref::Null;
  };

  auto ptr = call_i32(path, store, exported("scenario_ptr"), "scenario_ptr");
  if (!ptr) return Error{ptr.error()};
  auto len = call_i32(path, store, exported("scenario_len"), "scenario_len");
  if (!len) return Error{len.error()};
  if (*len < 0 || *len > kMaxPayloadBytes) {
    return fail(path, "scenario_len returned " + std::to_string(*len) +
                          "; the payload must be 0 to 1048576 bytes (1 MB)");
  }

  interp::Memory::Ptr memory = store.UnsafeGet<interp::Memory>(exported("memory"));
  // Wasm addresses are unsigned: a negative i32 is an address above 2 GB.
  std::uint64_t start = static_cast<uint32_t>(*ptr);
  std::uint64_t end = start + static_cast<std::uint64_t>(*len);
  if (end > memory->ByteSize()) {
    return fail(path, "the payload [" + std::to_string(start) + ", " + std::to_string(end) +
                          ") lies outside the memory of " + std::to_string(memory->ByteSize()) +
                          " bytes; return a pointer and length inside it");
  }
  std::string json(reinterpret_cast<const char*>(memory->UnsafeData()) + start,
                   static_cast<size_t>(*len));
  if (!wabt::IsValidUtf8(json.data(), json.size())) {
    return fail(path, "the payload is not valid UTF-8; encode the scenario JSON as UTF-8");
  }
  return json;
}

}  // namespace

Result<std::string> scenario_json_from_wasm(const std::string& path) {
  try {
    return load(path);
  } catch (const std::exception& e) {
    return fail(path, std::string("the interpreter failed: ") + e.what());
  }
}

}  // namespace strest
