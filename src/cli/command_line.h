#pragma once
// The command line as main sees it: argv plus the config file, turned into what to do next and,
// for a run, a validated Plan. Nothing is sent before this has succeeded.
#include <ostream>
#include <string>

#include "plan/plan.h"

namespace strest {

// What main should do next, with everything it needs to do it.
struct ParsedCommand {
  enum class Mode {
    kRun,     // load-test plan.url
    kDemo,    // start the built-in target, then load-test demo_path on it (main sets plan.url)
    kTarget,  // serve the built-in target on target_listen until stopped
    kExit,    // --help, --version or an error: exit with exit_code, the text is already out
  };
  Mode mode = Mode::kExit;
  Plan plan;
  int exit_code = 0;
  std::string target_listen = "127.0.0.1:0";
  std::string demo_path = "/";
};

// Parses `strest [flags]`, `strest demo [flags]` or `strest target [--listen HOST:PORT]`.
// --help and --version print to out (exit code 0); an error prints one line starting with
// "strest: error: " to err, naming the flag, key or file and the fix (exit code 2).
ParsedCommand parse_command_line(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace strest
