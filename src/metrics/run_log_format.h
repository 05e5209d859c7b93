#pragma once
// The run log's on-disk format (documented for users in docs/run-log.md): a 32-byte header,
// then fixed-size little-endian records in the order the writer received them (per worker:
// completion order). Most records are completed requests; version 2 adds rare event records
// (outcome kEvent, see run_log_events.h) for what is not a request: connections, phases,
// schedule lag, cancelled requests, error details, how the run ended. A file whose size is not
// header + k records was cut short (crash, SIGKILL): readers use the k whole records and warn.
#include <algorithm>
#include <cstdint>
#include <cstring>

namespace strest {

inline constexpr char kRunLogMagic[8] = {'S', 'T', 'R', 'E', 'S', 'T', 'L', 'G'};
inline constexpr uint16_t kRunLogVersion = 2;
// Version 1 files (requests only, latency 0 without a response) are still read.
inline constexpr uint16_t kRunLogOldestVersion = 1;
inline constexpr size_t kRunLogHeaderBytes = 32;
inline constexpr size_t kRunLogRecordBytes = 40;
inline constexpr const char* kRunLogExtension = ".srl";

// Outcome codes in a record (stable on disk; do not renumber).
enum class LoggedOutcome : uint8_t {
  kOk = 0,
  kNonExpectedStatus = 1,
  kTimeout = 2,
  kTransport = 3,
  kAssertFailed = 4,  // a scenario step's response failed its assert or extract
  kEvent = 255,       // not a request: error_kind holds the RunLogEvent type (version 2)
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
  uint64_t sequence = 0;  // the request's number in the run (its --request-id-header value)
  int64_t start_us = 0;   // start since the run began: intended time (open loop) or issue time
  // Corrected latency in open loop, from the send in closed loop. Timeouts and transport
  // errors (version 2): the time until the error, measured the same way (0 in version 1).
  uint32_t latency_us = 0;
  uint32_t service_us = 0;  // from the actual send; equals latency_us in the closed loop
  uint32_t bytes = 0;       // response bytes received
  uint16_t status = 0;      // HTTP status, 0 when there was no response
  LoggedOutcome outcome = LoggedOutcome::kOk;
  uint8_t error_kind = 0;  // TransportError or TimeoutKind value for those outcomes
  uint16_t worker = 0;
  uint16_t step = 0;  // scenario step index, 0-based (0 outside scenarios)
  // Version 2: the send minus the start (a closed-loop request waiting for its connection, an
  // open-loop one for a free slot), so start + send_delay + service is the completion time.
  uint32_t send_delay_us = 0;
};

// When a request ended, in µs since the run began: what decides its tick and second. Version 1
// records have no send delay; their latency (corrected or not) still ends at the completion.
inline int64_t completion_us(const RunLogRecord& r) {
  const int64_t by_service = static_cast<int64_t>(r.send_delay_us) + r.service_us;
  return r.start_us + std::max<int64_t>(r.latency_us, by_service);
}
inline bool is_event(const RunLogRecord& r) { return r.outcome == LoggedOutcome::kEvent; }

// Explicit little-endian packing, so files move between machines unchanged.
void encode_header(const RunLogHeader& header, uint8_t out[kRunLogHeaderBytes]);
bool decode_header(const uint8_t in[kRunLogHeaderBytes], RunLogHeader& header);
void encode_record(const RunLogRecord& record, uint8_t out[kRunLogRecordBytes]);
RunLogRecord decode_record(const uint8_t in[kRunLogRecordBytes]);

}  // namespace strest
