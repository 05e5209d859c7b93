#pragma once
// Bounds of the Plan's numbers, shared by the settings table (which refuses a flag's value as it
// is read) and validate() (which refuses a Plan built in code).
#include <cstdint>
#include <limits>

namespace strest {

inline constexpr uint64_t kMinStatus = 100;
inline constexpr uint64_t kMaxStatus = 999;
inline constexpr uint64_t kMaxLogShards = 64;
inline constexpr uint64_t kMaxStreamsPerConnection = 10'000;
inline constexpr uint64_t kMaxConnections = std::numeric_limits<uint32_t>::max();

}  // namespace strest
