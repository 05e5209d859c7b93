#pragma once
// The command line as main sees it: argv plus the config file, turned into what to do next and,
// for a run, a validated Plan. Nothing is sent before this has succeeded.
#include <ostream>
#include <string>

#include "capacity/capacity_result.h"
#include "compare/compare_command.h"
#include "ops/cleanup.h"
#include "ops/systemd_service.h"
#include "plan/plan.h"

namespace strest {

// What main should do next, with everything it needs to do it.
struct ParsedCommand {
  enum class Mode {
    kRun,       // load-test plan.url
    kReplay,    // rebuild the results of a recorded run from plan.replay; nothing is sent
    kDemo,      // start the built-in target, then load-test demo_path on it (main sets plan.url)
    kCapacity,  // search the highest rate of plan.url that holds plan.thresholds (`capacity`)
    kTarget,    // serve the built-in target on target_listen until stopped
    kCleanup,   // delete old run logs as `cleanup` says (ops/cleanup.h)
    kService,   // install or uninstall the systemd unit `service` describes (ops/systemd_service.h)
    kCompare,   // compare two recorded runs as `compare` says (compare/compare_command.h)
    kExit,      // --help, --version or an error: exit with exit_code, the text is already out
  };
  Mode mode = Mode::kExit;
  Plan plan;
  int exit_code = 0;
  std::string target_listen = "127.0.0.1:0";
  std::string demo_path = "/";
  // `strest cleanup`: the folder ("~/" expanded), the age a run log must exceed, and whether
  // to only list (dry run) or delete without asking (force); neither means ask.
  CleanupOptions cleanup;
  // `strest capacity`: the bounds and pace of the search; plan describes every step.
  CapacitySettings capacity;
  // --install-service / --uninstall-service: the unit, the flags it runs with, dry run or not.
  ServiceRequest service;
  // `strest compare A B`: the runs, the delta gates, -o, the confidence and the seed.
  CompareRequest compare;
};

// Parses `strest [flags]`, `strest --replay [flags]`, `strest demo [flags]`,
// `strest capacity --max-rate RPS [capacity flags] [flags]`, `strest target [--listen HOST:PORT]`,
// `strest cleanup [--tmp-path DIR] --older-than DURATION [--dry-run | --force]` or
// `strest compare A B [--threshold GATE]... [-o FILE] [--confidence PCT] [--seed N]`.
// --help and --version print to out (exit code 0); an error prints one line starting with
// "strest: error: " to err, naming the flag, key or file and the fix (exit code 2). Sets the log
// level (log/log.h): STREST_LOG, raised to debug by --verbose; warnings about the config
// (a TLS key for an http:// URL) are logged while parsing.
ParsedCommand parse_command_line(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace strest
