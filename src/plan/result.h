#pragma once
// A value or a one-line error message. Used at the edges (CLI, config, files, start-up)
// where the caller reports the message to the user; hot paths use plain status enums.
#include <string>
#include <utility>
#include <variant>

namespace strest {

struct Error {
  std::string message;
};

template <typename T>
class Result {
 public:
  Result(T value) : data_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : data_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(data_); }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<T>(data_); }
  const T& value() const { return std::get<T>(data_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const std::string& error() const { return std::get<Error>(data_).message; }

 private:
  std::variant<T, Error> data_;
};

// Result for operations that only succeed or fail.
struct Ok {};
using Status = Result<Ok>;

}  // namespace strest
