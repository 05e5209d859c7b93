#include "net/tls_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <system_error>
#include <utility>

namespace strest {
namespace {

using ContextPtr = std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)>;

constexpr const char* kClosedInHandshake = "connection closed during TLS handshake";

// errno in words, lower-case like OpenSSL's reasons: "no such file or directory".
std::string errno_words(int error) {
  std::string words = std::generic_category().message(error);
  if (!words.empty())
    words[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(words[0])));
  return words;
}

// OpenSSL's reason for one queued error code: "tlsv1 alert protocol version".
std::string reason_words(unsigned long code) {
  if (code == 0) return "TLS error (OpenSSL gave no reason)";
  if (const char* reason = ERR_reason_error_string(code)) return reason;
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

// "--cacert: cannot load 'x.pem': no such file or directory". `fallback` says what is wrong
// when the file can be read but OpenSSL found nothing usable in it.
Error load_error(const char* flag, const std::string& path, const char* fallback) {
  const std::string why = access(path.c_str(), R_OK) != 0 ? errno_words(errno) : fallback;
  ERR_clear_error();
  return Error{std::string(flag) + ": cannot load '" + path + "': " + why};
}

Status configure_verification(SSL_CTX* ctx, const TlsSettings& settings) {
  // A given --cacert is loaded even with --insecure, so a wrong path is still reported.
  if (!settings.ca_file.empty()) {
    if (SSL_CTX_load_verify_locations(ctx, settings.ca_file.c_str(), nullptr) != 1) {
      return load_error("--cacert", settings.ca_file, "no certificates in it (expected PEM)");
    }
  } else if (settings.verify && SSL_CTX_set_default_verify_paths(ctx) != 1) {
    ERR_clear_error();
    return Error{"TLS: cannot load the system certificate store (use --cacert or --insecure)"};
  }
  SSL_CTX_set_verify(ctx, settings.verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nullptr);
  return Ok{};
}

Status configure_client_certificate(SSL_CTX* ctx, const TlsSettings& settings) {
  const bool has_cert = !settings.cert_file.empty();
  const bool has_key = !settings.key_file.empty();
  if (!has_cert && !has_key) return Ok{};
  if (!has_key) return Error{"--cert needs --key (the client certificate's private key)"};
  if (!has_cert) return Error{"--key needs --cert (the client certificate)"};
  // No passphrase prompt: an encrypted key fails to load instead of blocking on the terminal.
  SSL_CTX_set_default_passwd_cb(ctx, [](char*, int, int, void*) { return 0; });
  // Key first: a certificate loaded after a key that does not match it drops the key, and the
  // check below then names the mismatch (the other order fails inside the key load instead).
  if (SSL_CTX_use_PrivateKey_file(ctx, settings.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return load_error("--key", settings.key_file,
                      "no private key in it (expected PEM, without a passphrase)");
  }
  if (SSL_CTX_use_certificate_chain_file(ctx, settings.cert_file.c_str()) != 1) {
    return load_error("--cert", settings.cert_file, "no certificate in it (expected PEM)");
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    ERR_clear_error();
    return Error{"--key: '" + settings.key_file + "' does not match the certificate in --cert '" +
                 settings.cert_file + "'"};
  }
  return Ok{};
}

Status configure_versions(SSL_CTX* ctx, const TlsSettings& settings) {
  if (SSL_CTX_set_min_proto_version(ctx, settings.min_version) != 1) {
    ERR_clear_error();
    return Error{"--tls-min: unsupported TLS version " + std::to_string(settings.min_version)};
  }
  if (SSL_CTX_set_max_proto_version(ctx, settings.max_version) != 1) {
    ERR_clear_error();
    return Error{"--tls-max: unsupported TLS version " + std::to_string(settings.max_version)};
  }
  return Ok{};
}

// ALPN in wire format: each name prefixed by its length byte.
Status configure_alpn(SSL_CTX* ctx, const TlsSettings& settings) {
  std::string wire;
  for (const std::string& name : settings.alpn) {
    if (name.empty() || name.size() > 255) {
      return Error{"--alpn: protocol names must be 1 to 255 bytes long, got '" + name + "'"};
    }
    wire += static_cast<char>(name.size());
    wire += name;
  }
  if (wire.empty()) return Ok{};
  // Unlike most of OpenSSL, 0 means success here.
  if (SSL_CTX_set_alpn_protos(ctx, reinterpret_cast<const unsigned char*>(wire.data()),
                              static_cast<unsigned>(wire.size())) != 0) {
    ERR_clear_error();
    return Error{"--alpn: OpenSSL rejected the protocol list"};
  }
  return Ok{};
}

void configure_connections(SSL_CTX* ctx) {
  // Writes may return after part of a large buffer, and a retry may pass it moved (the
  // caller's buffer can grow). Buffers are kept between reads for speed.
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_CTX_clear_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
  // Read ahead: one read() takes all the socket holds (up to the record buffer) instead of a
  // record's 5-byte header and then its body, two system calls per record.
  SSL_CTX_set_read_ahead(ctx, 1);
  // Each TlsStream keeps its own session, so the shared context stores none (no lock per
  // handshake) and never flushes. Client mode makes TLS 1.3 tickets single use, as RFC 8446
  // advises: a resumed connection resumes the next one with the ticket it reads.
  SSL_CTX_set_session_cache_mode(
      ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE | SSL_SESS_CACHE_NO_AUTO_CLEAR);
  // Many servers close without close_notify; HTTP framing detects truncated responses, so an
  // EOF is an orderly close (kClosed) rather than "unexpected eof while reading".
  SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
}

// "127.0.0.1", "::1" or "[::1]": IP literals get no SNI and are checked against IP SANs.
bool is_ip_literal(std::string_view host, std::string& bare) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  bare.assign(host);
  in6_addr address;
  return inet_pton(AF_INET, bare.c_str(), &address) == 1 ||
         inet_pton(AF_INET6, bare.c_str(), &address) == 1;
}

// SNI and the name the certificate must carry.
bool name_peer(SSL* ssl, const TlsSettings& settings) {
  if (settings.server_name.empty()) return true;
  std::string bare;
  if (is_ip_literal(settings.server_name, bare)) {
    return !settings.verify ||
           X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), bare.c_str()) == 1;
  }
  if (SSL_set_tlsext_host_name(ssl, bare.c_str()) != 1) return false;
  if (!settings.verify) return true;
  SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  return SSL_set1_host(ssl, bare.c_str()) == 1;
}

