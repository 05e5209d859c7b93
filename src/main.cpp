// strest: HTTP load tester. main() only dispatches; every part lives in its own folder.
#include <iostream>

#include "cli/capacity_command.h"
#include "cli/command_line.h"
#include "cli/commands.h"
#include "cli/distributed_module.h"
#include "engine/stop_signal.h"
#include "ops/cleanup.h"
#include "ops/systemd_service.h"

int main(int argc, char** argv) {
  strest::ParsedCommand command = strest::parse_command_line(argc, argv, std::cout, std::cerr);
  strest::install_stop_handlers();
  switch (command.mode) {
    case strest::ParsedCommand::Mode::kRun:
      // A controller or an agent: the run is spread over machines (docs/distributed.md).
      if (command.plan.distributed) return strest::run_distributed_module(command.plan);
      return strest::run_load_command(command.plan);
    case strest::ParsedCommand::Mode::kDemo:
      return strest::run_demo_command(command.plan, command.demo_path);
    case strest::ParsedCommand::Mode::kCapacity:
      return strest::run_capacity_command(command.plan, command.capacity);
    case strest::ParsedCommand::Mode::kTarget:
      return strest::run_target_command(command.target_listen);
    case strest::ParsedCommand::Mode::kReplay:
      return strest::run_replay_command(command.plan);
    case strest::ParsedCommand::Mode::kCleanup:
      return strest::run_cleanup_command(command.cleanup);
    case strest::ParsedCommand::Mode::kCompare:
      return strest::run_compare_command(command.compare, std::cout, std::cerr);
    case strest::ParsedCommand::Mode::kService:
      return strest::run_service_command(command.service, std::cout, std::cerr);
    case strest::ParsedCommand::Mode::kExit:
      break;
  }
  return command.exit_code;
}
