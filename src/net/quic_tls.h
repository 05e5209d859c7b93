#pragma once
// TLS 1.3 for QUIC with GnuTLS (the crypto backend Debian packages for ngtcp2): the credentials
// (trust store, client certificate) loaded once per process and shared by every connection with
// the same settings, and one client session per connection wired to ngtcp2_crypto_gnutls.
#include <gnutls/gnutls.h>
#include <ngtcp2/ngtcp2_crypto.h>

#include <memory>
#include <string>
#include <string_view>

#include "net/tls_client.h"

namespace strest {

class QuicTlsCredentials;

// The TLS side of one QUIC connection. Reused across reconnects: start() again.
class QuicTls {
 public:
  QuicTls() = default;
  ~QuicTls();
  QuicTls(const QuicTls&) = delete;
  QuicTls& operator=(const QuicTls&) = delete;

  // A fresh client session offering ALPN "h3", with SNI `server_name` (not sent for IP
  // literals) and, when settings.verify, the certificate checked against the system store (or
  // settings.ca_file) and `server_name`. `ref` is handed to ngtcp2_crypto through the session
  // pointer and must outlive the session. Returns "" or why it failed ("--cacert: ...").
  std::string start(const TlsSettings& settings, std::string_view server_name,
                    ngtcp2_crypto_conn_ref* ref);
  // Frees the session; the shared credentials stay loaded.
  void reset();
  gnutls_session_t get() const { return session_; }
  // Why the server's certificate was refused ("certificate verify failed: The certificate is
  // NOT trusted. ..."), or "" when it was not.
  std::string verify_failure() const;

 private:
  std::shared_ptr<const QuicTlsCredentials> credentials_;
  gnutls_session_t session_ = nullptr;
  std::string name_;  // the name verified; GnuTLS keeps a pointer to it
};

// Loads the credentials for `settings` into the process-wide cache: "" or an error naming the
// flag ("--cacert: cannot load 'ca.pem': ..."). Call before the run so that a bad file is
// reported up front; open() then only says kTlsHandshake.
std::string preload_quic_credentials(const TlsSettings& settings);

// "no_application_protocol" for a TLS alert number.
std::string tls_alert_name(uint8_t alert);

}  // namespace strest
