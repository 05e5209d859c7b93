#include "net/http3_module.h"

namespace strest {

Result<const Http3Module*> http3_module() {
  static const Result<const Http3Module*> loaded = []() -> Result<const Http3Module*> {
    auto module = load_module(kHttp3ModuleFile, kHttp3ModuleSymbol, kHttp3ModuleLayout);
    if (!module) return Error{module_error("--http3", module.error())};
    return static_cast<const Http3Module*>(*module);
  }();
  return loaded;
}

}  // namespace strest
