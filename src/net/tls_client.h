#pragma once
// TLS over TCP with OpenSSL: one client context per run (SSL_CTX, built before the run and
// shared by all workers) and one TlsStream per connection, driven on a non-blocking socket.
#include <openssl/ssl.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "plan/result.h"

namespace strest {

struct TlsSettings {
  bool verify = true;     // false with --insecure
  std::string ca_file;    // --cacert PEM; "" = the system store
  std::string cert_file;  // --cert PEM (mutual TLS), with key_file
  std::string key_file;   // --key PEM
  int min_version = 0;    // --tls-min as TLS1_VERSION .. TLS1_3_VERSION; 0 = library default
  int max_version = 0;    // --tls-max; 0 = highest supported
  std::vector<std::string> alpn;  // advertised in this order; empty = no ALPN extension
  std::string server_name;        // SNI (not sent for IP literals) and the name verified
};

// The run's SSL_CTX. Certificate verification against the system store (or ca_file), client
// certificate, version bounds and ALPN are set here once.
class TlsContext {
 public:
  // Errors name the flag and the fix: "--cacert: cannot load 'x.pem': no such file".
  static Result<std::shared_ptr<const TlsContext>> create(const TlsSettings& settings);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  SSL_CTX* get() const { return ctx_; }
  const TlsSettings& settings() const { return settings_; }

 private:
  TlsContext(SSL_CTX* ctx, TlsSettings settings) : ctx_(ctx), settings_(std::move(settings)) {}
  SSL_CTX* ctx_;
  TlsSettings settings_;
};

// The TLS side of one connection. Reused across reconnects: it keeps the last session the
// server gave (TLS 1.2 session or TLS 1.3 ticket) and offers it on the next handshake, so
// reconnects resume.
class TlsStream {
 public:
  enum class Io { kOk, kWantRead, kWantWrite, kClosed, kError };
  struct IoResult {
    Io io = Io::kOk;
    size_t bytes = 0;  // > 0 only with kOk
  };

  explicit TlsStream(std::shared_ptr<const TlsContext> context);
  ~TlsStream();
  TlsStream(const TlsStream&) = delete;
  TlsStream& operator=(const TlsStream&) = delete;

  // A new TLS connection over the connected socket fd (not owned).
  bool start(int fd);
  // Drives the handshake: kOk when done, kWantRead/kWantWrite to wait, kError (see
  // error_detail()).
  Io handshake();
  bool resumed() const;
  // The protocol the server selected with ALPN, "" if none.
  std::string_view alpn() const;
  // kOk with bytes > 0; kWantRead/kWantWrite: retry on readiness; kClosed: orderly close by
  // the peer; kError: see error_detail(). A partial write returns kOk with fewer bytes.
  IoResult read(char* buffer, size_t size);
  // True when read() has nothing more to give until new bytes arrive: the socket's last read
  // came up short or would block, and OpenSSL holds no record, whole or partial. Another
  // read() would only hear EAGAIN; with edge-triggered epoll the next bytes wake us anyway.
  bool drained() const;
  IoResult write(const char* data, size_t size);
  // Frees the connection's SSL (no close_notify sent); the saved session stays.
  void reset();
  // Why the last handshake, read or write failed, in words: "certificate verify failed:
  // self-signed certificate", "tlsv1 alert protocol version".
  const std::string& error_detail() const { return error_; }

 private:
  void save_session();
  // What the socket BIO's last read did, written by its callback. On the heap so that the
  // address handed to OpenSSL stays put when the TlsStream moves.
  struct SocketReads {
    bool short_read = false;  // the last read returned fewer bytes than asked, or none
  };
  static long on_socket_io(BIO* bio, int operation, const char* data, size_t length, int argi,
                           long argl, int ret, size_t* processed);
  std::shared_ptr<const TlsContext> context_;
  std::unique_ptr<SocketReads> socket_reads_ = std::make_unique<SocketReads>();
  SSL* ssl_ = nullptr;
  SSL_SESSION* saved_ = nullptr;
  std::string error_;
};

}  // namespace strest
