#include "net/http3_session.h"

#include <gnutls/crypto.h>
#include <sys/epoll.h>
#include <time.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "net/epoll_loop.h"
#include "net/http3_session_impl.h"
#include "net/quic_close_reason.h"
#include "net/tcp.h"

namespace strest {

namespace {

// Flow-control windows large enough that they never throttle a load test.
constexpr uint64_t kMaxData = uint64_t{1} << 30;           // the connection: 1 GiB
constexpr uint64_t kMaxStreamData = uint64_t{16} << 20;    // each request stream: 16 MiB
constexpr uint64_t kMaxUniStreamData = uint64_t{1} << 20;  // the server's control and QPACK
constexpr uint64_t kMaxUniStreams = 16;
constexpr ngtcp2_duration kIdleTimeout = 30 * NGTCP2_SECONDS;
constexpr size_t kMinReadBuffer = 1500;
constexpr size_t kVecs = 16;

static_assert(sizeof(nghttp3_vec) == sizeof(ngtcp2_vec) &&
                  offsetof(nghttp3_vec, base) == offsetof(ngtcp2_vec, base) &&
                  offsetof(nghttp3_vec, len) == offsetof(ngtcp2_vec, len),
              "nghttp3 hands its vectors to ngtcp2 as they are");

uint64_t monotonic_ns() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<uint64_t>(now.tv_sec) * NGTCP2_SECONDS + static_cast<uint64_t>(now.tv_nsec);
}

bool random_cid(ngtcp2_cid& cid, size_t length) {
  cid.datalen = length;
  return gnutls_rnd(GNUTLS_RND_RANDOM, cid.data, length) == 0;
}

}  // namespace

std::unique_ptr<Session> make_http3_session(const SessionContext& context, uint32_t connection) {
  return std::make_unique<Http3Session>(context, connection);
}

Http3Session::Http3Session(const SessionContext& context, uint32_t connection)
    : context_(context),
      connection_(connection),
      config_(*context.config),
      fields_(context.config->requests),
      streams_(std::max<uint32_t>(1, context.config->streams_per_connection)),
      built_bodies_(streams_.size()) {
  conn_ref_ = {&Http3Session::get_conn, this};
  events_.reserve(4 * streams_.size() + 4);
  if (context_.read_buffer.size() < kMinReadBuffer) own_read_buffer_.resize(65536);
}

Http3Session::~Http3Session() { teardown(); }

// ---- Connection life -----------------------------------------------------------------------

TransportError Http3Session::open(int64_t now) {
  teardown();
  // ngtcp2 runs on CLOCK_MONOTONIC nanoseconds; the worker's `now` maps onto it by this offset.
  offset_ns_ = std::max<uint64_t>(1, monotonic_ns() - static_cast<uint64_t>(now) * 1000);
  opened_ = OpenedTimes{.started_us = now, .tls = true, .protocol = Protocol::kHttp3};
  if (const int error = socket_.open(config_.endpoint); error != 0) {
    return classify_connect_error(error);
  }
  if (!context_.loop->watch(socket_.fd(), connection_)) {
    teardown();
    return TransportError::kOther;
  }
  const std::string& name = config_.tls_settings.server_name.empty()
                                ? config_.server_name
                                : config_.tls_settings.server_name;
  if (!tls_.start(config_.tls_settings, name, &conn_ref_).empty()) {
    teardown();
    return TransportError::kTlsHandshake;
  }
  if (!create_connection(now)) {
    teardown();
    return TransportError::kQuic;
  }
  write_packets(timestamp(now));  // the Initial packet with the ClientHello
  if (ending_.set) {
    const TransportError kind = ending_.kind;
    teardown();
    return kind == TransportError::kNone ? TransportError::kQuic : kind;
  }
  return TransportError::kNone;
}

