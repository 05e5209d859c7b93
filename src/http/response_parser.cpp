#include "http/response_parser.h"

namespace strest {

namespace {
bool is_interim(int status) { return status >= 100 && status < 200 && status != 101; }
}  // namespace

const http_parser_settings ResponseParser::kSettings = [] {
  http_parser_settings settings{};
  settings.on_headers_complete = &ResponseParser::on_headers_complete;
  settings.on_message_complete = &ResponseParser::on_message_complete;
  return settings;
}();

const http_parser_settings ResponseParser::kCaptureSettings = [] {
  http_parser_settings settings = kSettings;
  settings.on_header_field = &ResponseParser::on_header_field;
  settings.on_header_value = &ResponseParser::on_header_value;
  settings.on_body = &ResponseParser::on_body;
  return settings;
}();

ResponseParser::ResponseParser() { reset(false); }

void ResponseParser::capture(ResponseSink* sink, bool headers, bool body) {
  sink_ = sink;
  capture_headers_ = sink != nullptr && headers;
  capture_body_ = sink != nullptr && body;
  settings_ = capture_headers_ || capture_body_ ? &kCaptureSettings : &kSettings;
}

// A field ends when the next name starts or the head ends; interim (1xx) heads are skipped.
void ResponseParser::flush_field() {
  if (in_value_ && capture_headers_ && !is_interim(static_cast<int>(parser_.status_code))) {
    sink_->on_header(field_, value_);
  }
  in_value_ = false;
  field_.clear();
  value_.clear();
}

int ResponseParser::on_header_field(http_parser* parser, const char* at, size_t length) {
  auto* self = static_cast<ResponseParser*>(parser->data);
  if (self->in_value_) self->flush_field();
  self->field_.append(at, length);
  return 0;
}

int ResponseParser::on_header_value(http_parser* parser, const char* at, size_t length) {
  auto* self = static_cast<ResponseParser*>(parser->data);
  self->in_value_ = true;
  self->value_.append(at, length);
  return 0;
}

int ResponseParser::on_body(http_parser* parser, const char* at, size_t length) {
  auto* self = static_cast<ResponseParser*>(parser->data);
  if (self->capture_body_) self->sink_->on_body(std::string_view(at, length));
  return 0;
}

void ResponseParser::reset(bool head) {
  http_parser_init(&parser_, HTTP_RESPONSE);
  parser_.data = this;
  head_ = head;
  complete_ = false;
  started_ = false;
  keep_alive_ = true;
  status_ = 0;
  in_value_ = false;
  field_.clear();
  value_.clear();
}

int ResponseParser::on_headers_complete(http_parser* parser) {
  auto* self = static_cast<ResponseParser*>(parser->data);
  if (self->settings_ == &kCaptureSettings) self->flush_field();
  // Returning 1 tells http-parser that no body follows (HEAD responses carry none).
  return self->head_ && !is_interim(static_cast<int>(parser->status_code)) ? 1 : 0;
}

int ResponseParser::on_message_complete(http_parser* parser) {
  auto* self = static_cast<ResponseParser*>(parser->data);
  const int status = static_cast<int>(parser->status_code);
  if (is_interim(status)) return 0;  // 100 Continue and friends: the real response follows
  self->status_ = status;
  self->keep_alive_ = http_should_keep_alive(parser) != 0;
  self->complete_ = true;
  http_parser_pause(parser, 1);  // stop here: later bytes are not part of this response
  return 0;
}

ResponseParser::Progress ResponseParser::feed(const char* data, size_t length) {
  if (length > 0) started_ = true;
  const size_t consumed = http_parser_execute(&parser_, settings_, data, length);
  if (complete_) return {State::kComplete, consumed};
  const auto error = HTTP_PARSER_ERRNO(&parser_);
  if (error != HPE_OK) return {State::kError, consumed};
  return {State::kIncomplete, consumed};
}

ResponseParser::State ResponseParser::finish() {
  if (complete_) return State::kComplete;
  if (!started_) return State::kError;
  http_parser_execute(&parser_, settings_, nullptr, 0);
  if (complete_) {
    keep_alive_ = false;
    return State::kComplete;
  }
  return State::kError;
}

}  // namespace strest
