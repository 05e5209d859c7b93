#include "plan/duration.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>

namespace strest {
namespace {

constexpr int64_t kMillisecond = 1000;
constexpr int64_t kSecond = 1000 * kMillisecond;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
// Fraction digits kept: 9 digits times an hour in micros still fits in int64.
constexpr size_t kMaxFractionDigits = 9;

struct Unit {
  std::string_view suffix;
  int64_t micros;
};

constexpr Unit kUnits[] = {
    {"", kSecond}, {"ms", kMillisecond}, {"s", kSecond}, {"m", kMinute}, {"h", kHour}};

Error invalid(std::string_view text) {
  return Error{"invalid duration '" + std::string(text) +
               "': use a number with an optional unit ms, s, m or h (e.g. 250ms, 10s, 1.5m); "
               "a bare number is seconds"};
}

Error too_large(std::string_view text) {
  return Error{"duration '" + std::string(text) + "' is too large"};
}

std::string_view trim(std::string_view text) {
  auto begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

const Unit* find_unit(std::string_view suffix) {
  for (const Unit& unit : kUnits) {
    if (unit.suffix == suffix) return &unit;
  }
  return nullptr;
}

bool all_digits(std::string_view text) {
  return text.find_first_not_of("0123456789") == std::string_view::npos;
}

// Whole part times the unit, or nullopt on overflow.
std::optional<int64_t> scaled_whole(std::string_view digits, int64_t unit) {
  int64_t whole = 0;
  for (char c : digits) {
    int64_t digit = c - '0';
    if (whole > (kMax - digit) / 10) return std::nullopt;
    whole = whole * 10 + digit;
  }
  if (whole > kMax / unit) return std::nullopt;
  return whole * unit;
}

// The fraction's share of one unit, truncated to whole microseconds.
int64_t scaled_fraction(std::string_view digits, int64_t unit) {
  digits = digits.substr(0, kMaxFractionDigits);
  int64_t fraction = 0;
  int64_t scale = 1;
  for (char c : digits) {
    fraction = fraction * 10 + (c - '0');
    scale *= 10;
  }
  return fraction * unit / scale;
}

// "<whole>.<fraction><suffix>" with trailing zeros of the fraction dropped.
std::string decimal(int64_t value, int64_t unit, int width, std::string_view suffix) {
  std::string text = std::to_string(value / unit);
  std::string fraction = std::to_string(value % unit);
  fraction.insert(0, static_cast<size_t>(width) - fraction.size(), '0');
  fraction.erase(fraction.find_last_not_of('0') + 1);
  if (!fraction.empty()) text += "." + fraction;
  return text + std::string(suffix);
}

}  // namespace

Result<Micros> parse_duration(std::string_view text) {
  std::string_view body = trim(text);
  if (body.empty()) return Error{"empty duration: use e.g. 10s or 250ms"};
  if (body.front() == '-') return Error{"duration '" + std::string(body) + "' is negative"};
  auto number_end = std::min(body.find_first_not_of("0123456789."), body.size());
  std::string_view number = body.substr(0, number_end);
  const Unit* unit = find_unit(body.substr(number_end));
  auto dot = number.find('.');
  std::string_view whole = number.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? "" : number.substr(dot + 1);
  if (unit == nullptr || whole.size() + fraction.size() == 0 || !all_digits(fraction)) {
    return invalid(body);
  }
  auto micros = scaled_whole(whole, unit->micros);
  if (!micros) return too_large(body);
  int64_t extra = scaled_fraction(fraction, unit->micros);
  if (*micros > kMax - extra) return too_large(body);
  return Micros(*micros + extra);
}

std::string format_duration(Micros duration) {
  int64_t micros = duration.count();
  if (micros < 0) return "-" + format_duration(Micros(micros == -kMax - 1 ? kMax : -micros));
  if (micros == 0) return "0s";
  if (micros % kHour == 0) return std::to_string(micros / kHour) + "h";
  if (micros % kMinute == 0) return std::to_string(micros / kMinute) + "m";
  if (micros >= kSecond) return decimal(micros, kSecond, 6, "s");
  return decimal(micros, kMillisecond, 3, "ms");
}

}  // namespace strest