bool Http3Session::create_connection(int64_t now) {
  ngtcp2_cid dcid{};
  ngtcp2_cid scid{};
  if (!random_cid(dcid, 18) || !random_cid(scid, 16)) return false;
  ngtcp2_settings settings;
  ngtcp2_settings_default(&settings);
  settings.initial_ts = timestamp(now);
  if (config_.connect_timeout_us > 0) {
    settings.handshake_timeout = static_cast<uint64_t>(config_.connect_timeout_us) * 1000;
  }
  ngtcp2_transport_params params;
  ngtcp2_transport_params_default(&params);
  params.initial_max_data = kMaxData;
  params.initial_max_stream_data_bidi_local = kMaxStreamData;
  params.initial_max_stream_data_uni = kMaxUniStreamData;
  params.initial_max_streams_uni = kMaxUniStreams;
  params.max_idle_timeout = kIdleTimeout;
  params.max_udp_payload_size = std::clamp<uint64_t>(read_buffer().size(), 1200, 65527);
  const ngtcp2_path current = path();
  if (ngtcp2_conn_client_new(&conn_, &dcid, &scid, &current, NGTCP2_PROTO_VER_V1, &quic_callbacks(),
                             &settings, &params, nullptr, this) != 0) {
    conn_ = nullptr;
    return false;
  }
  ngtcp2_conn_set_tls_native_handle(conn_, tls_.get());
  return true;
}

void Http3Session::teardown() {
  ++epoch_;
  if (h3_ != nullptr) nghttp3_conn_del(h3_);
  h3_ = nullptr;
  if (conn_ != nullptr) ngtcp2_conn_del(conn_);
  conn_ = nullptr;
  tls_.reset();
  socket_.close();
  std::fill(streams_.begin(), streams_.end(), Stream{});
  events_.clear();
  ending_ = Ending{};
  submitted_ = 0;
  responses_ = 0;
  last_ts_ = 0;
  goaway_id_ = -1;
  handshake_done_ = false;
  ready_ = false;
  stream_credit_ = false;
  write_pending_ = false;
}

ngtcp2_tstamp Http3Session::timestamp(int64_t now) {
  last_ts_ = std::max<ngtcp2_tstamp>(last_ts_, offset_ns_ + static_cast<uint64_t>(now) * 1000);
  return last_ts_;
}

int64_t Http3Session::timer_due_us() const {
  if (conn_ == nullptr) return INT64_MAX;
  const ngtcp2_tstamp expiry = ngtcp2_conn_get_expiry(conn_);
  if (expiry == UINT64_MAX) return INT64_MAX;
  if (expiry <= offset_ns_) return 0;
  // Rounded up, so that at the run time returned ngtcp2 finds its timer expired.
  return static_cast<int64_t>((expiry - offset_ns_ + 999) / 1000);
}

// The connected socket's one path, as ngtcp2 wants it with every packet.
ngtcp2_path Http3Session::path() const {
  return {{const_cast<sockaddr*>(reinterpret_cast<const sockaddr*>(&socket_.local_address())),
           socket_.local_length()},
          {const_cast<sockaddr*>(reinterpret_cast<const sockaddr*>(&config_.endpoint.address)),
           config_.endpoint.length},
          nullptr};
}

std::span<uint8_t> Http3Session::read_buffer() {
  if (!own_read_buffer_.empty()) return own_read_buffer_;
  return {reinterpret_cast<uint8_t*>(context_.read_buffer.data()), context_.read_buffer.size()};
}

bool Http3Session::accepting() const {
  return h3_ != nullptr && ready_ && !ending_.set && goaway_id_ < 0 &&
         (config_.keepalive || responses_ == 0);
}

// ---- Events from the worker ------------------------------------------------------------------

void Http3Session::on_io(uint32_t events, int64_t now) {
  if (conn_ == nullptr) return;
  (void)events;  // edge-triggered: read until EAGAIN whatever woke us, then send what waits
  read_packets(timestamp(now));
  progress(now);
}

void Http3Session::on_timer(int64_t now) {
  if (conn_ == nullptr) return;
  const int rv = ngtcp2_conn_handle_expiry(conn_, timestamp(now));
  if (rv != 0) end_on_expiry_error(rv);
  progress(now);
}

