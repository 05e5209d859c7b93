#include "net/http2_codec.h"

#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <string>

namespace strest {
namespace {

// 1 GiB - 1: the largest window that keeps nghttp2's int32 arithmetic safe, so neither the
// stream nor the connection window ever throttles a load test.
constexpr int32_t kWindowSize = (1 << 30) - 1;
// Streams the server may open towards us; none are expected with push off.
constexpr uint32_t kMaxServerStreams = 100;
constexpr size_t kFrameHeaderBytes = 9;

struct CallbacksDeleter {
  void operator()(nghttp2_session_callbacks* callbacks) const {
    nghttp2_session_callbacks_del(callbacks);
  }
};
struct OptionDeleter {
  void operator()(nghttp2_option* option) const { nghttp2_option_del(option); }
};
struct SessionDeleter {
  void operator()(nghttp2_session* session) const { nghttp2_session_del(session); }
};

// A header field that points into strings the codec does not own (no copy in nghttp2 either).
nghttp2_nv borrowed_field(std::string_view name, std::string_view value) {
  auto* name_bytes = reinterpret_cast<uint8_t*>(const_cast<char*>(name.data()));
  auto* value_bytes = reinterpret_cast<uint8_t*>(const_cast<char*>(value.data()));
  return nghttp2_nv{name_bytes, value_bytes, name.size(), value.size(),
                    NGHTTP2_NV_FLAG_NO_COPY_NAME | NGHTTP2_NV_FLAG_NO_COPY_VALUE};
}

}  // namespace

struct Http2Codec::State {
  // One request variant, ready to submit: its fields, the id header last when ids are on.
  struct Variant {
    std::vector<nghttp2_nv> fields;
    std::string_view body;
    bool has_id = false;
  };

  // One submitted request, from submit() until nghttp2 closes its stream. nghttp2 holds a
  // pointer to it as stream_user_data, so entries never move.
  struct Stream {
    uint32_t slot = 0;
    int32_t stream_id = 0;
    int status = 0;               // 0 until the response's :status arrives
    uint64_t bytes_received = 0;  // frames (headers included) that arrived on the stream
    uint64_t bytes_sent = 0;      // frames (headers included) sent on the stream
    std::string_view body;        // what is left of the request body to send
    bool active = false;
    bool first_byte_seen = false;
    bool abandoned = false;      // abandon() was called: report nothing
    bool reset_locally = false;  // nghttp2 reset it: the response broke HTTP/2 rules
    bool unsendable = false;     // nghttp2 could not send its HEADERS (too large, ...)
    char id_digits[20] = {};     // the request id header's value (UINT64_MAX has 20 digits)
  };

  SessionListener& listener;
  std::vector<Variant> variants;
  std::vector<nghttp2_nv> built_fields;   // submit_built()'s field list, reused
  std::vector<std::string> built_bodies;  // by pool index: a built request's body, kept
  bool capture_headers = false;
  bool capture_body = false;
  uint32_t max_streams;
  // The pool holds room for max_streams abandoned streams too: nghttp2 keeps an abandoned
  // stream's entry until its RST_STREAM is written, and the worker may reuse the slot first.
  std::vector<Stream> pool;
  std::vector<Stream*> free_streams;
  size_t open = 0;  // submitted, not abandoned, not reported yet
  std::unique_ptr<nghttp2_session_callbacks, CallbacksDeleter> callbacks;
  std::unique_ptr<nghttp2_option, OptionDeleter> option;
  std::unique_ptr<nghttp2_session, SessionDeleter> session;
  int64_t now = 0;        // the timestamp of every report made within the current call
  bool silenced = false;  // while a session is dropped: no reports
  bool fatal = false;     // the connection is unusable
  bool goaway_received = false;
  std::string error_detail;
  std::string last_library_error;  // nghttp2's words for the last error it saw, if any

  State(SessionListener& listener_in, uint32_t max_streams_in)
      : listener(listener_in),
        built_bodies(2 * size_t{max_streams_in}),
        max_streams(max_streams_in),
        pool(2 * size_t{max_streams_in}) {
    free_streams.reserve(pool.size());
    release_all();
    make_callbacks();
    nghttp2_option* raw_option = nullptr;
    nghttp2_option_new(&raw_option);
    option.reset(raw_option);
    // HTTP messaging rules stay on: nghttp2 then knows HEAD responses have no body and checks
    // content-length against the DATA received.
    nghttp2_option_set_no_http_messaging(raw_option, 0);
  }

  void release_all() {
    free_streams.clear();
    for (Stream& stream : pool) {
      stream = Stream{};
      free_streams.push_back(&stream);
    }
    open = 0;
  }

