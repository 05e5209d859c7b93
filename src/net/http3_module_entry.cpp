// The table libstrest_http3.so exports (net/http3_module.h).
#include "net/http3_module.h"
#include "net/http3_session.h"
#include "net/quic_tls.h"

extern "C" {
// Looked up by name (kHttp3ModuleSymbol) with dlsym.
extern const strest::Http3Module strest_http3_module;
const strest::Http3Module strest_http3_module = {
    {strest::kModuleAbi, STREST_VERSION, strest::kHttp3ModuleLayout},
    &strest::make_http3_session,
    &strest::preload_quic_credentials,
};
}
