#include "net/quic_close_reason.h"

#include <array>
#include <cstdio>

#include "net/quic_tls.h"

namespace strest {

namespace {

// RFC 9000 section 20.1, in code order.
constexpr std::array<std::string_view, 17> kTransportErrors = {
    "NO_ERROR",
    "INTERNAL_ERROR",
    "CONNECTION_REFUSED",
    "FLOW_CONTROL_ERROR",
    "STREAM_LIMIT_ERROR",
    "STREAM_STATE_ERROR",
    "FINAL_SIZE_ERROR",
    "FRAME_ENCODING_ERROR",
    "TRANSPORT_PARAMETER_ERROR",
    "CONNECTION_ID_LIMIT_ERROR",
    "PROTOCOL_VIOLATION",
    "INVALID_TOKEN",
    "APPLICATION_ERROR",
    "CRYPTO_BUFFER_EXCEEDED",
    "KEY_UPDATE_ERROR",
    "AEAD_LIMIT_REACHED",
    "NO_VIABLE_PATH",
};

// RFC 9114 section 8.1, from 0x100 in code order.
constexpr std::array<std::string_view, 17> kHttp3Errors = {
    "H3_NO_ERROR",
    "H3_GENERAL_PROTOCOL_ERROR",
    "H3_INTERNAL_ERROR",
    "H3_STREAM_CREATION_ERROR",
    "H3_CLOSED_CRITICAL_STREAM",
    "H3_FRAME_UNEXPECTED",
    "H3_FRAME_ERROR",
    "H3_EXCESSIVE_LOAD",
    "H3_ID_ERROR",
    "H3_SETTINGS_ERROR",
    "H3_MISSING_SETTINGS",
    "H3_REQUEST_REJECTED",
    "H3_REQUEST_CANCELLED",
    "H3_REQUEST_INCOMPLETE",
    "H3_MESSAGE_ERROR",
    "H3_CONNECT_ERROR",
    "H3_VERSION_FALLBACK",
};

std::string hex(uint64_t code) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(code));
  return text;
}

std::string transport_error_text(uint64_t code) {
  if (code >= NGTCP2_CRYPTO_ERROR && code <= NGTCP2_CRYPTO_ERROR + 0xff) {
    return "TLS alert " + tls_alert_name(static_cast<uint8_t>(code & 0xff)) + " (" + hex(code) +
           ")";
  }
  if (code < kTransportErrors.size()) {
    return std::string(kTransportErrors[code]) + " (" + hex(code) + ")";
  }
  return "QUIC error " + hex(code);
}

}  // namespace

std::string_view http3_error_name(uint64_t code) {
  if (code < 0x100 || code - 0x100 >= kHttp3Errors.size()) return "";
  return kHttp3Errors[code - 0x100];
}

std::string describe_close(const ngtcp2_connection_close_error& error) {
  std::string text;
  if (error.type == NGTCP2_CONNECTION_CLOSE_ERROR_CODE_TYPE_APPLICATION) {
    const std::string_view name = http3_error_name(error.error_code);
    text = name.empty() ? "application error " + hex(error.error_code)
                        : std::string(name) + " (" + hex(error.error_code) + ")";
  } else {
    text = transport_error_text(error.error_code);
  }
  if (error.reason != nullptr && error.reasonlen > 0) {
    text += ": ";
    text.append(reinterpret_cast<const char*>(error.reason), error.reasonlen);
  }
  return text;
}

bool is_graceful_close(const ngtcp2_connection_close_error& error) {
  if (error.type == NGTCP2_CONNECTION_CLOSE_ERROR_CODE_TYPE_APPLICATION) {
    return error.error_code == 0x100;
  }
  return error.error_code == NGTCP2_NO_ERROR;
}

}  // namespace strest