  void release(Stream* stream) {
    if (!stream->abandoned) --open;
    stream->active = false;
    free_streams.push_back(stream);
  }

  bool reports(const Stream* stream) const { return !silenced && !fatal && !stream->abandoned; }

  // Stream ids run out after about a billion requests on one connection.
  bool stream_ids_left() const {
    return nghttp2_session_get_next_stream_id(session.get()) <= INT32_MAX;
  }

  static State& of(void* user_data) { return *static_cast<State*>(user_data); }
  static Stream* stream_of(nghttp2_session* session, int32_t stream_id) {
    if (stream_id == 0) return nullptr;
    return static_cast<Stream*>(nghttp2_session_get_stream_user_data(session, stream_id));
  }

  void make_callbacks();
  // Submits the request of `stream` (the free list's last, its slot and body set) with
  // `fields`; false when nghttp2 refuses it.
  bool open_stream(Stream* stream, const nghttp2_nv* fields, size_t count) {
    nghttp2_data_provider body_provider{};
    body_provider.source.ptr = stream;
    body_provider.read_callback = State::read_body;
    const int32_t stream_id =
        nghttp2_submit_request(session.get(), nullptr, fields, count,
                               stream->body.empty() ? nullptr : &body_provider, stream);
    if (stream_id < 0) return false;
    free_streams.pop_back();
    stream->stream_id = stream_id;
    stream->active = true;
    ++open;
    return true;
  }
  void report_close(const Stream& stream, uint32_t error_code);
  void fail(std::string_view what, std::string_view why);

