#pragma once
// The HTTP/3 session behind make_http3_session(), shared by http3_session.cpp (connection life,
// packets, reports) and http3_session_callbacks.cpp (what ngtcp2 and nghttp3 call back).
//
// Reentrancy: ngtcp2 forbids most of its calls from inside its callbacks, and the listener may
// call back into the session (submit() from on_session_ready(), abandon(), close()). So the
// callbacks only record what happened (events_, ending_) and every public method ends with
// settle(), which delivers the queued reports once ngtcp2 and nghttp3 have returned.
#include <nghttp3/nghttp3.h>
#include <ngtcp2/ngtcp2.h>
#include <ngtcp2/ngtcp2_crypto.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "net/http3_request_fields.h"
#include "net/quic_tls.h"
#include "net/quic_udp_socket.h"
#include "net/session.h"
#include "net/transport_config.h"

namespace strest {

class Http3Session final : public Session {
 public:
  Http3Session(const SessionContext& context, uint32_t connection);
  ~Http3Session() override;
  Http3Session(const Http3Session&) = delete;
  Http3Session& operator=(const Http3Session&) = delete;

  TransportError open(int64_t now) override;
  bool accepting() const override;
  void submit(uint32_t slot, uint32_t variant, uint64_t sequence, int64_t now) override;
  void submit_built(uint32_t slot, const RequestParts& request, uint64_t sequence,
                    int64_t now) override;
  void on_io(uint32_t events, int64_t now) override;
  bool abandon(uint32_t slot, int64_t now) override;
  void close() override { teardown(); }
  int64_t timer_due_us() const override;
  void on_timer(int64_t now) override;

 private:
  // One request in flight. A pool of streams_per_connection of these is reused, so requests
  // allocate nothing of ours in the steady state.
  struct Stream {
    bool used = false;
    bool opened = false;      // has a QUIC stream; else waits for the server's stream credit
    bool body_given = false;  // the body was handed to nghttp3
    bool sent = false;        // on_request_sent is queued
    bool first_byte = false;  // on_first_byte is queued
    int64_t id = -1;          // QUIC stream id once opened
    uint32_t slot = 0;
    uint32_t variant = 0;
    const RequestParts* built = nullptr;  // a request built for the slot (its body: built_bodies_)
    uint64_t sequence = 0;
    uint64_t order = 0;  // submission order, to open waiting streams first come first served
    int status = 0;
    uint64_t bytes_in = 0;   // response stream bytes (HTTP/3 frames: head and body)
    uint64_t bytes_out = 0;  // request stream bytes handed to QUIC
  };
  // The request body a stream sends: its variant's, or its built request's copy.
  const std::string& body_of(const Stream& stream) const;

  enum class EventType : uint8_t { kNone, kReady, kSent, kFirstByte, kResponse, kFailed };
  // A report for the listener, delivered by settle().
  struct Event {
    EventType type = EventType::kNone;
    uint32_t slot = 0;
    int status = 0;
    uint64_t bytes = 0;
    TransportError kind = TransportError::kNone;
  };

  // Why the connection ends: set where it is found, reported by settle() after the stream
  // reports queued before it.
  struct Ending {
    bool set = false;
    TransportError kind = TransportError::kNone;
    std::string detail;
    bool send_close = false;  // send CONNECTION_CLOSE carrying `error`
    ngtcp2_connection_close_error error{};
  };

  // Connection life (http3_session.cpp).
  bool create_connection(int64_t now);
  void teardown();
  ngtcp2_tstamp timestamp(int64_t now);
  std::span<uint8_t> read_buffer();
  ngtcp2_path path() const;

  // Packets.
  void read_packets(ngtcp2_tstamp ts);
  void write_packets(ngtcp2_tstamp ts);
  ngtcp2_ssize write_packet(size_t max_size, ngtcp2_tstamp ts);
  void write_soon(int64_t now);
  bool flush_socket();
  bool note_written(int64_t stream_id, ngtcp2_ssize accepted, bool fin, size_t offered);
  void send_connection_close(const ngtcp2_connection_close_error& error);

  // Requests.
  Stream* allocate();
  Stream* find_stream(int64_t id);
  Stream* find_slot(uint32_t slot);
  void start_stream(Stream& stream);
  void open_waiting_streams();
  void refuse_after_goaway();
  void release(Stream& stream);
  void complete(Stream& stream);
  void fail(Stream& stream, TransportError kind);
  size_t active_streams() const;

  // Endings and reports.
  void end(TransportError kind, std::string detail, bool send_close);
  void end_on_socket_error(int error);
  void end_on_read_error(int rv);
  void end_on_expiry_error(int rv);
  void end_on_http3_error(int64_t rv);
  void end_on_peer_close();
  std::string no_handshake(std::string_view why) const;
  void progress(int64_t now);
  void settle(int64_t now);
  bool dispatch(int64_t now);
  void deliver(const Event& event, int64_t now);
  void finish(int64_t now);

