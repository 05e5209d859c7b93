#pragma once
// HTTP/1.1 on one connection: one request at a time, its bytes prebuilt (RequestTemplate), the
// response found by ResponseParser. No I/O of its own: the TCP session writes what
// next_output() gives and feeds what it reads, as it does for the HTTP/2 codec.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "http/request_builder.h"
#include "http/response_parser.h"
#include "net/session.h"

namespace strest {

class Http1Codec final : private ResponseSink {
 public:
  // What the connection may do after feed() or peer_closed().
  enum class Next {
    kContinue,  // response incomplete, or complete and the connection is reusable
    kClose,     // response complete (reported), the connection must not be reused
    kFailed,    // the request failed (reported through on_stream_failed); close
  };

  Http1Codec(SessionListener& listener, const std::vector<RequestTemplate>& requests, bool head);

  // Starts slot's request (the previous one must be complete).
  void submit(uint32_t slot, uint32_t variant, uint64_t sequence);
  // Starts slot's request built for it alone, written as HTTP/1.1 in `form`.
  void submit_built(uint32_t slot, const RequestParts& request, const Http1Form& form);
  // Hands the listener the header fields and/or body bytes of every response from now on.
  void capture(bool headers, bool body) { parser_.capture(this, headers, body); }
  bool busy() const { return busy_; }
  uint32_t slot() const { return slot_; }
  // The request bytes not written yet ("" when all are out).
  std::string_view next_output() const { return std::string_view(*request_).substr(written_); }
  // `count` more bytes were written; reports on_request_sent when the last one is out.
  void wrote(size_t count, int64_t now);
  // Bytes read for the current request (read without one: the stream is out of step).
  Next feed(const char* data, size_t size, int64_t now);
  // The peer closed the connection: completes a close-delimited body or fails the request.
  Next peer_closed(int64_t now);
  // Forgets the current request without reporting it.
  void drop() { busy_ = false; }

 private:
  void start(uint32_t slot, bool head);
  void on_header(std::string_view name, std::string_view value) override {
    listener_.on_response_header(slot_, name, value);
  }
  void on_body(std::string_view data) override { listener_.on_response_body(slot_, data); }
  Next complete(bool reusable, int64_t now);
  Next fail(TransportError kind, int64_t now);

  SessionListener& listener_;
  const std::vector<RequestTemplate>& requests_;
  const bool head_;
  ResponseParser parser_;
  const std::string* request_;  // a shared template's bytes, or own_request_
  std::string own_request_;     // the request with its id, when ids are sent
  size_t written_ = 0;
  uint64_t bytes_in_ = 0;
  uint32_t slot_ = 0;
  bool busy_ = false;
};

}  // namespace strest
