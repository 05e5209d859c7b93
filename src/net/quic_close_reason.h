#pragma once
// Words for the error a QUIC CONNECTION_CLOSE carries, for the run summary.
#include <ngtcp2/ngtcp2.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace strest {

// "PROTOCOL_VIOLATION (0xa)", "H3_INTERNAL_ERROR (0x102)", "TLS alert bad_certificate (0x12a)",
// followed by ": <reason>" when the peer gave a reason phrase.
std::string describe_close(const ngtcp2_connection_close_error& error);

// The HTTP/3 error code's name ("H3_REQUEST_CANCELLED"), or "" for codes outside RFC 9114.
std::string_view http3_error_name(uint64_t code);

// True for a CONNECTION_CLOSE that says all is well (NO_ERROR or H3_NO_ERROR).
bool is_graceful_close(const ngtcp2_connection_close_error& error);

}  // namespace strest
