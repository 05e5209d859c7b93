#pragma once
// --install-service and --uninstall-service: a systemd unit that runs this binary as a
// distributed controller or agent with the flags it was given (minus the service flags), and
// its removal. Installing writes <dir>/NAME.service, then runs `systemctl daemon-reload` and
// `systemctl enable --now NAME`; uninstalling runs `systemctl disable --now NAME`, removes the
// file and reloads. Both need root. <dir> is /etc/systemd/system, or $STREST_SYSTEMD_DIR when
// set: that variable exists for tests, which point it at a scratch folder (then root is not
// required, as the folder's permissions decide). systemctl is found on PATH.
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace strest {

struct ServiceRequest {
  enum class Action { kInstall, kUninstall };
  Action action = Action::kInstall;
  std::string name;               // the unit's name without ".service"
  std::string description;        // the unit's Description=
  std::string exec_path;          // absolute path of the binary the unit runs
  std::vector<std::string> args;  // its arguments: the flags given, service flags removed
  std::string working_directory;  // relative paths in args (--config) resolve from here
  bool dry_run = false;           // print what would happen, change nothing
  // Token variables (STREST_AUTH_TOKEN, ...) the run took from this shell's environment: the
  // unit does not inherit them, so the output says where to put them.
  std::vector<std::string> tokens_from_environment;
};

// One argument as an ExecStart= word (systemd.service(5), "Command lines"): bare when it holds
// nothing special, else in double quotes with C escapes; '%' is doubled (specifiers) and '$'
// too (variable expansion), and a lone ";" becomes "\;" (not a command separator).
std::string systemd_quote(std::string_view arg);

// args (argv without argv[0]) without --install-service, --uninstall-service, --dry-run and
// --service-name NAME (or --service-name=NAME).
std::vector<std::string> without_service_flags(const std::vector<std::string>& args);

// The unit file's text: Description, network-online.target ordering, ExecStart,
// WorkingDirectory, an optional EnvironmentFile=-/etc/default/NAME (for tokens kept out of
// the unit), Restart=on-failure, WantedBy=multi-user.target.
std::string unit_text(const ServiceRequest& request);

// /etc/systemd/system, or $STREST_SYSTEMD_DIR.
std::string systemd_unit_dir();

// The absolute path of the running binary (/proc/self/exe); "" if it cannot be read.
std::string running_binary_path();

// Installs or uninstalls as request says (or prints it, dry run); messages go to err as one line
// starting "strest: error: ". Returns the exit code: 0, 1 when systemctl or the file system
// fails, 2 when not root.
int run_service_command(const ServiceRequest& request, std::ostream& out, std::ostream& err);

}  // namespace strest