  static ssize_t read_body(nghttp2_session* session, int32_t stream_id, uint8_t* buffer,
                           size_t length, uint32_t* data_flags, nghttp2_data_source* source,
                           void* user_data);
  static int on_begin_frame(nghttp2_session* session, const nghttp2_frame_hd* header,
                            void* user_data);
  static int on_begin_headers(nghttp2_session* session, const nghttp2_frame* frame,
                              void* user_data);
  static int on_header(nghttp2_session* session, const nghttp2_frame* frame, const uint8_t* name,
                       size_t name_length, const uint8_t* value, size_t value_length, uint8_t flags,
                       void* user_data);
  static int on_frame_recv(nghttp2_session* session, const nghttp2_frame* frame, void* user_data);
  static int on_data_chunk(nghttp2_session* session, uint8_t flags, int32_t stream_id,
                           const uint8_t* data, size_t length, void* user_data);
  static int on_frame_send(nghttp2_session* session, const nghttp2_frame* frame, void* user_data);
  static int on_frame_not_send(nghttp2_session* session, const nghttp2_frame* frame,
                               int library_error, void* user_data);
  static int on_stream_close(nghttp2_session* session, int32_t stream_id, uint32_t error_code,
                             void* user_data);
  static int on_error(nghttp2_session* session, int library_error, const char* message,
                      size_t length, void* user_data);
};

void Http2Codec::State::make_callbacks() {
  nghttp2_session_callbacks* raw = nullptr;
  nghttp2_session_callbacks_new(&raw);
  callbacks.reset(raw);
  nghttp2_session_callbacks_set_on_begin_frame_callback(raw, on_begin_frame);
  nghttp2_session_callbacks_set_on_begin_headers_callback(raw, on_begin_headers);
  nghttp2_session_callbacks_set_on_header_callback(raw, on_header);
  nghttp2_session_callbacks_set_on_frame_recv_callback(raw, on_frame_recv);
  nghttp2_session_callbacks_set_on_frame_send_callback(raw, on_frame_send);
  nghttp2_session_callbacks_set_on_frame_not_send_callback(raw, on_frame_not_send);
  nghttp2_session_callbacks_set_on_stream_close_callback(raw, on_stream_close);
  nghttp2_session_callbacks_set_error_callback2(raw, on_error);
}

// Copies the next piece of the body into nghttp2's frame buffer; END_STREAM with the last one.
ssize_t Http2Codec::State::read_body(nghttp2_session*, int32_t, uint8_t* buffer, size_t length,
                                     uint32_t* data_flags, nghttp2_data_source* source, void*) {
  auto* stream = static_cast<Stream*>(source->ptr);
  const size_t piece = std::min(length, stream->body.size());
  std::memcpy(buffer, stream->body.data(), piece);
  stream->body.remove_prefix(piece);
  if (stream->body.empty()) *data_flags |= NGHTTP2_DATA_FLAG_EOF;
  return static_cast<ssize_t>(piece);
}

// Every frame header on a stream, CONTINUATION included, so that `bytes` is what arrived.
int Http2Codec::State::on_begin_frame(nghttp2_session* session, const nghttp2_frame_hd* header,
                                      void*) {
  if (Stream* stream = stream_of(session, header->stream_id)) {
    stream->bytes_received += header->length + kFrameHeaderBytes;
  }
  return 0;
}

int Http2Codec::State::on_begin_headers(nghttp2_session* session, const nghttp2_frame* frame,
                                        void* user_data) {
  Stream* stream = stream_of(session, frame->hd.stream_id);
  if (stream == nullptr || stream->first_byte_seen) return 0;
  stream->first_byte_seen = true;
  State& state = of(user_data);
  if (state.reports(stream)) state.listener.on_first_byte(stream->slot, state.now);
  return 0;
}

// Keeps :status (the final one wins over any 1xx); other fields only go to a capturing
// listener.
int Http2Codec::State::on_header(nghttp2_session* session, const nghttp2_frame* frame,
                                 const uint8_t* name, size_t name_length, const uint8_t* value,
                                 size_t value_length, uint8_t, void* user_data) {
  constexpr std::string_view kStatus = ":status";
  if (name_length != kStatus.size() || std::memcmp(name, kStatus.data(), name_length) != 0) {
    State& state = of(user_data);
    if (!state.capture_headers || name_length == 0 || name[0] == ':') return 0;
    Stream* stream = stream_of(session, frame->hd.stream_id);
    if (stream != nullptr && state.reports(stream)) {
      state.listener.on_response_header(stream->slot,
                                        {reinterpret_cast<const char*>(name), name_length},
                                        {reinterpret_cast<const char*>(value), value_length});
    }
    return 0;
  }
  if (Stream* stream = stream_of(session, frame->hd.stream_id)) {
    const char* text = reinterpret_cast<const char*>(value);
    int status = 0;
    std::from_chars(text, text + value_length, status);
    stream->status = status;
  }
  return 0;
}

int Http2Codec::State::on_data_chunk(nghttp2_session* session, uint8_t, int32_t stream_id,
                                     const uint8_t* data, size_t length, void* user_data) {
  State& state = of(user_data);
  Stream* stream = stream_of(session, stream_id);
  if (stream != nullptr && state.reports(stream)) {
    state.listener.on_response_body(stream->slot, {reinterpret_cast<const char*>(data), length});
  }
  return 0;
}

int Http2Codec::State::on_frame_recv(nghttp2_session*, const nghttp2_frame* frame,
                                     void* user_data) {
  // nghttp2 itself closes the streams above last_stream_id with REFUSED_STREAM.
  if (frame->hd.type == NGHTTP2_GOAWAY) of(user_data).goaway_received = true;
  return 0;
}

int Http2Codec::State::on_frame_send(nghttp2_session* session, const nghttp2_frame* frame,
                                     void* user_data) {
  Stream* stream = stream_of(session, frame->hd.stream_id);
  if (stream == nullptr) return 0;
  stream->bytes_sent += frame->hd.length + kFrameHeaderBytes;
  // nghttp2 resets a stream on its own only when the response breaks the rules.
  if (frame->hd.type == NGHTTP2_RST_STREAM) stream->reset_locally = true;
  const bool request_part = frame->hd.type == NGHTTP2_HEADERS || frame->hd.type == NGHTTP2_DATA;
  State& state = of(user_data);
  if (request_part && (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) && state.reports(stream)) {
    state.listener.on_request_sent(stream->slot, stream->bytes_sent, state.now);
  }
  return 0;
}

// A request whose HEADERS cannot go out (GOAWAY received, header block too large, cancelled):
// nghttp2 closes its stream next; remember whether that is a refusal or our request's fault.
int Http2Codec::State::on_frame_not_send(nghttp2_session* session, const nghttp2_frame* frame,
                                         int library_error, void*) {
  Stream* stream = stream_of(session, frame->hd.stream_id);
  if (stream != nullptr && frame->hd.type == NGHTTP2_HEADERS &&
      library_error != NGHTTP2_ERR_START_STREAM_NOT_ALLOWED) {
    stream->unsendable = true;
  }
  return 0;
}

int Http2Codec::State::on_stream_close(nghttp2_session* session, int32_t stream_id,
                                       uint32_t error_code, void* user_data) {
  Stream* stream = stream_of(session, stream_id);
  if (stream == nullptr) return 0;
  State& state = of(user_data);
  const bool report = state.reports(stream);
  const Stream closed = *stream;
  // Freed before the report: the worker may submit its next request from inside it.
  state.release(stream);
  if (report) state.report_close(closed, error_code);
  return 0;
}

void Http2Codec::State::report_close(const Stream& stream, uint32_t error_code) {
  if (error_code == NGHTTP2_NO_ERROR && stream.status != 0) {
    listener.on_response(stream.slot, stream.status, stream.bytes_received, now);
    return;
  }
  TransportError kind = TransportError::kStreamReset;
  if (stream.unsendable) {
    kind = TransportError::kOther;
  } else if (error_code == NGHTTP2_REFUSED_STREAM) {
    kind = TransportError::kRefusedStream;  // also the streams above a GOAWAY's last_stream_id
  } else if (stream.reset_locally) {
    kind = TransportError::kMalformed;
  }
  std::string detail;
  if (kind == TransportError::kStreamReset || kind == TransportError::kRefusedStream) {
    detail = std::string("the server reset the stream: ") + nghttp2_http2_strerror(error_code);
  }
  listener.on_stream_failed(stream.slot, kind, stream.bytes_received, detail, now);
}

int Http2Codec::State::on_error(nghttp2_session*, int, const char* message, size_t length,
                                void* user_data) {
  of(user_data).last_library_error.assign(message, length);
  return 0;
}

void Http2Codec::State::fail(std::string_view what, std::string_view why) {
  fatal = true;
  error_detail.assign("HTTP/2 ");
  error_detail.append(what);
  error_detail.append(": ");
  error_detail.append(why);
}

Http2Codec::Http2Codec(SessionListener& listener, const std::vector<RequestParts>& requests,
                       uint32_t max_streams, bool /*head_request*/)
    : state_(std::make_unique<State>(listener, max_streams)) {
  // HEAD needs nothing here: with HTTP messaging on, nghttp2 reads :method and expects no body.
  state_->variants.reserve(requests.size());
  for (const RequestParts& request : requests) {
    State::Variant variant;
    variant.fields.reserve(4 + request.headers.size() + 1);
    variant.fields.push_back(borrowed_field(":method", request.method));
    variant.fields.push_back(borrowed_field(":scheme", request.scheme));
    variant.fields.push_back(borrowed_field(":authority", request.authority));
    variant.fields.push_back(borrowed_field(":path", request.path));
    for (const auto& [name, value] : request.headers) {
      variant.fields.push_back(borrowed_field(name, value));
    }
    variant.has_id = !request.id_header.empty();
    // The value is pointed at the stream's digits at each submit().
    if (variant.has_id) variant.fields.push_back(borrowed_field(request.id_header, ""));
    variant.body = request.body;
    state_->variants.push_back(std::move(variant));
  }
}

Http2Codec::~Http2Codec() { stop(); }

void Http2Codec::start() {
  stop();
  State& state = *state_;
  nghttp2_session* session = nullptr;
  if (nghttp2_session_client_new2(&session, state.callbacks.get(), &state, state.option.get()) !=
      0) {
    state.fail("setup", "out of memory");
    return;
  }
  state.session.reset(session);
  const nghttp2_settings_entry settings[] = {
      {NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
      {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, static_cast<uint32_t>(kWindowSize)},
      {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, kMaxServerStreams},
  };
  nghttp2_submit_settings(session, NGHTTP2_FLAG_NONE, settings, std::size(settings));
  // The connection window is not a setting: raising it sends a WINDOW_UPDATE.
  nghttp2_session_set_local_window_size(session, NGHTTP2_FLAG_NONE, 0, kWindowSize);
}

void Http2Codec::stop() {
  State& state = *state_;
  state.silenced = true;  // nghttp2 1.52 reports nothing while deleting; stay safe if one does
  state.session.reset();
  state.silenced = false;
  state.release_all();
  state.fatal = false;
  state.goaway_received = false;
  state.error_detail.clear();
}

// When the server's SETTINGS_MAX_CONCURRENT_STREAMS is lower than what the worker submits,
// nghttp2 queues the extra HEADERS and sends them as streams close; they are reported as usual.
bool Http2Codec::submit(uint32_t slot, uint32_t variant, uint64_t sequence, int64_t now) {
  State& state = *state_;
  state.now = now;
  if (!accepting() || state.open >= state.max_streams || state.free_streams.empty()) {
    return false;
  }
  State::Variant& request = state.variants[variant];
  State::Stream* stream = state.free_streams.back();
  *stream = State::Stream{};
  stream->slot = slot;
  stream->body = request.body;
  if (request.has_id) {
    // 20 digits always fit. nghttp2 copies the field array, not the digits.
    const char* end = std::to_chars(stream->id_digits, std::end(stream->id_digits), sequence).ptr;
    nghttp2_nv& id_field = request.fields.back();
    id_field.value = reinterpret_cast<uint8_t*>(stream->id_digits);
    id_field.valuelen = static_cast<size_t>(end - stream->id_digits);
  }
  return state.open_stream(stream, request.fields.data(), request.fields.size());
}

bool Http2Codec::submit_built(uint32_t slot, const RequestParts& request, uint64_t, int64_t now) {
  State& state = *state_;
  state.now = now;
  if (!accepting() || state.open >= state.max_streams || state.free_streams.empty()) {
    return false;
  }
  // Copied by nghttp2 (no NO_COPY flags): the worker reuses `request` for its next step.
  auto field = [](std::string_view name, std::string_view value) {
    return nghttp2_nv{reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
                      reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())), name.size(),
                      value.size(), NGHTTP2_NV_FLAG_NONE};
  };
  std::vector<nghttp2_nv>& fields = state.built_fields;
  fields.clear();
  fields.push_back(field(":method", request.method));
  fields.push_back(field(":scheme", request.scheme));
  fields.push_back(field(":authority", request.authority));
  fields.push_back(field(":path", request.path));
  for (const auto& [name, value] : request.headers) fields.push_back(field(name, value));
  State::Stream* stream = state.free_streams.back();
  *stream = State::Stream{};
  stream->slot = slot;
  std::string& body = state.built_bodies[static_cast<size_t>(stream - state.pool.data())];
  body.assign(request.body);
  stream->body = body;
  return state.open_stream(stream, fields.data(), fields.size());
}

