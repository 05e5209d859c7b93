#include "net/http1_codec.h"

namespace strest {

namespace {
const std::string kNothing;
}  // namespace

Http1Codec::Http1Codec(SessionListener& listener, const std::vector<RequestTemplate>& requests,
                       bool head)
    : listener_(listener), requests_(requests), head_(head), request_(&kNothing) {}

void Http1Codec::submit(uint32_t slot, uint32_t variant, uint64_t sequence) {
  const RequestTemplate& request = requests_[variant];
  if (request.has_id()) {
    request.fill(sequence, own_request_);
    request_ = &own_request_;
  } else {
    request_ = &request.bytes;
  }
  start(slot, head_);
}

void Http1Codec::submit_built(uint32_t slot, const RequestParts& request, const Http1Form& form) {
  write_http1_request(request, form, own_request_);
  request_ = &own_request_;
  start(slot, request.method == "HEAD");
}

void Http1Codec::start(uint32_t slot, bool head) {
  slot_ = slot;
  written_ = 0;
  bytes_in_ = 0;
  busy_ = true;
  parser_.reset(head);
}

void Http1Codec::wrote(size_t count, int64_t now) {
  written_ += count;
  if (written_ == request_->size()) listener_.on_request_sent(slot_, request_->size(), now);
}

Http1Codec::Next Http1Codec::feed(const char* data, size_t size, int64_t now) {
  // Bytes with no request waiting answer nothing: the stream is out of step.
  if (!busy_) return Next::kClose;
  if (!parser_.started()) listener_.on_first_byte(slot_, now);
  bytes_in_ += size;
  const auto progress = parser_.feed(data, size);
  switch (progress.state) {
    case ResponseParser::State::kComplete:
      // Bytes past the response answer no request: start afresh on a new connection.
      return complete(progress.consumed == size && parser_.keep_alive(), now);
    case ResponseParser::State::kError:
      return fail(TransportError::kMalformed, now);
    case ResponseParser::State::kIncomplete:
      break;
  }
  return Next::kContinue;
}

Http1Codec::Next Http1Codec::peer_closed(int64_t now) {
  if (!busy_) return Next::kClose;
  if (parser_.finish() == ResponseParser::State::kComplete) return complete(false, now);
  return fail(TransportError::kClosedEarly, now);
}

Http1Codec::Next Http1Codec::complete(bool reusable, int64_t now) {
  busy_ = false;
  listener_.on_response(slot_, parser_.status(), bytes_in_, now);
  return reusable ? Next::kContinue : Next::kClose;
}

Http1Codec::Next Http1Codec::fail(TransportError kind, int64_t now) {
  busy_ = false;
  listener_.on_stream_failed(slot_, kind, bytes_in_, "", now);
  return Next::kFailed;
}

}  // namespace strest
