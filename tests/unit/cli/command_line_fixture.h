#pragma once
// A fixture for parse_command_line tests: runs in a fresh empty folder (so no strest.toml is
// found by accident), parses argv as the binary would, and checks the one-line error contract.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command_line.h"
#include "in_temp_dir_test.h"

namespace strest {

// Sets an environment variable (or unsets it, for nullopt) for one test and puts the old value
// back.
class EnvVarGuard {
 public:
  EnvVarGuard(const char* name, const std::optional<std::string>& value) : name_(name) {
    const char* old = std::getenv(name);
    if (old != nullptr) old_ = old;
    set(value);
  }
  ~EnvVarGuard() { set(old_); }
  EnvVarGuard(const EnvVarGuard&) = delete;
  EnvVarGuard& operator=(const EnvVarGuard&) = delete;

 private:
  void set(const std::optional<std::string>& value) {
    if (value) {
      setenv(name_, value->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }
  const char* name_;
  std::optional<std::string> old_;
};

// $HOME for one test.
class HomeGuard : public EnvVarGuard {
 public:
  explicit HomeGuard(const std::optional<std::string>& home) : EnvVarGuard("HOME", home) {}
};

class CommandLineFixture : public InTempDirTest {
 protected:
  struct Outcome {
    ParsedCommand command;
    std::string out;
    std::string err;
  };

  static Outcome parse(std::vector<std::string> args) {
    args.insert(args.begin(), "strest");
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    std::ostringstream out, err;
    ParsedCommand command =
        parse_command_line(static_cast<int>(args.size()), argv.data(), out, err);
    return {std::move(command), out.str(), err.str()};
  }

  // The command of a parse that must succeed in `mode`.
  static ParsedCommand command_of(std::vector<std::string> args, ParsedCommand::Mode mode) {
    Outcome outcome = parse(std::move(args));
    EXPECT_EQ(outcome.command.mode, mode) << outcome.err;
    EXPECT_EQ(outcome.err, "");
    return outcome.command;
  }

  // The message after "strest: error: "; the parse must fail with exit code 2 and one line.
  static std::string error_of(std::vector<std::string> args) {
    Outcome outcome = parse(std::move(args));
    EXPECT_EQ(outcome.command.mode, ParsedCommand::Mode::kExit);
    EXPECT_EQ(outcome.command.exit_code, 2);
    EXPECT_EQ(outcome.out, "");
    const std::string prefix = "strest: error: ";
    EXPECT_EQ(outcome.err.rfind(prefix, 0), 0u) << outcome.err;
    EXPECT_EQ(std::count(outcome.err.begin(), outcome.err.end(), '\n'), 1) << outcome.err;
    if (outcome.err.size() < prefix.size() + 1) return outcome.err;
    return outcome.err.substr(prefix.size(), outcome.err.size() - prefix.size() - 1);
  }
};

}  // namespace strest
