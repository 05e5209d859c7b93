#pragma once
// Turns the Plan into the run's TransportConfig, once, before any worker starts: resolves where
// to connect (target, proxy or Unix socket), loads certificates into the TLS context, picks
// the ALPN list and builds the requests in every form the protocols need.
#include "net/transport_config.h"
#include "plan/plan.h"
#include "plan/result.h"

namespace strest {

// Errors name the flag and the fix (an unresolvable proxy host, an unreadable --cacert, a Unix
// socket path too long).
Result<TransportConfig> build_transport(const Plan& plan);

// The TLS settings of an https:// plan (verification, files, versions, ALPN, server name).
TlsSettings tls_settings_for(const Plan& plan);

// Loads the certificate and key files the plan names, so that a missing or bad --cacert,
// --cert or --key is bad input (exit 2) found before anything is sent.
Status check_tls_credentials(const Plan& plan);

// The ALPN protocols offered: --alpn as given, else h3 for HTTP/3, h2 and http/1.1 for
// --http2, http/1.1 otherwise.
std::vector<std::string> alpn_for(const TransportPlan& transport);

}  // namespace strest
