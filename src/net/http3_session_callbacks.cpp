// What ngtcp2 and nghttp3 call back. Callbacks only record (stream state, queued reports, the
// connection's ending) and tell one library what the other needs; see http3_session_impl.h.
#include <gnutls/crypto.h>

#include "net/http3_session_impl.h"

namespace strest {

namespace {

Http3Session* session_of(void* user_data) { return static_cast<Http3Session*>(user_data); }

}  // namespace

ngtcp2_conn* Http3Session::get_conn(ngtcp2_crypto_conn_ref* ref) {
  return static_cast<Http3Session*>(ref->user_data)->conn_;
}

const ngtcp2_callbacks& Http3Session::quic_callbacks() {
  static const ngtcp2_callbacks callbacks = [] {
    ngtcp2_callbacks c{};
    c.client_initial = ngtcp2_crypto_client_initial_cb;
    c.recv_crypto_data = ngtcp2_crypto_recv_crypto_data_cb;
    c.handshake_completed = on_handshake_completed;
    c.encrypt = ngtcp2_crypto_encrypt_cb;
    c.decrypt = ngtcp2_crypto_decrypt_cb;
    c.hp_mask = ngtcp2_crypto_hp_mask_cb;
    c.recv_stream_data = on_recv_stream_data;
    c.acked_stream_data_offset = on_acked_stream_data;
    c.stream_close = on_quic_stream_close;
    c.recv_retry = ngtcp2_crypto_recv_retry_cb;
    c.extend_max_local_streams_bidi = on_extend_max_streams;
    c.rand = on_rand;
    c.get_new_connection_id = on_new_connection_id;
    c.update_key = ngtcp2_crypto_update_key_cb;
    c.stream_reset = on_stream_reset;
    c.extend_max_stream_data = on_extend_max_stream_data;
    c.delete_crypto_aead_ctx = ngtcp2_crypto_delete_crypto_aead_ctx_cb;
    c.delete_crypto_cipher_ctx = ngtcp2_crypto_delete_crypto_cipher_ctx_cb;
    c.get_path_challenge_data = ngtcp2_crypto_get_path_challenge_data_cb;
    c.stream_stop_sending = on_stream_stop_sending;
    c.version_negotiation = ngtcp2_crypto_version_negotiation_cb;
    c.recv_rx_key = on_recv_rx_key;
    return c;
  }();
  return callbacks;
}

const nghttp3_callbacks& Http3Session::http3_callbacks() {
  static const nghttp3_callbacks callbacks = [] {
    nghttp3_callbacks c{};
    c.stream_close = on_http_stream_close;
    c.recv_data = on_recv_data;
    c.deferred_consume = on_deferred_consume;
    c.begin_headers = on_begin_headers;
    c.recv_header = on_recv_header;
    c.stop_sending = on_http_stop_sending;
    c.end_stream = on_end_stream;
    c.reset_stream = on_http_reset_stream;
    c.shutdown = on_goaway;
    return c;
  }();
  return callbacks;
}

// The HTTP/3 layer: our control and QPACK streams, bound as soon as 1-RTT keys are in, before
// the server's first HTTP/3 bytes (which may come in the same read as the handshake's end).
bool Http3Session::setup_http3() {
  if (h3_ != nullptr) return true;
  if (ngtcp2_conn_get_streams_uni_left(conn_) < 3) {
    end(TransportError::kProtocol, "the server allows fewer than the 3 streams HTTP/3 needs", true);
    return false;
  }
  nghttp3_settings settings;
  nghttp3_settings_default(&settings);
  settings.qpack_max_dtable_capacity = 4096;
  settings.qpack_blocked_streams = 100;
  int64_t control = -1;
  int64_t encoder = -1;
  int64_t decoder = -1;
  if (nghttp3_conn_client_new(&h3_, &http3_callbacks(), &settings, nullptr, this) != 0) {
    h3_ = nullptr;
  } else if (ngtcp2_conn_open_uni_stream(conn_, &control, nullptr) == 0 &&
             nghttp3_conn_bind_control_stream(h3_, control) == 0 &&
             ngtcp2_conn_open_uni_stream(conn_, &encoder, nullptr) == 0 &&
             ngtcp2_conn_open_uni_stream(conn_, &decoder, nullptr) == 0 &&
             nghttp3_conn_bind_qpack_streams(h3_, encoder, decoder) == 0) {
    return true;
  }
  end(TransportError::kProtocol, "HTTP/3 setup failed (out of memory?)", true);
  return false;
}

// ---- ngtcp2 -------------------------------------------------------------------------------------

int Http3Session::on_handshake_completed(ngtcp2_conn*, void* user_data) {
  session_of(user_data)->handshake_done_ = true;
  return 0;
}

int Http3Session::on_recv_rx_key(ngtcp2_conn*, ngtcp2_crypto_level level, void* user_data) {
  if (level != NGTCP2_CRYPTO_LEVEL_APPLICATION) return 0;
  return session_of(user_data)->setup_http3() ? 0 : NGTCP2_ERR_CALLBACK_FAILURE;
}

int Http3Session::on_recv_stream_data(ngtcp2_conn* conn, uint32_t flags, int64_t stream_id,
                                      uint64_t, const uint8_t* data, size_t length, void* user_data,
                                      void* stream_user_data) {
  Http3Session& session = *session_of(user_data);
  if (auto* stream = static_cast<Stream*>(stream_user_data)) stream->bytes_in += length;
  if (session.h3_ == nullptr) return NGTCP2_ERR_CALLBACK_FAILURE;
  const nghttp3_ssize consumed = nghttp3_conn_read_stream(
      session.h3_, stream_id, data, length, (flags & NGTCP2_STREAM_DATA_FLAG_FIN) != 0);
  if (consumed < 0) {
    session.end_on_http3_error(consumed);
    return NGTCP2_ERR_CALLBACK_FAILURE;
  }
  // Bytes nghttp3 consumed itself (frame headers, QPACK); body bytes come back in on_recv_data.
  ngtcp2_conn_extend_max_stream_offset(conn, stream_id, static_cast<uint64_t>(consumed));
  ngtcp2_conn_extend_max_offset(conn, static_cast<uint64_t>(consumed));
  return 0;
}

int Http3Session::on_acked_stream_data(ngtcp2_conn*, int64_t stream_id, uint64_t, uint64_t length,
                                       void* user_data, void*) {
  Http3Session& session = *session_of(user_data);
  if (session.h3_ == nullptr) return 0;
  const int rv = nghttp3_conn_add_ack_offset(session.h3_, stream_id, length);
  if (rv == 0) return 0;
  session.end_on_http3_error(rv);
  return NGTCP2_ERR_CALLBACK_FAILURE;
}

int Http3Session::on_quic_stream_close(ngtcp2_conn* conn, uint32_t flags, int64_t stream_id,
                                       uint64_t app_error_code, void* user_data, void*) {
  Http3Session& session = *session_of(user_data);
  if ((flags & NGTCP2_STREAM_CLOSE_FLAG_APP_ERROR_CODE_SET) == 0) {
    app_error_code = NGHTTP3_H3_NO_ERROR;
  }
  if (session.h3_ != nullptr) {
    const int rv = nghttp3_conn_close_stream(session.h3_, stream_id, app_error_code);
    if (rv != 0 && rv != NGHTTP3_ERR_STREAM_NOT_FOUND) {
      session.end_on_http3_error(rv);
      return NGTCP2_ERR_CALLBACK_FAILURE;
    }
  }
  if (ngtcp2_is_bidi_stream(stream_id) == 0 && ngtcp2_conn_is_local_stream(conn, stream_id) == 0) {
    ngtcp2_conn_extend_max_streams_uni(conn, 1);
  }
  return 0;
}

int Http3Session::on_stream_reset(ngtcp2_conn*, int64_t stream_id, uint64_t,
                                  uint64_t app_error_code, void* user_data,
                                  void* stream_user_data) {
  Http3Session& session = *session_of(user_data);
  if (auto* stream = static_cast<Stream*>(stream_user_data)) {
    session.fail(*stream, app_error_code == NGHTTP3_H3_REQUEST_REJECTED
                              ? TransportError::kRefusedStream
                              : TransportError::kStreamReset);
  }
  if (session.h3_ == nullptr) return 0;
  const int rv = nghttp3_conn_shutdown_stream_read(session.h3_, stream_id);
  if (rv == 0) return 0;
  session.end_on_http3_error(rv);
  return NGTCP2_ERR_CALLBACK_FAILURE;
}

int Http3Session::on_stream_stop_sending(ngtcp2_conn*, int64_t stream_id, uint64_t, void* user_data,
                                         void*) {
  Http3Session& session = *session_of(user_data);
  if (session.h3_ == nullptr) return 0;
  const int rv = nghttp3_conn_shutdown_stream_read(session.h3_, stream_id);
  if (rv == 0) return 0;
  session.end_on_http3_error(rv);
  return NGTCP2_ERR_CALLBACK_FAILURE;
}

int Http3Session::on_extend_max_streams(ngtcp2_conn*, uint64_t, void* user_data) {
  session_of(user_data)->stream_credit_ = true;
  return 0;
}

int Http3Session::on_extend_max_stream_data(ngtcp2_conn*, int64_t stream_id, uint64_t,
                                            void* user_data, void*) {
  Http3Session& session = *session_of(user_data);
  if (session.h3_ == nullptr) return 0;
  const int rv = nghttp3_conn_unblock_stream(session.h3_, stream_id);
  if (rv == 0) return 0;
  session.end_on_http3_error(rv);
  return NGTCP2_ERR_CALLBACK_FAILURE;
}

void Http3Session::on_rand(uint8_t* dest, size_t length, const ngtcp2_rand_ctx*) {
  gnutls_rnd(GNUTLS_RND_NONCE, dest, length);
}

int Http3Session::on_new_connection_id(ngtcp2_conn*, ngtcp2_cid* cid, uint8_t* token,
                                       size_t cid_length, void*) {
  cid->datalen = cid_length;
  if (gnutls_rnd(GNUTLS_RND_RANDOM, cid->data, cid_length) != 0 ||
      gnutls_rnd(GNUTLS_RND_RANDOM, token, NGTCP2_STATELESS_RESET_TOKENLEN) != 0) {
    return NGTCP2_ERR_CALLBACK_FAILURE;
  }
  return 0;
}

// ---- nghttp3 ------------------------------------------------------------------------------------

// The whole body at once: it lives in the run's TransportConfig until the run ends.
nghttp3_ssize Http3Session::on_read_body(nghttp3_conn*, int64_t, nghttp3_vec* vec, size_t,
                                         uint32_t* flags, void* user_data, void* stream_user_data) {
  *flags |= NGHTTP3_DATA_FLAG_EOF;
  auto* stream = static_cast<Stream*>(stream_user_data);
  if (stream == nullptr || stream->body_given) return 0;
  stream->body_given = true;
  const std::string& body = session_of(user_data)->body_of(*stream);
  vec[0] = {reinterpret_cast<uint8_t*>(const_cast<char*>(body.data())), body.size()};
  return 1;
}

int Http3Session::on_http_stream_close(nghttp3_conn*, int64_t, uint64_t, void* user_data,
                                       void* stream_user_data) {
  // Still attached: the stream ended without a complete response.
  if (auto* stream = static_cast<Stream*>(stream_user_data)) {
    session_of(user_data)->fail(*stream, TransportError::kStreamReset);
  }
  return 0;
}

int Http3Session::on_recv_data(nghttp3_conn*, int64_t stream_id, const uint8_t* data, size_t length,
                               void* user_data, void* stream_user_data) {
  Http3Session* session = session_of(user_data);
  // Straight to the listener: storing body bytes cannot make it call back into the session.
  auto* stream = static_cast<Stream*>(stream_user_data);
  if (stream != nullptr && session->context_.config->capture.body) {
    session->context_.listener->on_response_body(stream->slot,
                                                 {reinterpret_cast<const char*>(data), length});
  }
  ngtcp2_conn* conn = session->conn_;
  ngtcp2_conn_extend_max_stream_offset(conn, stream_id, length);
  ngtcp2_conn_extend_max_offset(conn, length);
  return 0;
}

int Http3Session::on_deferred_consume(nghttp3_conn*, int64_t stream_id, size_t consumed,
                                      void* user_data, void*) {
  ngtcp2_conn* conn = session_of(user_data)->conn_;
  ngtcp2_conn_extend_max_stream_offset(conn, stream_id, consumed);
  ngtcp2_conn_extend_max_offset(conn, consumed);
  return 0;
}

int Http3Session::on_begin_headers(nghttp3_conn*, int64_t, void* user_data,
                                   void* stream_user_data) {
  auto* stream = static_cast<Stream*>(stream_user_data);
  if (stream == nullptr || stream->first_byte) return 0;
  stream->first_byte = true;
  session_of(user_data)->events_.push_back({.type = EventType::kFirstByte, .slot = stream->slot});
  return 0;
}

int Http3Session::on_recv_header(nghttp3_conn*, int64_t, int32_t token, nghttp3_rcbuf* name,
                                 nghttp3_rcbuf* value, uint8_t, void* user_data,
                                 void* stream_user_data) {
  auto* stream = static_cast<Stream*>(stream_user_data);
  if (stream == nullptr) return 0;
  if (token != NGHTTP3_QPACK_TOKEN__STATUS) {
    Http3Session* session = session_of(user_data);
    if (!session->context_.config->capture.headers) return 0;
    const nghttp3_vec key = nghttp3_rcbuf_get_buf(name);
    const nghttp3_vec text = nghttp3_rcbuf_get_buf(value);
    if (key.len == 0 || key.base[0] == ':') return 0;
    session->context_.listener->on_response_header(
        stream->slot, {reinterpret_cast<const char*>(key.base), key.len},
        {reinterpret_cast<const char*>(text.base), text.len});
    return 0;
  }
  const nghttp3_vec text = nghttp3_rcbuf_get_buf(value);
  int status = 0;
  for (size_t i = 0; i < text.len && text.base[i] >= '0' && text.base[i] <= '9'; ++i) {
    status = status * 10 + (text.base[i] - '0');
  }
  stream->status = text.len == 3 ? status : 0;  // nghttp3 checks :status; keep the final one
  return 0;
}

int Http3Session::on_end_stream(nghttp3_conn*, int64_t, void* user_data, void* stream_user_data) {
  if (auto* stream = static_cast<Stream*>(stream_user_data)) {
    session_of(user_data)->complete(*stream);
  }
  return 0;
}

int Http3Session::on_http_stop_sending(nghttp3_conn*, int64_t stream_id, uint64_t app_error_code,
                                       void* user_data, void*) {
  const int rv =
      ngtcp2_conn_shutdown_stream_read(session_of(user_data)->conn_, stream_id, app_error_code);
  return rv == 0 ? 0 : NGHTTP3_ERR_CALLBACK_FAILURE;
}

int Http3Session::on_http_reset_stream(nghttp3_conn*, int64_t stream_id, uint64_t app_error_code,
                                       void* user_data, void*) {
  const int rv =
      ngtcp2_conn_shutdown_stream_write(session_of(user_data)->conn_, stream_id, app_error_code);
  return rv == 0 ? 0 : NGHTTP3_ERR_CALLBACK_FAILURE;
}

// GOAWAY: streams from `id` on will not be processed; progress() fails them.
int Http3Session::on_goaway(nghttp3_conn*, int64_t id, void* user_data) {
  Http3Session& session = *session_of(user_data);
  session.goaway_id_ = session.goaway_id_ < 0 ? id : std::min(session.goaway_id_, id);
  return 0;
}

}  // namespace strest
