#pragma once
// Writes a run log file by hand, the way RunLogWriter lays it out (header, then records), for
// tests that read, export or replay a recording.
#include <cstdio>
#include <string>
#include <vector>

#include "metrics/run_log_format.h"

namespace strest {

inline void write_run_log_file(const std::string& path, const RunLogHeader& header,
                               const std::vector<RunLogRecord>& records) {
  uint8_t header_bytes[kRunLogHeaderBytes];
  encode_header(header, header_bytes);
  std::FILE* file = std::fopen(path.c_str(), "wb");
  std::fwrite(header_bytes, 1, sizeof header_bytes, file);
  for (const RunLogRecord& record : records) {
    uint8_t bytes[kRunLogRecordBytes];
    encode_record(record, bytes);
    std::fwrite(bytes, 1, sizeof bytes, file);
  }
  std::fclose(file);
}

}  // namespace strest