void Http3Session::submit(uint32_t slot, uint32_t variant, uint64_t sequence, int64_t now) {
  Stream* stream = h3_ != nullptr && !ending_.set ? allocate() : nullptr;
  if (stream == nullptr) {  // the worker broke the contract: refuse rather than crash
    events_.push_back({.type = EventType::kFailed, .slot = slot, .kind = TransportError::kOther});
    settle(now);
    return;
  }
  *stream = Stream{
      .used = true, .slot = slot, .variant = variant, .sequence = sequence, .order = submitted_++};
  start_stream(*stream);
  write_soon(now);
  settle(now);
}

const std::string& Http3Session::body_of(const Stream& stream) const {
  return stream.built != nullptr ? built_bodies_[static_cast<size_t>(&stream - streams_.data())]
                                 : fields_.body(stream.variant);
}

void Http3Session::submit_built(uint32_t slot, const RequestParts& request, uint64_t sequence,
                                int64_t now) {
  Stream* stream = h3_ != nullptr && !ending_.set ? allocate() : nullptr;
  if (stream == nullptr) {
    events_.push_back({.type = EventType::kFailed, .slot = slot, .kind = TransportError::kOther});
    settle(now);
    return;
  }
  *stream = Stream{
      .used = true, .slot = slot, .built = &request, .sequence = sequence, .order = submitted_++};
  // QUIC may send the body again until it is acknowledged: the stream keeps its own copy.
  built_bodies_[static_cast<size_t>(stream - streams_.data())].assign(request.body);
  start_stream(*stream);
  write_soon(now);
  settle(now);
}

bool Http3Session::abandon(uint32_t slot, int64_t now) {
  for (Event& event : events_) {
    if (event.slot == slot && event.type != EventType::kReady) event.type = EventType::kNone;
  }
  Stream* stream = find_slot(slot);
  if (stream == nullptr) return true;
  const bool opened = stream->opened;
  const int64_t id = stream->id;
  release(*stream);  // first, so that closing the stream reports nothing
  if (opened && conn_ != nullptr) {
    ngtcp2_conn_shutdown_stream(conn_, id, NGHTTP3_H3_REQUEST_CANCELLED);
    if (h3_ != nullptr) {
      nghttp3_conn_shutdown_stream_write(h3_, id);
      nghttp3_conn_shutdown_stream_read(h3_, id);
    }
    write_soon(now);
  }
  settle(now);
  return true;
}

// ---- Packets ------------------------------------------------------------------------------------

void Http3Session::read_packets(ngtcp2_tstamp ts) {
  const std::span<uint8_t> buffer = read_buffer();
  const ngtcp2_path current = path();
  const ngtcp2_pkt_info info{};
  while (conn_ != nullptr && !ending_.set) {
    const ssize_t size = socket_.receive(buffer);
    if (size == 0) return;
    if (size < 0) return end_on_socket_error(static_cast<int>(-size));
    const int rv =
        ngtcp2_conn_read_pkt(conn_, &current, &info, buffer.data(), static_cast<size_t>(size), ts);
    if (rv != 0) return end_on_read_error(rv);
  }
}

// Packs request streams (fed by nghttp3) and QUIC's own frames into datagrams, a send quantum
// at a time: ngtcp2's pacing timer (timer_due_us) calls for the rest.
void Http3Session::write_packets(ngtcp2_tstamp ts) {
  if (conn_ == nullptr || ending_.set || !flush_socket()) return;
  const size_t max_size =
      std::min(ngtcp2_conn_get_path_max_tx_udp_payload_size(conn_), QuicUdpSocket::kMaxDatagram);
  const size_t max_packets = std::max<size_t>(1, ngtcp2_conn_get_send_quantum(conn_) / max_size);
  for (size_t packets = 0; packets < max_packets; ++packets) {
    const ngtcp2_ssize size = write_packet(max_size, ts);
    if (size < 0) return;  // the connection ends
    if (size == 0) break;  // nothing more, or congestion limited
    socket_.commit(static_cast<size_t>(size));
    if (socket_.full() && !flush_socket()) break;
  }
  flush_socket();
  ngtcp2_conn_update_pkt_tx_time(conn_, ts);
}

