#pragma once
// An in-memory HTTP/2 server (an nghttp2 server session) for codec tests: it reads what the
// client wrote, answers each complete request as its Http2ServerBehavior says, and records what it
// saw. No sockets: tests move the bytes between the two sides themselves.
#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace strest {

// How the server answers.
struct Http2ServerBehavior {
  int status = 200;
  size_t body_size = 0;                 // 'x' bytes; HEAD gets content-length alone
  bool hold = false;                    // answer only at release()
  bool omit_status = false;             // a response without :status (malformed)
  std::set<int32_t> reset_streams{};    // RST_STREAM(INTERNAL_ERROR) instead of a response
  int32_t goaway_last_stream_id = -1;   // >= 0: GOAWAY at the first request, answer up to it
  uint32_t max_concurrent_streams = 0;  // > 0: sent in the server's SETTINGS
};

// One request as the server saw it.
struct SeenHttp2Request {
  std::map<std::string, std::string> headers;
  std::string body;
  bool complete = false;             // END_STREAM arrived
  uint32_t reset_code = UINT32_MAX;  // the client's RST_STREAM error code, if any
};

class InMemoryHttp2Server {
 public:
  explicit InMemoryHttp2Server(Http2ServerBehavior behavior) : behavior_(std::move(behavior)) {
    nghttp2_session_callbacks* callbacks = nullptr;
    nghttp2_session_callbacks_new(&callbacks);
    nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, on_begin_headers);
    nghttp2_session_callbacks_set_on_header_callback(callbacks, on_header);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, on_data);
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, on_frame_recv);
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, on_stream_close);
    nghttp2_session_server_new(&session_, callbacks, this);
    nghttp2_session_callbacks_del(callbacks);
    std::vector<nghttp2_settings_entry> settings;
    if (behavior_.max_concurrent_streams > 0) {
      settings.push_back(
          {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, behavior_.max_concurrent_streams});
    }
    nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, settings.data(), settings.size());
  }
  ~InMemoryHttp2Server() { nghttp2_session_del(session_); }
  InMemoryHttp2Server(const InMemoryHttp2Server&) = delete;
  InMemoryHttp2Server& operator=(const InMemoryHttp2Server&) = delete;

  // Bytes the client wrote. False when nghttp2 rejects them.
  bool receive(std::string_view bytes) {
    const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
    return nghttp2_session_mem_recv(session_, data, bytes.size()) ==
           static_cast<ssize_t>(bytes.size());
  }

  // Everything the server has to write now.
  std::string take_output() {
    std::string output;
    const uint8_t* data = nullptr;
    for (ssize_t length; (length = nghttp2_session_mem_send(session_, &data)) > 0;) {
      output.append(reinterpret_cast<const char*>(data), static_cast<size_t>(length));
    }
    return output;
  }

  // Answers the requests held back by Http2ServerBehavior::hold.
  void release() {
    behavior_.hold = false;
    for (int32_t stream_id : held_) answer(stream_id);
    held_.clear();
  }

  const std::map<int32_t, SeenHttp2Request>& requests() const { return requests_; }
  size_t most_streams_open() const { return most_open_; }

 private:
  struct Response {
    std::string body;
    size_t sent = 0;
  };

  static InMemoryHttp2Server& of(void* user_data) {
    return *static_cast<InMemoryHttp2Server*>(user_data);
  }

  static int on_begin_headers(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
    InMemoryHttp2Server& server = of(user_data);
    server.requests_[frame->hd.stream_id];
    ++server.open_;
    server.most_open_ = std::max(server.most_open_, server.open_);
    return 0;
  }

  static int on_header(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name,
                       size_t name_length, const uint8_t* value, size_t value_length, uint8_t,
                       void* user_data) {
    std::string key(reinterpret_cast<const char*>(name), name_length);
    std::string text(reinterpret_cast<const char*>(value), value_length);
    of(user_data).requests_[frame->hd.stream_id].headers[key] = text;
    return 0;
  }

  static int on_data(nghttp2_session*, uint8_t, int32_t stream_id, const uint8_t* data,
                     size_t length, void* user_data) {
    of(user_data).requests_[stream_id].body.append(reinterpret_cast<const char*>(data), length);
    return 0;
  }

  static int on_frame_recv(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
    InMemoryHttp2Server& server = of(user_data);
    const int32_t stream_id = frame->hd.stream_id;
    if (frame->hd.type == NGHTTP2_RST_STREAM) {
      server.requests_[stream_id].reset_code = frame->rst_stream.error_code;
      return 0;
    }
    const bool request_part = frame->hd.type == NGHTTP2_HEADERS || frame->hd.type == NGHTTP2_DATA;
    if (!request_part || !(frame->hd.flags & NGHTTP2_FLAG_END_STREAM)) return 0;
    server.requests_[stream_id].complete = true;
    if (server.behavior_.hold) {
      server.held_.push_back(stream_id);
    } else {
      server.answer(stream_id);
    }
    return 0;
  }

  static int on_stream_close(nghttp2_session*, int32_t, uint32_t, void* user_data) {
    --of(user_data).open_;
    return 0;
  }

  static ssize_t read_body(nghttp2_session*, int32_t, uint8_t* buffer, size_t length,
                           uint32_t* flags, nghttp2_data_source* source, void*) {
    auto* response = static_cast<Response*>(source->ptr);
    const size_t piece = std::min(length, response->body.size() - response->sent);
    std::memcpy(buffer, response->body.data() + response->sent, piece);
    response->sent += piece;
    if (response->sent == response->body.size()) *flags |= NGHTTP2_DATA_FLAG_EOF;
    return static_cast<ssize_t>(piece);
  }

  void answer(int32_t stream_id) {
    const int32_t last = behavior_.goaway_last_stream_id;
    if (last >= 0 && !goaway_sent_) {
      nghttp2_submit_goaway(session_, NGHTTP2_FLAG_NONE, last, NGHTTP2_NO_ERROR, nullptr, 0);
      goaway_sent_ = true;
    }
    if (last >= 0 && stream_id > last) return;  // the client refuses it on GOAWAY
    if (behavior_.reset_streams.count(stream_id) > 0) {
      nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, stream_id, NGHTTP2_INTERNAL_ERROR);
      return;
    }
    submit_response(stream_id);
  }

  void submit_response(int32_t stream_id) {
    const bool head = requests_[stream_id].headers[":method"] == "HEAD";
    Response& response = responses_[stream_id];
    response.body.assign(head ? 0 : behavior_.body_size, 'x');
    status_text_ = std::to_string(behavior_.status);
    length_text_ = std::to_string(behavior_.body_size);
    std::vector<nghttp2_nv> fields;
    if (!behavior_.omit_status) fields.push_back(field(":status", status_text_));
    fields.push_back(field("content-length", length_text_));
    nghttp2_data_provider provider{};
    provider.source.ptr = &response;
    provider.read_callback = read_body;
    const bool with_body = !response.body.empty();
    // nghttp2 copies the fields (no NO_COPY flags), so the texts may change afterwards.
    nghttp2_submit_response(session_, stream_id, fields.data(), fields.size(),
                            with_body ? &provider : nullptr);
  }

  static nghttp2_nv field(std::string_view name, const std::string& value) {
    auto* name_bytes = reinterpret_cast<uint8_t*>(const_cast<char*>(name.data()));
    auto* value_bytes = reinterpret_cast<uint8_t*>(const_cast<char*>(value.data()));
    return {name_bytes, value_bytes, name.size(), value.size(), NGHTTP2_NV_FLAG_NONE};
  }

  Http2ServerBehavior behavior_;
  nghttp2_session* session_ = nullptr;
  std::map<int32_t, SeenHttp2Request> requests_;
  std::map<int32_t, Response> responses_;  // map nodes stay put while nghttp2 reads them
  std::vector<int32_t> held_;
  std::string status_text_;
  std::string length_text_;
  size_t open_ = 0;
  size_t most_open_ = 0;
  bool goaway_sent_ = false;
};

}  // namespace strest