// The reason for SSL_ERROR_SSL; a failed certificate check says which check failed.
std::string describe_ssl_error(SSL* ssl) {
  const unsigned long first = ERR_peek_error();
  for (unsigned long code = ERR_get_error(); code != 0; code = ERR_get_error()) {
    if (ERR_GET_LIB(code) == ERR_LIB_SSL &&
        ERR_GET_REASON(code) == SSL_R_CERTIFICATE_VERIFY_FAILED) {
      return std::string("certificate verify failed: ") +
             X509_verify_cert_error_string(SSL_get_verify_result(ssl));
    }
  }
  return reason_words(first);
}

std::string describe_syscall_error(int error, bool handshaking) {
  if (const unsigned long code = ERR_peek_error(); code != 0) return reason_words(code);
  if (error != 0) return errno_words(error);
  return handshaking ? kClosedInHandshake : "connection closed without TLS close_notify";
}

// Maps a failed SSL call to Io, filling `detail` on kError. Call right after the SSL call:
// errno and the error queue are read here.
TlsStream::Io classify(SSL* ssl, int ret, bool handshaking, std::string& detail) {
  const int error = errno;
  switch (SSL_get_error(ssl, ret)) {
    case SSL_ERROR_WANT_READ:
      return TlsStream::Io::kWantRead;
    case SSL_ERROR_WANT_WRITE:
      return TlsStream::Io::kWantWrite;
    case SSL_ERROR_ZERO_RETURN:
      if (!handshaking) return TlsStream::Io::kClosed;
      detail = kClosedInHandshake;
      break;
    case SSL_ERROR_SYSCALL:
      detail = describe_syscall_error(error, handshaking);
      break;
    default:
      detail = describe_ssl_error(ssl);
      break;
  }
  ERR_clear_error();
  return TlsStream::Io::kError;
}

}  // namespace