// One datagram into socket_.next(): its size, 0 when there is nothing to send, -1 when the
// connection ends. Stream data from several streams may share it (NGTCP2_WRITE_STREAM_FLAG_MORE).
ngtcp2_ssize Http3Session::write_packet(size_t max_size, ngtcp2_tstamp ts) {
  ngtcp2_path_storage storage;
  ngtcp2_path_storage_zero(&storage);
  ngtcp2_pkt_info info{};
  for (;;) {
    int64_t stream_id = -1;
    int fin = 0;
    std::array<nghttp3_vec, kVecs> vecs{};
    nghttp3_ssize count = 0;
    if (h3_ != nullptr && ngtcp2_conn_get_max_data_left(conn_) > 0) {
      count = nghttp3_conn_writev_stream(h3_, &stream_id, &fin, vecs.data(), vecs.size());
      if (count < 0) {
        end_on_http3_error(count);
        return -1;
      }
    }
    const size_t offered = nghttp3_vec_len(vecs.data(), static_cast<size_t>(count));
    const uint32_t flags =
        NGTCP2_WRITE_STREAM_FLAG_MORE | (fin != 0 ? NGTCP2_WRITE_STREAM_FLAG_FIN : 0);
    ngtcp2_ssize accepted = -1;
    const ngtcp2_ssize size = ngtcp2_conn_writev_stream(
        conn_, &storage.path, &info, socket_.next().data(), max_size, &accepted, flags, stream_id,
        reinterpret_cast<const ngtcp2_vec*>(vecs.data()), static_cast<size_t>(count), ts);
    if (size == NGTCP2_ERR_STREAM_DATA_BLOCKED) {  // flow control: wait for MAX_STREAM_DATA
      nghttp3_conn_block_stream(h3_, stream_id);
      continue;
    }
    if (size == NGTCP2_ERR_STREAM_SHUT_WR) {  // reset meanwhile
      nghttp3_conn_shutdown_stream_write(h3_, stream_id);
      continue;
    }
    if (size < 0 && size != NGTCP2_ERR_WRITE_MORE) {
      end_on_read_error(static_cast<int>(size));
      return -1;
    }
    if (accepted >= 0 && !note_written(stream_id, accepted, fin != 0, offered)) return -1;
    if (size >= 0) return size;  // else WRITE_MORE: room left for another stream's data
  }
}

// Inside dispatch() packets wait, so that requests the listener submits share datagrams.
void Http3Session::write_soon(int64_t now) {
  if (dispatching_) {
    write_pending_ = true;
  } else {
    write_packets(timestamp(now));
  }
}

bool Http3Session::flush_socket() {
  const int error = socket_.flush();
  if (error == 0) return true;
  if (error != EAGAIN) end_on_socket_error(error);
  return false;  // EAGAIN: the rest goes on EPOLLOUT
}

// Tells nghttp3 how much of `stream_id` QUIC took; queues on_request_sent once a request's FIN
// is in a packet.
bool Http3Session::note_written(int64_t stream_id, ngtcp2_ssize accepted, bool fin,
                                size_t offered) {
  if (stream_id < 0) return true;
  const int rv = nghttp3_conn_add_write_offset(h3_, stream_id, static_cast<size_t>(accepted));
  if (rv != 0) {
    end_on_http3_error(rv);
    return false;
  }
  Stream* stream = (stream_id & 0x3) == 0 ? find_stream(stream_id) : nullptr;
  if (stream == nullptr) return true;
  stream->bytes_out += static_cast<uint64_t>(accepted);
  if (fin && static_cast<size_t>(accepted) == offered && !stream->sent) {
    stream->sent = true;
    events_.push_back({.type = EventType::kSent, .slot = stream->slot, .bytes = stream->bytes_out});
  }
  return true;
}

void Http3Session::send_connection_close(const ngtcp2_connection_close_error& error) {
  if (conn_ == nullptr || ngtcp2_conn_is_in_draining_period(conn_) != 0) return;
  if (!flush_socket() && socket_.full()) return;
  ngtcp2_path_storage storage;
  ngtcp2_path_storage_zero(&storage);
  ngtcp2_pkt_info info{};
  const ngtcp2_ssize size =
      ngtcp2_conn_write_connection_close(conn_, &storage.path, &info, socket_.next().data(),
                                         QuicUdpSocket::kMaxDatagram, &error, last_ts_);
  if (size <= 0) return;
  socket_.commit(static_cast<size_t>(size));
  socket_.flush();  // best effort: the connection is gone either way
}

