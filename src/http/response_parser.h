#pragma once
// Incremental HTTP/1.1 response parser on top of http-parser (the parser wrk uses). It keeps
// no body bytes: it only finds where one response ends and what its status was, across reads
// split at any byte. Handles Content-Length, chunked and close-delimited bodies, bodiless
// responses (HEAD, 1xx, 204, 304) and skips interim 1xx responses.
#include <http_parser.h>

#include <cstddef>
#include <cstdint>

namespace strest {

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
  static const http_parser_settings kSettings;

  http_parser parser_{};
  bool head_ = false;
  bool complete_ = false;
  bool started_ = false;
  bool keep_alive_ = true;
  int status_ = 0;
};

}  // namespace strest