Result<std::shared_ptr<const TlsContext>> TlsContext::create(const TlsSettings& settings) {
  ERR_clear_error();
  ContextPtr ctx(SSL_CTX_new(TLS_client_method()), &SSL_CTX_free);
  if (!ctx) {
    const std::string reason = reason_words(ERR_peek_error());
    ERR_clear_error();
    return Error{"TLS: cannot create the OpenSSL context: " + reason};
  }
  using Step = Status (*)(SSL_CTX*, const TlsSettings&);
  for (Step step :
       {configure_verification, configure_client_certificate, configure_versions, configure_alpn}) {
    if (Status status = step(ctx.get(), settings); !status) return Error{status.error()};
  }
  configure_connections(ctx.get());
  // The constructor is private, so make_shared cannot reach it.
  return std::shared_ptr<const TlsContext>(new TlsContext(ctx.release(), settings));
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

TlsStream::TlsStream(std::shared_ptr<const TlsContext> context) : context_(std::move(context)) {}

TlsStream::~TlsStream() {
  reset();
  SSL_SESSION_free(saved_);
}

bool TlsStream::start(int fd) {
  reset();
  error_.clear();
  ERR_clear_error();
  ssl_ = SSL_new(context_->get());
  if (ssl_ == nullptr || SSL_set_fd(ssl_, fd) != 1 || !name_peer(ssl_, context_->settings())) {
    error_ = "cannot set up the TLS connection: " + reason_words(ERR_peek_error());
    ERR_clear_error();
    reset();
    return false;
  }
  // Until a read says otherwise: bytes that arrive from now on wake the session.
  socket_reads_->short_read = false;
  BIO* socket_bio = SSL_get_rbio(ssl_);
  BIO_set_callback_arg(socket_bio, reinterpret_cast<char*>(socket_reads_.get()));
  BIO_set_callback_ex(socket_bio, on_socket_io);
  // A session that cannot resume is refused by OpenSSL itself: a full handshake follows.
  if (saved_ != nullptr) SSL_set_session(ssl_, saved_);
  SSL_set_connect_state(ssl_);
  return true;
}

TlsStream::Io TlsStream::handshake() {
  if (ssl_ == nullptr) {
    error_ = "no TLS connection (start() was not called or failed)";
    return Io::kError;
  }
  ERR_clear_error();
  errno = 0;
  const int ret = SSL_do_handshake(ssl_);
  if (ret == 1) {
    save_session();  // TLS 1.2 sessions are complete now; TLS 1.3 tickets come with reads
    return Io::kOk;
  }
  return classify(ssl_, ret, /*handshaking=*/true, error_);
}

bool TlsStream::resumed() const { return ssl_ != nullptr && SSL_session_reused(ssl_) == 1; }

std::string_view TlsStream::alpn() const {
  if (ssl_ == nullptr) return {};
  const unsigned char* data = nullptr;
  unsigned length = 0;
  SSL_get0_alpn_selected(ssl_, &data, &length);
  return {reinterpret_cast<const char*>(data), data == nullptr ? 0 : length};
}

long TlsStream::on_socket_io(BIO* bio, int operation, const char*, size_t length, int, long,
                             int ret, size_t* processed) {
  if (operation == (BIO_CB_READ | BIO_CB_RETURN)) {
    auto* reads = reinterpret_cast<SocketReads*>(BIO_get_callback_arg(bio));
    reads->short_read = ret <= 0 || processed == nullptr || *processed < length;
  }
  return ret;
}

bool TlsStream::drained() const {
  return ssl_ != nullptr && socket_reads_->short_read && SSL_pending(ssl_) == 0 &&
         SSL_has_pending(ssl_) == 0;
}

TlsStream::IoResult TlsStream::read(char* buffer, size_t size) {
  if (size == 0) return {};
  ERR_clear_error();
  errno = 0;
  size_t bytes = 0;
  const int ret = SSL_read_ex(ssl_, buffer, size, &bytes);
  save_session();  // a TLS 1.3 ticket may have arrived with this read
  if (ret == 1) return {Io::kOk, bytes};
  return {classify(ssl_, ret, /*handshaking=*/false, error_), 0};
}

TlsStream::IoResult TlsStream::write(const char* data, size_t size) {
  if (size == 0) return {};
  ERR_clear_error();
  errno = 0;
  size_t bytes = 0;
  const int ret = SSL_write_ex(ssl_, data, size, &bytes);
  if (ret == 1) return {Io::kOk, bytes};
  return {classify(ssl_, ret, /*handshaking=*/false, error_), 0};
}

void TlsStream::reset() {
  if (ssl_ == nullptr) return;
  // Marked as shut down: otherwise SSL_free treats the session as bad (it was not closed with
  // close_notify), makes it non-resumable and takes the shared context's lock to drop it.
  SSL_set_shutdown(ssl_, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
  SSL_free(ssl_);
  ssl_ = nullptr;
}

// Keeps the newest resumable session. Comparing pointers is enough: OpenSSL replaces the
// connection's session object whenever a ticket arrives, and SSL_get_session takes no lock.
void TlsStream::save_session() {
  SSL_SESSION* current = SSL_get_session(ssl_);
  if (current == nullptr || current == saved_ || SSL_SESSION_is_resumable(current) != 1) return;
  SSL_SESSION_up_ref(current);
  SSL_SESSION_free(saved_);
  saved_ = current;
}

}  // namespace strest
