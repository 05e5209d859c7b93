#pragma once
// Incremental HTTP/1.1 response parser on top of http-parser (the parser wrk uses). It keeps
// no body bytes: it only finds where one response ends and what its status was, across reads
// split at any byte. Handles Content-Length, chunked and close-delimited bodies, bodiless
// responses (HEAD, 1xx, 204, 304) and skips interim 1xx responses.
#include <http_parser.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace strest {

// Where a capturing parser hands the final response's header fields and body bytes.
class ResponseSink {
 public:
  virtual void on_header(std::string_view name, std::string_view value) = 0;
  virtual void on_body(std::string_view data) = 0;

 protected:
  ~ResponseSink() = default;
};

class ResponseParser {
 public:
  enum class State { kIncomplete, kComplete, kError };

  struct Progress {
    State state;
    size_t consumed;  // bytes of the input that belong to this response
  };

  ResponseParser();

  // Starts a new response; `head` means the request was HEAD (no body follows).
  void reset(bool head);
  // From now on, hands header fields (when `headers`) and body bytes (when `body`) to `sink`;
  // a parser without a sink keeps nothing, as plain runs need.
  void capture(ResponseSink* sink, bool headers, bool body);
  // Feeds the next bytes. After kComplete, bytes past `consumed` belong to no request.
  Progress feed(const char* data, size_t length);
  // The peer closed the connection: completes a close-delimited body, else kError/kIncomplete.
  State finish();

  int status() const { return status_; }
  // Whether the connection may carry another request (valid after kComplete).
  bool keep_alive() const { return keep_alive_; }
  // Whether any byte of a response has been seen since reset().
  bool started() const { return started_; }

 private:
  static int on_headers_complete(http_parser* parser);
  static int on_message_complete(http_parser* parser);
  static int on_header_field(http_parser* parser, const char* at, size_t length);
  static int on_header_value(http_parser* parser, const char* at, size_t length);
  static int on_body(http_parser* parser, const char* at, size_t length);
  void flush_field();
  static const http_parser_settings kSettings;
  static const http_parser_settings kCaptureSettings;

  const http_parser_settings* settings_ = &kSettings;
  ResponseSink* sink_ = nullptr;
  bool capture_headers_ = false;
  bool capture_body_ = false;
  bool in_value_ = false;  // the field being read has reached its value
  std::string field_;      // a header name and value may arrive split across reads
  std::string value_;
  http_parser parser_{};
  bool head_ = false;
  bool complete_ = false;
  bool started_ = false;
  bool keep_alive_ = true;
  int status_ = 0;
};

}  // namespace strest
