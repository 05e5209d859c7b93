#include "module/module_loader.h"

#include <dlfcn.h>

#include <filesystem>

namespace strest {

namespace {

std::string own_binary_path() {
  std::error_code error;
  const std::filesystem::path path = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::string() : path.string();
}

}  // namespace

std::vector<std::string> module_paths(const std::string& binary_path,
                                      const std::string& file_name) {
  const std::filesystem::path folder = std::filesystem::path(binary_path).parent_path();
  return {(folder / file_name).string(), (folder / ".." / "lib" / "strest" / file_name).string()};
}

Result<const void*> load_module(const std::string& file_name, const char* symbol, size_t layout) {
  return load_module_from(module_paths(own_binary_path(), file_name), symbol, layout);
}

Result<const void*> load_module_from(const std::vector<std::string>& paths, const char* symbol,
                                     size_t layout) {
  std::string tried;
  for (const std::string& path : paths) {
    std::error_code error;
    if (!std::filesystem::exists(path, error)) {
      tried += (tried.empty() ? "" : ", ") + path;
      continue;
    }
    // dlopen counts references: a second load returns the same handle. Never closed: the
    // module's threads and static objects live until exit.
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) return Error{"cannot load " + path + ": " + dlerror()};
    const auto* stamp = static_cast<const ModuleStamp*>(dlsym(handle, symbol));
    if (stamp == nullptr) return Error{path + " has no " + symbol};
    if (stamp->abi != kModuleAbi || std::string(stamp->version) != STREST_VERSION ||
        stamp->layout != layout) {
      return Error{path + " is from another build (version " + stamp->version + ")"};
    }
    return static_cast<const void*>(stamp);
  }
  const std::string name =
      paths.empty() ? "the module" : std::filesystem::path(paths[0]).filename().string();
  return Error{name + " not found (looked at " + tried + ")"};
}

std::string module_error(const std::string& needed_by, const std::string& why) {
  return needed_by + " needs the module built with this strest: " + why +
         "; rebuild with scripts/build, or copy the module next to the strest binary";
}

}  // namespace strest
