#pragma once
// HTTP/3 lives in libstrest_http3.so (the http3_session and quic_* files, with ngtcp2, nghttp3
// and GnuTLS), loaded the first time a run asks for --http3: GnuTLS and p11-kit initialise
// themselves when mapped, which costs every other run about 2 MB resident and start-up time.
#include <cstdint>
#include <memory>
#include <string>

#include "module/module_loader.h"
#include "net/session.h"
#include "net/tls_client.h"
#include "net/transport_config.h"
#include "plan/result.h"

namespace strest {

struct Http3Module {
  ModuleStamp stamp;  // layout: kHttp3ModuleLayout
  // net/http3_session.h make_http3_session
  std::unique_ptr<Session> (*make_session)(const SessionContext& context, uint32_t connection);
  // net/quic_tls.h preload_quic_credentials
  std::string (*preload_credentials)(const TlsSettings& settings);
};

inline constexpr const char* kHttp3ModuleFile = "libstrest_http3.so";
inline constexpr const char* kHttp3ModuleSymbol = "strest_http3_module";
// The sizes of what crosses the boundary, computed at compile time on each side.
inline constexpr size_t kHttp3ModuleLayout =
    sizeof(SessionContext) + sizeof(TransportConfig) + sizeof(TlsSettings);

// The module, loaded on the first call (thread-safe); the error says what is missing and the fix.
Result<const Http3Module*> http3_module();

}  // namespace strest