void Http2Codec::capture(bool headers, bool body) {
  State& state = *state_;
  state.capture_headers = headers;
  state.capture_body = body;
  if (body) {
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(state.callbacks.get(),
                                                              State::on_data_chunk);
  }
}

bool Http2Codec::receive(const char* data, size_t size, int64_t now) {
  State& state = *state_;
  state.now = now;
  if (state.fatal || !state.session) return false;
  state.last_library_error.clear();
  const auto* bytes = reinterpret_cast<const uint8_t*>(data);
  const ssize_t consumed = nghttp2_session_mem_recv(state.session.get(), bytes, size);
  if (consumed < 0) {
    state.fail("protocol error", nghttp2_strerror(static_cast<int>(consumed)));
    return false;
  }
  // A connection error makes nghttp2 queue a GOAWAY and ignore the rest without failing the
  // call: it shows as new requests no longer allowed although the server sent no GOAWAY.
  if (!state.goaway_received && state.stream_ids_left() &&
      !nghttp2_session_check_request_allowed(state.session.get())) {
    state.fail("protocol error", state.last_library_error.empty()
                                     ? "the server sent an invalid frame"
                                     : state.last_library_error);
    return false;
  }
  return true;
}

std::string_view Http2Codec::next_output(int64_t now) {
  State& state = *state_;
  state.now = now;
  if (state.fatal || !state.session) return {};
  const uint8_t* data = nullptr;
  const ssize_t length = nghttp2_session_mem_send(state.session.get(), &data);
  if (length < 0) {
    state.fail("error", nghttp2_strerror(static_cast<int>(length)));
    return {};
  }
  return {reinterpret_cast<const char*>(data), static_cast<size_t>(length)};
}

bool Http2Codec::accepting() const {
  const State& state = *state_;
  return state.session && !state.fatal &&
         nghttp2_session_check_request_allowed(state.session.get()) != 0;
}

bool Http2Codec::finished() const {
  const State& state = *state_;
  if (state.fatal || !state.session) return true;
  nghttp2_session* session = state.session.get();
  if (nghttp2_session_want_write(session)) return false;
  const bool idle = state.free_streams.size() == state.pool.size();
  return !nghttp2_session_want_read(session) || (idle && !state.stream_ids_left());
}

size_t Http2Codec::open_streams() const { return state_->open; }

void Http2Codec::abandon(uint32_t slot) {
  State& state = *state_;
  for (State::Stream& stream : state.pool) {
    if (!stream.active || stream.abandoned || stream.slot != slot) continue;
    stream.abandoned = true;
    --state.open;
    // A stream whose HEADERS is still queued is dropped without sending anything.
    nghttp2_submit_rst_stream(state.session.get(), NGHTTP2_FLAG_NONE, stream.stream_id,
                              NGHTTP2_CANCEL);
    return;
  }
}

const std::string& Http2Codec::error_detail() const { return state_->error_detail; }

}  // namespace strest
