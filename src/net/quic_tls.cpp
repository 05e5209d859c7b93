#include "net/quic_tls.h"

#include <arpa/inet.h>
#include <ngtcp2/ngtcp2_crypto_gnutls.h>

#include <cctype>
#include <map>
#include <mutex>

namespace strest {

namespace {

// TLS 1.3 only, the AEADs and groups QUIC implementations offer; QUIC forbids the TLS 1.3
// middlebox compatibility mode.
constexpr const char* kPriority =
    "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+AES-128-GCM:+AES-256-GCM:+CHACHA20-POLY1305:"
    "+AES-128-CCM:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP256R1:+GROUP-SECP384R1:+GROUP-SECP521R1:"
    "%DISABLE_TLS13_COMPAT_MODE";

constexpr unsigned char kAlpnH3[] = {'h', '3'};

bool is_ip_literal(const std::string& host) {
  unsigned char address[sizeof(in6_addr)];
  return inet_pton(AF_INET, host.c_str(), address) == 1 ||
         inet_pton(AF_INET6, host.c_str(), address) == 1;
}

std::string gnutls_error(std::string_view what, int code) {
  return std::string(what) + ": " + gnutls_strerror(code);
}

}  // namespace

// One gnutls_certificate_credentials_t, read-only once loaded, so connections on several
// threads may share it.
class QuicTlsCredentials {
 public:
  QuicTlsCredentials() { gnutls_certificate_allocate_credentials(&credentials_); }
  ~QuicTlsCredentials() { gnutls_certificate_free_credentials(credentials_); }
  QuicTlsCredentials(const QuicTlsCredentials&) = delete;
  QuicTlsCredentials& operator=(const QuicTlsCredentials&) = delete;

  // Loads the trust store and the client certificate; returns "" or the error.
  std::string load(const TlsSettings& settings) {
    if (credentials_ == nullptr) return "gnutls_certificate_allocate_credentials failed";
    if (settings.verify) {
      if (settings.ca_file.empty()) {
        const int loaded = gnutls_certificate_set_x509_system_trust(credentials_);
        if (loaded < 0) return gnutls_error("system trust store", loaded);
      } else {
        const int loaded = gnutls_certificate_set_x509_trust_file(
            credentials_, settings.ca_file.c_str(), GNUTLS_X509_FMT_PEM);
        if (loaded < 0)
          return gnutls_error("--cacert: cannot load '" + settings.ca_file + "'", loaded);
        if (loaded == 0) return "--cacert: no certificate in '" + settings.ca_file + "'";
      }
    }
    if (!settings.cert_file.empty()) {
      const std::string& key = settings.key_file.empty() ? settings.cert_file : settings.key_file;
      const int rv = gnutls_certificate_set_x509_key_file(credentials_, settings.cert_file.c_str(),
                                                          key.c_str(), GNUTLS_X509_FMT_PEM);
      if (rv < 0) return gnutls_error("--cert: cannot load '" + settings.cert_file + "'", rv);
    }
    return "";
  }

  gnutls_certificate_credentials_t get() const { return credentials_; }

 private:
  gnutls_certificate_credentials_t credentials_ = nullptr;
};

namespace {

// The process-wide credentials for `settings`, loaded on first use: loading the system store
// takes milliseconds, too long to repeat for each of thousands of connections.
std::shared_ptr<const QuicTlsCredentials> shared_credentials(const TlsSettings& settings,
                                                             std::string& error) {
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<const QuicTlsCredentials>> cache;
  const std::string key = std::string(settings.verify ? "1" : "0") + '\n' + settings.ca_file +
                          '\n' + settings.cert_file + '\n' + settings.key_file;
  const std::lock_guard lock(mutex);
  if (auto found = cache[key].lock()) return found;
  auto credentials = std::make_shared<QuicTlsCredentials>();
  error = credentials->load(settings);
  if (!error.empty()) return nullptr;
  cache[key] = credentials;
  return credentials;
}

}  // namespace

std::string preload_quic_credentials(const TlsSettings& settings) {
  std::string error;
  shared_credentials(settings, error);
  return error;
}

QuicTls::~QuicTls() { reset(); }

void QuicTls::reset() {
  if (session_ != nullptr) gnutls_deinit(session_);
  session_ = nullptr;
}

std::string QuicTls::start(const TlsSettings& settings, std::string_view server_name,
                           ngtcp2_crypto_conn_ref* ref) {
  reset();
  std::string error;
  if (!credentials_) credentials_ = shared_credentials(settings, error);
  if (!credentials_) return error;
  int rv = gnutls_init(&session_, GNUTLS_CLIENT);
  if (rv != 0) {
    session_ = nullptr;
    return gnutls_error("gnutls_init", rv);
  }
  if ((rv = gnutls_priority_set_direct(session_, kPriority, nullptr)) != 0) {
    return gnutls_error("gnutls_priority_set_direct", rv);
  }
  if (ngtcp2_crypto_gnutls_configure_client_session(session_) != 0) {
    return "ngtcp2_crypto_gnutls_configure_client_session failed";
  }
  gnutls_session_set_ptr(session_, ref);
  if ((rv = gnutls_credentials_set(session_, GNUTLS_CRD_CERTIFICATE, credentials_->get())) != 0) {
    return gnutls_error("gnutls_credentials_set", rv);
  }
  gnutls_datum_t alpn{const_cast<unsigned char*>(kAlpnH3), sizeof(kAlpnH3)};
  if ((rv = gnutls_alpn_set_protocols(session_, &alpn, 1, GNUTLS_ALPN_MANDATORY)) != 0) {
    return gnutls_error("gnutls_alpn_set_protocols", rv);
  }
  name_ = server_name;
  if (!name_.empty() && !is_ip_literal(name_)) {
    rv = gnutls_server_name_set(session_, GNUTLS_NAME_DNS, name_.data(), name_.size());
    if (rv != 0) return gnutls_error("gnutls_server_name_set", rv);
  }
  // The host name (or IP address, matched against IP SANs) is checked during the handshake,
  // which then fails with GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR. GnuTLS keeps the pointer.
  if (settings.verify) {
    gnutls_session_set_verify_cert(session_, name_.empty() ? nullptr : name_.c_str(), 0);
  }
  return "";
}

std::string QuicTls::verify_failure() const {
  if (session_ == nullptr) return "";
  // 0: verified; all ones: not verified (yet).
  const unsigned status = gnutls_session_get_verify_cert_status(session_);
  if (status == 0 || status == ~0u) return "";
  gnutls_datum_t text{};
  if (gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &text, 0) < 0) {
    return "certificate verify failed";
  }
  std::string detail = "certificate verify failed: ";
  detail.append(reinterpret_cast<const char*>(text.data), text.size);
  while (!detail.empty() && (detail.back() == ' ' || detail.back() == '\0')) detail.pop_back();
  gnutls_free(text.data);
  return detail;
}

std::string tls_alert_name(uint8_t alert) {
  // "GNUTLS_A_NO_APPLICATION_PROTOCOL" -> "no_application_protocol", as RFC 8446 names it.
  const char* name = gnutls_alert_get_strname(static_cast<gnutls_alert_description_t>(alert));
  if (name == nullptr) return "unknown (" + std::to_string(alert) + ")";
  std::string text(name);
  if (text.rfind("GNUTLS_A_", 0) == 0) text.erase(0, 9);
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace strest
