#pragma once
// The run log's on-disk format (documented for users in docs/run-log.md): a 32-byte header,
// then one fixed-size little-endian record per completed request, in the order the writer
// received them (per worker: completion order). A file whose size is not header + k records
// was cut short (crash, SIGKILL): readers use the k whole records and warn.
#include <cstdint>
#include <cstring>

namespace strest {

inline constexpr char kRunLogMagic[8] = {'S', 'T', 'R', 'E', 'S', 'T', 'L', 'G'};
inline constexpr uint16_t kRunLogVersion = 1;
inline constexpr size_t kRunLogHeaderBytes = 32;
inline constexpr size_t kRunLogRecordBytes = 40;
inline constexpr const char* kRunLogExtension = ".srl";

// Outcome codes in a record (stable on disk; do not renumber).
enum class LoggedOutcome : uint8_t {
  kOk = 0,
  kNonExpectedStatus = 1,
  kTimeout = 2,
  kTransport = 3
};

struct RunLogHeader {
  uint16_t version = kRunLogVersion;
  uint16_t record_bytes = kRunLogRecordBytes;
  uint32_t flags = 0;             // bit 0: open loop (latency is corrected, service_us differs)
  int64_t run_start_unix_us = 0;  // wall-clock time of the run's start
  uint64_t reserved = 0;
};
inline constexpr uint32_t kRunLogOpenLoop = 1;

// One completed request.
struct RunLogRecord {
  uint64_t sequence = 0;    // the request's number in the run (its --request-id-header value)
  int64_t start_us = 0;     // start since the run began: intended time (open loop) or issue time
  uint32_t latency_us = 0;  // corrected latency in open loop; 0 when there was no response
  uint32_t service_us = 0;  // from the actual send; equals latency_us in the closed loop
  uint32_t bytes = 0;       // response bytes received
  uint16_t status = 0;      // HTTP status, 0 when there was no response
  LoggedOutcome outcome = LoggedOutcome::kOk;
  uint8_t error_kind = 0;  // TransportError or TimeoutKind value for those outcomes
  uint16_t worker = 0;
  uint16_t step = 0;  // scenario step (0 until scenarios exist)
  uint32_t reserved = 0;
};

// Explicit little-endian packing, so files move between machines unchanged.
void encode_header(const RunLogHeader& header, uint8_t out[kRunLogHeaderBytes]);
bool decode_header(const uint8_t in[kRunLogHeaderBytes], RunLogHeader& header);
void encode_record(const RunLogRecord& record, uint8_t out[kRunLogRecordBytes]);
RunLogRecord decode_record(const uint8_t in[kRunLogRecordBytes]);

}  // namespace strest
