#include "cli/commands.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>
#include <vector>

#include "cli/run_exit_code.h"
#include "cli/run_observers.h"
#include "demo_target/target_server.h"
#include "engine/descriptor_limit.h"
#include "engine/engine.h"
#include "engine/stop_signal.h"
#include "http/request_builder.h"
#include "log/log.h"
#include "net/listen_address.h"
#include "replay/replay.h"
#include "report/run_outputs.h"
#include "ui/live_tui.h"
#include "ui/replay_viewer.h"
#include "ui/restore_terminal.h"
#include "ui/terminal.h"

namespace strest {

namespace {

// Debug level (--verbose): what will be sent, and how the work is split, before anything is sent.
void log_plan(const Plan& plan) {
  const auto requests = build_requests(plan);
  log_debug("target " + plan.url.to_string() + ", " + std::to_string(plan.max_tasks) +
            " connection(s) on " + std::to_string(std::min(plan.threads, plan.max_tasks)) +
            " worker thread(s), " + std::to_string(requests.size()) + " request variant(s)");
  const std::string& first = requests.front().bytes;
  const auto head_end = first.find("\r\n\r\n");
  log_debug("request head (" + std::to_string(first.size()) + " bytes in all):\n" +
            first.substr(0, head_end));
}

}  // namespace

int run_load_command(const Plan& plan) {
  if (logs(LogLevel::kDebug)) log_plan(plan);
  if (Status descriptors = ensure_descriptor_limit(plan); !descriptors) {
    std::cerr << "strest: error: " << descriptors.error() << "\n";
    return kExitUsage;
  }
  // The dashboard when stdin and stdout are a terminal, else the progress line on stderr.
  std::unique_ptr<LiveDashboard> dashboard = LiveDashboard::open(plan);
  const RunObservers observers(plan, planned_duration_us(plan),
                               dashboard ? &dashboard->observer() : nullptr);
  auto result = run_load_test(plan, observers.list());
  dashboard.reset();  // the terminal is given back before anything is printed
  if (!result) {
    std::cerr << "strest: error: " << result.error() << "\n";
    return kExitFailure;
  }
  // The summary is printed after the dashboard as after the progress line.
  const bool written = write_run_outputs(*result, plan);
  finish_run_log(*result, plan);
  return exit_code_of(*result, plan, written, observers.threshold_aborted());
}

namespace {

// Timed snapshots (interval, start or end) and -o ask for a replay that writes files: no
// dashboard then. --replay-snapshot-out and -format alone say where the dashboard's `w` writes.
bool replay_viewer_wanted(const Plan& plan) {
  const ReplayOptions& replay = *plan.replay;
  return !plan.no_tui && !plan.output_path && !replay.snapshot_interval && !replay.snapshot_start &&
         !replay.snapshot_end;
}

// Plays the recording in the dashboard when there is a terminal for it.
Status show_replay_viewer(const Plan& plan) {
  std::unique_ptr<Terminal> terminal = Terminal::open();
  if (!terminal) return Ok{};
  set_immediate_exit_hook(&restore_terminal_now);
  Status shown = run_replay_viewer(plan, *terminal);
  terminal.reset();
  set_immediate_exit_hook(nullptr);
  return shown;
}

}  // namespace

int run_replay_command(const Plan& given) {
  // On a terminal the recording plays in the dashboard first; the summary and outputs follow
  // as without it (the dashboard's snapshots were written with `w`, so no other is).
  Plan plan = given;
  if (replay_viewer_wanted(given)) {
    if (Status shown = show_replay_viewer(given); !shown) {
      std::cerr << "strest: error: --replay: " << shown.error() << "\n";
      return kExitFailure;
    }
    plan.replay->snapshot_out.clear();
  }
  const Plan observed = observed_plan(plan);
  const RunObservers observers(observed, std::nullopt);
  auto result = replay_run(plan, observers.list());
  if (!result) {
    std::cerr << "strest: error: --replay: " << result.error() << "\n";
    return kExitFailure;
  }
  const bool written = write_run_outputs(*result, plan);
  // The replay's own log only fed its exports: never kept, so it cannot pass for a new run.
  Plan discard_log = plan;
  discard_log.keep_tmp = false;
  finish_run_log(*result, discard_log);
  return exit_code_of(*result, plan, written, observers.threshold_aborted());
}

int run_demo_command(Plan plan, const std::string& path) {
  const int server_threads = std::max(1u, std::thread::hardware_concurrency() / 2);
  TargetServer server(TargetOptions{.host = "127.0.0.1", .port = 0, .threads = server_threads});
  auto port = server.start();
  if (!port) {
    std::cerr << "strest: error: cannot start the built-in target: " << port.error() << "\n";
    return kExitFailure;
  }
  auto url = parse_url("http://127.0.0.1:" + std::to_string(*port) + path);
  if (!url) {
    std::cerr << "strest: error: --url for demo must be a path such as /delay/5: " << url.error()
              << "\n";
    return kExitUsage;
  }
  plan.url = *url;
  std::cout << "strest demo: built-in target listening on 127.0.0.1:" << *port << "\n";
  return run_load_command(plan);
}

int run_target_command(const std::string& listen) {
  const auto address = parse_listen_address(listen);
  if (!address) {
    std::cerr << "strest: error: --listen: " << address.error() << "\n";
    return kExitUsage;
  }
  TargetOptions options;
  options.host = address->host;
  options.port = address->port;
  options.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  TargetServer server(options);
  auto port = server.start();
  if (!port) {
    std::cerr << "strest: error: cannot listen on '" << listen << "': " << port.error() << "\n";
    return kExitFailure;
  }
  std::cout << "listening on " << listen.substr(0, listen.rfind(':')) << ":" << *port << std::endl;
  while (stop_signal() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  server.stop();
  return kExitOk;
}

}  // namespace strest