// ---- Requests -----------------------------------------------------------------------------------

Http3Session::Stream* Http3Session::allocate() {
  for (Stream& stream : streams_) {
    if (!stream.used) return &stream;
  }
  return nullptr;
}

Http3Session::Stream* Http3Session::find_stream(int64_t id) {
  for (Stream& stream : streams_) {
    if (stream.used && stream.opened && stream.id == id) return &stream;
  }
  return nullptr;
}

Http3Session::Stream* Http3Session::find_slot(uint32_t slot) {
  for (Stream& stream : streams_) {
    if (stream.used && stream.slot == slot) return &stream;
  }
  return nullptr;
}

size_t Http3Session::active_streams() const {
  return static_cast<size_t>(
      std::count_if(streams_.begin(), streams_.end(), [](const Stream& s) { return s.used; }));
}

// Opens the QUIC stream and hands the request to nghttp3, or leaves it waiting for stream
// credit (MAX_STREAMS) from the server.
void Http3Session::start_stream(Stream& stream) {
  int64_t id = -1;
  const int rv = ngtcp2_conn_open_bidi_stream(conn_, &id, &stream);
  if (rv == NGTCP2_ERR_STREAM_ID_BLOCKED) return;
  if (rv != 0) return fail(stream, TransportError::kOther);
  stream.opened = true;
  stream.id = id;
  char digits[20];
  const auto end = std::to_chars(digits, digits + sizeof digits, stream.sequence).ptr;
  const auto fields =
      stream.built != nullptr
          ? fields_.built_fields(*stream.built)
          : fields_.fields(stream.variant, {digits, static_cast<size_t>(end - digits)});
  const nghttp3_data_reader body{&Http3Session::on_read_body};
  const bool has_body = !body_of(stream).empty();
  if (nghttp3_conn_submit_request(h3_, id, fields.data(), fields.size(), has_body ? &body : nullptr,
                                  &stream) != 0) {
    ngtcp2_conn_shutdown_stream(conn_, id, NGHTTP3_H3_INTERNAL_ERROR);
    fail(stream, TransportError::kOther);
  }
}

void Http3Session::open_waiting_streams() {
  for (;;) {
    Stream* first = nullptr;
    for (Stream& stream : streams_) {
      if (stream.used && !stream.opened && (first == nullptr || stream.order < first->order)) {
        first = &stream;
      }
    }
    if (first == nullptr) return;
    start_stream(*first);
    if (first->used && !first->opened) return;  // still no credit
  }
}

// After GOAWAY the server processes no stream from goaway_id_ on, nor any we open.
void Http3Session::refuse_after_goaway() {
  for (Stream& stream : streams_) {
    if (!stream.used || (stream.opened && stream.id < goaway_id_)) continue;
    if (stream.opened) ngtcp2_conn_shutdown_stream(conn_, stream.id, NGHTTP3_H3_REQUEST_CANCELLED);
    fail(stream, TransportError::kRefusedStream);
  }
}

// Frees the pool entry and detaches it from its QUIC and HTTP/3 streams, which may live on
// (waiting for acknowledgements) and must then report nothing.
void Http3Session::release(Stream& stream) {
  if (stream.opened && conn_ != nullptr) {
    ngtcp2_conn_set_stream_user_data(conn_, stream.id, nullptr);
    if (h3_ != nullptr) nghttp3_conn_set_stream_user_data(h3_, stream.id, nullptr);
  }
  stream = Stream{};
}

void Http3Session::complete(Stream& stream) {
  events_.push_back({.type = EventType::kResponse,
                     .slot = stream.slot,
                     .status = stream.status,
                     .bytes = stream.bytes_in});
  ++responses_;
  release(stream);
}

void Http3Session::fail(Stream& stream, TransportError kind) {
  events_.push_back(
      {.type = EventType::kFailed, .slot = stream.slot, .bytes = stream.bytes_in, .kind = kind});
  release(stream);
}

}  // namespace strest
