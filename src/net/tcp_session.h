#pragma once
// A Session over a stream socket: TCP or a Unix socket, optionally through a proxy's CONNECT
// tunnel, optionally TLS, speaking HTTP/1.1 or HTTP/2 (chosen by ALPN, or h2c with prior
// knowledge). The steps of opening are a small state machine driven by socket readiness.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "net/file_descriptor.h"
#include "net/http1_codec.h"
#include "net/http2_codec.h"
#include "net/session.h"
#include "net/tls_client.h"
#include "net/transport_config.h"

namespace strest {

class TcpSession final : public Session {
 public:
  TcpSession(const SessionContext& context, uint32_t connection);

  TransportError open(int64_t now) override;
  bool accepting() const override;
  void submit(uint32_t slot, uint32_t variant, uint64_t sequence, int64_t now) override;
  void submit_built(uint32_t slot, const RequestParts& request, uint64_t sequence,
                    int64_t now) override;
  void on_io(uint32_t events, int64_t now) override;
  bool abandon(uint32_t slot, int64_t now) override;
  void close() override;
  void send_pending(int64_t now) override;

 private:
  enum class Step : uint8_t {
    kClosed,
    kConnecting,  // non-blocking connect under way
    kTunneling,   // CONNECT sent to the proxy, waiting for its reply
    kHandshake,   // TLS handshake
    kH2cPreface,  // h2c: preface sent, waiting for the server's first frame (or an HTTP/1 no)
    kReady,       // speaking HTTP/1.1 or HTTP/2
  };
  // One read or write on the socket, through TLS when it is on.
  struct Io {
    enum class Kind { kOk, kWait, kClosed, kError } kind = Kind::kOk;
    size_t bytes = 0;
    TransportError error = TransportError::kNone;
  };

  static Io from_tls(TlsStream::IoResult result);
  Io read_some(char* buffer, size_t size);
  Io write_some(const char* data, size_t size);
  void on_connected(int64_t now);
  void on_tunnel_io(int64_t now);
  void start_handshake(int64_t now);
  void on_handshake_io(int64_t now);
  void become_ready(Protocol protocol, int64_t now);
  void start_cleartext(int64_t now);
  void on_h2c_reply(uint32_t events, int64_t now);
  void fall_back_to_http1(int64_t now);
  void read_responses(uint32_t events, int64_t now);
  bool receive_http1(const char* data, size_t size, int64_t now);
  bool receive_http2(const char* data, size_t size, int64_t now);
  void on_peer_closed(int64_t now);
  // Writes what the codec has queued; false when the connection failed (already reported).
  bool flush(int64_t now);
  std::string_view gather_http2_output(int64_t now);
  // Closes and reports: every request still submitted fails with `kind` (kNone: orderly).
  void fail(TransportError kind, std::string_view detail, int64_t now);
  int64_t stamp(int64_t now) const;
  bool tls_active() const;
  std::string tls_detail() const;
  Http2Codec& http2_codec();  // made on first use

  const SessionContext context_;
  const TransportConfig& config_;
  const uint32_t connection_;
  FileDescriptor socket_;
  Step step_ = Step::kClosed;
  Protocol protocol_ = Protocol::kHttp1;
  bool h2c_refused_ = false;  // this target answered h2c with HTTP/1 (or a close): no more h2c
  OpenedTimes opened_;
  std::optional<TlsStream> tls_;
  std::string tunnel_reply_;      // the proxy's reply to CONNECT, as it arrives
  size_t tunnel_written_ = 0;     // bytes of the CONNECT request sent
  std::string_view pending_out_;  // codec bytes handed out but not yet written
  std::string out_buffer_;        // HTTP/2 frames gathered for one write
  static constexpr size_t kGatherBytes = 64 * 1024;
  Http1Codec http1_;
  std::unique_ptr<Http2Codec> http2_;  // made on first use: most runs never speak HTTP/2
};

}  // namespace strest
