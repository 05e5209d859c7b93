#include "demo_target/scenario_auth.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <random>

namespace strest {
namespace {

constexpr std::string_view kTokenPrefix = "tok-";
constexpr std::string_view kSessionPrefix = "sess-";
constexpr size_t kCheckDigits = 16;

// The per-process secret, drawn once.
uint64_t secret() {
  static const uint64_t value = [] {
    std::random_device device;
    return (uint64_t{device()} << 32) ^ device();
  }();
  return value;
}

// splitmix64's finalizer: every input bit affects every output bit.
uint64_t mix(uint64_t h) {
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

// A keyed hash of (prefix, user, login): FNV-1a over the text, then mixed with the secret.
uint64_t check_value(std::string_view prefix, std::string_view user, uint64_t login) {
  uint64_t h = 0xcbf29ce484222325ULL ^ secret();
  for (std::string_view part : {prefix, std::string_view("\0", 1), user}) {
    for (char c : part) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  }
  return mix(mix(h ^ login) ^ secret());
}

std::string issue(std::string_view prefix, std::string_view user, uint64_t login) {
  char check[kCheckDigits];
  std::fill(std::begin(check), std::end(check), '0');
  uint64_t value = check_value(prefix, user, login);
  for (size_t i = kCheckDigits; i-- > 0; value >>= 4) check[i] = "0123456789abcdef"[value & 15];
  std::string out(prefix);
  out += user;
  out += '-';
  out += std::to_string(login);
  out += '-';
  out.append(check, kCheckDigits);
  return out;
}

// Parses "<prefix><user>-<login>-<check>" from the right (users may contain '-') and recomputes
// the check.
std::optional<LoginIdentity> check(std::string_view prefix, std::string_view text) {
  if (!text.starts_with(prefix)) return {};
  text.remove_prefix(prefix.size());
  size_t check_dash = text.rfind('-');
  if (check_dash == text.npos || check_dash == 0) return {};
  size_t login_dash = text.rfind('-', check_dash - 1);
  if (login_dash == text.npos) return {};
  std::string_view user = text.substr(0, login_dash);
  std::string_view login_text = text.substr(login_dash + 1, check_dash - login_dash - 1);
  uint64_t login = 0;
  auto [end, error] =
      std::from_chars(login_text.data(), login_text.data() + login_text.size(), login);
  if (error != std::errc() || end != login_text.data() + login_text.size() ||
      !valid_login_user(user)) {
    return {};
  }
  if (issue(prefix, user, login).substr(prefix.size()) != text) return {};
  return LoginIdentity{user, login};
}

}  // namespace

bool valid_login_user(std::string_view user) {
  return !user.empty() && user.size() <= kMaxLoginUser &&
         std::all_of(user.begin(), user.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '.' || c == '@' || c == '-';
         });
}

uint64_t next_login_number() {
  static std::atomic<uint64_t> logins{0};
  return logins.fetch_add(1, std::memory_order_relaxed) + 1;
}

std::string issue_token(std::string_view user, uint64_t login) {
  return issue(kTokenPrefix, user, login);
}

std::string issue_session(std::string_view user, uint64_t login) {
  return issue(kSessionPrefix, user, login);
}

std::optional<LoginIdentity> check_token(std::string_view token) {
  return check(kTokenPrefix, token);
}

std::optional<LoginIdentity> check_session(std::string_view session) {
  return check(kSessionPrefix, session);
}

}  // namespace strest
