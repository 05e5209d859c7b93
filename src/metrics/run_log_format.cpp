#include "metrics/run_log_format.h"

namespace strest {

namespace {

template <typename T>
void put(uint8_t*& out, T value) {
  for (size_t i = 0; i < sizeof(T); ++i) {
    *out++ = static_cast<uint8_t>(static_cast<uint64_t>(value) >> (8 * i));
  }
}

template <typename T>
T get(const uint8_t*& in) {
  uint64_t value = 0;
  for (size_t i = 0; i < sizeof(T); ++i) value |= static_cast<uint64_t>(*in++) << (8 * i);
  return static_cast<T>(value);
}

}  // namespace

void encode_header(const RunLogHeader& header, uint8_t out[kRunLogHeaderBytes]) {
  std::memcpy(out, kRunLogMagic, sizeof kRunLogMagic);
  uint8_t* at = out + sizeof kRunLogMagic;
  put(at, header.version);
  put(at, header.record_bytes);
  put(at, header.flags);
  put(at, header.run_start_unix_us);
  put(at, header.reserved);
}

bool decode_header(const uint8_t in[kRunLogHeaderBytes], RunLogHeader& header) {
  if (std::memcmp(in, kRunLogMagic, sizeof kRunLogMagic) != 0) return false;
  const uint8_t* at = in + sizeof kRunLogMagic;
  header.version = get<uint16_t>(at);
  header.record_bytes = get<uint16_t>(at);
  header.flags = get<uint32_t>(at);
  header.run_start_unix_us = get<int64_t>(at);
  header.reserved = get<uint64_t>(at);
  return true;
}

void encode_record(const RunLogRecord& record, uint8_t out[kRunLogRecordBytes]) {
  uint8_t* at = out;
  put(at, record.sequence);
  put(at, record.start_us);
  put(at, record.latency_us);
  put(at, record.service_us);
  put(at, record.bytes);
  put(at, record.status);
  put(at, static_cast<uint8_t>(record.outcome));
  put(at, record.error_kind);
  put(at, record.worker);
  put(at, record.step);
  put(at, record.send_delay_us);
}

RunLogRecord decode_record(const uint8_t in[kRunLogRecordBytes]) {
  const uint8_t* at = in;
  RunLogRecord record;
  record.sequence = get<uint64_t>(at);
  record.start_us = get<int64_t>(at);
  record.latency_us = get<uint32_t>(at);
  record.service_us = get<uint32_t>(at);
  record.bytes = get<uint32_t>(at);
  record.status = get<uint16_t>(at);
  record.outcome = static_cast<LoggedOutcome>(get<uint8_t>(at));
  record.error_kind = get<uint8_t>(at);
  record.worker = get<uint16_t>(at);
  record.step = get<uint16_t>(at);
  record.send_delay_us = get<uint32_t>(at);
  return record;
}

}  // namespace strest