  // ngtcp2 and nghttp3 callbacks (http3_session_callbacks.cpp).
  static const ngtcp2_callbacks& quic_callbacks();
  static const nghttp3_callbacks& http3_callbacks();
  static ngtcp2_conn* get_conn(ngtcp2_crypto_conn_ref* ref);
  bool setup_http3();
  static int on_handshake_completed(ngtcp2_conn* conn, void* user_data);
  static int on_recv_rx_key(ngtcp2_conn* conn, ngtcp2_crypto_level level, void* user_data);
  static int on_recv_stream_data(ngtcp2_conn* conn, uint32_t flags, int64_t stream_id,
                                 uint64_t offset, const uint8_t* data, size_t length,
                                 void* user_data, void* stream_user_data);
  static int on_acked_stream_data(ngtcp2_conn* conn, int64_t stream_id, uint64_t offset,
                                  uint64_t length, void* user_data, void* stream_user_data);
  static int on_quic_stream_close(ngtcp2_conn* conn, uint32_t flags, int64_t stream_id,
                                  uint64_t app_error_code, void* user_data, void* stream_user_data);
  static int on_stream_reset(ngtcp2_conn* conn, int64_t stream_id, uint64_t final_size,
                             uint64_t app_error_code, void* user_data, void* stream_user_data);
  static int on_stream_stop_sending(ngtcp2_conn* conn, int64_t stream_id, uint64_t app_error_code,
                                    void* user_data, void* stream_user_data);
  static int on_extend_max_streams(ngtcp2_conn* conn, uint64_t max_streams, void* user_data);
  static int on_extend_max_stream_data(ngtcp2_conn* conn, int64_t stream_id, uint64_t max_data,
                                       void* user_data, void* stream_user_data);
  static void on_rand(uint8_t* dest, size_t length, const ngtcp2_rand_ctx* rand_ctx);
  static int on_new_connection_id(ngtcp2_conn* conn, ngtcp2_cid* cid, uint8_t* token,
                                  size_t cid_length, void* user_data);
  static nghttp3_ssize on_read_body(nghttp3_conn* conn, int64_t stream_id, nghttp3_vec* vec,
                                    size_t vec_count, uint32_t* flags, void* user_data,
                                    void* stream_user_data);
  static int on_http_stream_close(nghttp3_conn* conn, int64_t stream_id, uint64_t app_error_code,
                                  void* user_data, void* stream_user_data);
  static int on_recv_data(nghttp3_conn* conn, int64_t stream_id, const uint8_t* data, size_t length,
                          void* user_data, void* stream_user_data);
  static int on_deferred_consume(nghttp3_conn* conn, int64_t stream_id, size_t consumed,
                                 void* user_data, void* stream_user_data);
  static int on_begin_headers(nghttp3_conn* conn, int64_t stream_id, void* user_data,
                              void* stream_user_data);
  static int on_recv_header(nghttp3_conn* conn, int64_t stream_id, int32_t token,
                            nghttp3_rcbuf* name, nghttp3_rcbuf* value, uint8_t flags,
                            void* user_data, void* stream_user_data);
  static int on_end_stream(nghttp3_conn* conn, int64_t stream_id, void* user_data,
                           void* stream_user_data);
  static int on_http_stop_sending(nghttp3_conn* conn, int64_t stream_id, uint64_t app_error_code,
                                  void* user_data, void* stream_user_data);
  static int on_http_reset_stream(nghttp3_conn* conn, int64_t stream_id, uint64_t app_error_code,
                                  void* user_data, void* stream_user_data);
  static int on_goaway(nghttp3_conn* conn, int64_t id, void* user_data);

  const SessionContext context_;
  const uint32_t connection_;
  const TransportConfig& config_;
  Http3RequestFields fields_;
  QuicUdpSocket socket_;
  QuicTls tls_;
  ngtcp2_crypto_conn_ref conn_ref_{};
  std::vector<uint8_t> own_read_buffer_;  // only when the worker's scratch buffer is too small
  ngtcp2_conn* conn_ = nullptr;
  nghttp3_conn* h3_ = nullptr;
  std::vector<Stream> streams_;
  std::vector<std::string> built_bodies_;  // by stream index: a built request's body, kept
  std::vector<Event> events_;
  Ending ending_;
  OpenedTimes opened_;
  uint64_t epoch_ = 0;      // bumped by teardown(): reports stop once the listener closed us
  uint64_t submitted_ = 0;  // requests submitted on this connection
  uint64_t responses_ = 0;  // responses completed on this connection
  uint64_t offset_ns_ = 0;  // ngtcp2 time (CLOCK_MONOTONIC ns) = offset_ns_ + run time * 1000
  ngtcp2_tstamp last_ts_ = 0;
  int64_t goaway_id_ = -1;       // the server processes no stream from this id on; -1: no GOAWAY
  bool handshake_done_ = false;  // set inside ngtcp2; reported as ready by progress()
  bool ready_ = false;           // on_session_ready is queued
  bool stream_credit_ = false;   // the server raised our stream limit: open waiting streams
  bool dispatching_ = false;     // inside dispatch(): writes and endings wait for settle()
  bool write_pending_ = false;   // something to send once dispatch() is done
};

}  // namespace strest
