#include "ops/systemd_service.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "plan/exit_codes.h"

extern char** environ;

namespace strest {
namespace {

constexpr std::string_view kDefaultUnitDir = "/etc/systemd/system";
constexpr const char* kUnitDirVariable = "STREST_SYSTEMD_DIR";

bool needs_quotes(std::string_view arg) {
  if (arg.empty()) return true;
  for (unsigned char c : arg) {
    if (c <= ' ' || c == 0x7f || c == '"' || c == '\'' || c == '\\') return true;
  }
  return false;
}

// Runs `systemctl args...` found on PATH; the error says what failed.
std::string systemctl(const std::vector<std::string>& args) {
  std::vector<std::string> words = {"systemctl"};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, "systemctl", nullptr, nullptr, argv.data(), environ);
  std::string command;
  for (size_t i = 0; i < words.size(); ++i) command += (i ? " " : "") + words[i];
  if (spawned != 0) return "cannot run '" + command + "': " + std::strerror(spawned);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return "cannot wait for '" + command + "': " + std::strerror(errno);
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
  if (WIFEXITED(status)) {
    return "'" + command + "' failed with exit code " + std::to_string(WEXITSTATUS(status));
  }
  return "'" + command + "' was killed by signal " + std::to_string(WTERMSIG(status));
}

int fail(std::ostream& err, const std::string& message) {
  err << "strest: error: " << message << '\n';
  return kExitFailure;
}

std::string unit_path(const ServiceRequest& request) {
  return (std::filesystem::path(systemd_unit_dir()) / (request.name + ".service")).string();
}

int install(const ServiceRequest& request, std::ostream& out, std::ostream& err) {
  const std::string path = unit_path(request);
  const std::string text = unit_text(request);
  if (request.dry_run) {
    out << "# dry run: would write " << path << ", then run systemctl daemon-reload and "
        << "systemctl enable --now " << request.name << "\n";
    for (const std::string& variable : request.tokens_from_environment) {
      out << "# note: " << variable << " comes from the environment, which the unit does not "
          << "inherit: put it in /etc/default/" << request.name << "\n";
    }
    out << text;
    return kExitOk;
  }
  {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << text;
    file.close();
    if (!file) return fail(err, "cannot write " + path + ": " + std::strerror(errno));
  }
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"daemon-reload"},
        std::vector<std::string>{"enable", "--now", request.name}}) {
    std::string error = systemctl(args);
    if (!error.empty()) return fail(err, error + " (the unit is written to " + path + ")");
  }
  out << "installed and started " << request.name << " (" << path << ")\n";
  for (const std::string& variable : request.tokens_from_environment) {
    out << "note: " << variable << " came from the environment, which the unit does not "
        << "inherit: put " << variable << "=... in /etc/default/" << request.name
        << " (mode 0600)\n";
  }
  return kExitOk;
}

int uninstall(const ServiceRequest& request, std::ostream& out, std::ostream& err) {
  const std::string path = unit_path(request);
  std::error_code error;
  const bool exists = std::filesystem::exists(path, error);
  if (request.dry_run) {
    out << "# dry run: would run systemctl disable --now " << request.name << ", remove " << path
        << (exists ? "" : " (not there now)") << " and run systemctl daemon-reload\n";
    return kExitOk;
  }
  if (!exists) {
    return fail(err, "no unit " + path + ": nothing to uninstall (check --service-name)");
  }
  if (std::string failed = systemctl({"disable", "--now", request.name}); !failed.empty()) {
    return fail(err, failed + " (" + path + " is left in place)");
  }
  if (!std::filesystem::remove(path, error) || error) {
    return fail(err, "cannot remove " + path + ": " + error.message());
  }
  if (std::string failed = systemctl({"daemon-reload"}); !failed.empty()) return fail(err, failed);
  out << "stopped, disabled and removed " << request.name << " (" << path << ")\n";
  return kExitOk;
}

}  // namespace

std::string systemd_quote(std::string_view arg) {
  if (arg == ";") return "\\;";
  std::string word;
  const bool quoted = needs_quotes(arg);
  if (quoted) word += '"';
  for (char c : arg) {
    switch (c) {
      case '%':
        word += "%%";
        break;
      case '$':
        word += "$$";
        break;
      case '\\':
        word += "\\\\";
        break;
      case '"':
        word += "\\\"";
        break;
      case '\n':
        word += "\\n";
        break;
      case '\t':
        word += "\\t";
        break;
      case '\r':
        word += "\\r";
        break;
      default:
        word += c;
    }
  }
  if (quoted) word += '"';
  return word;
}

std::vector<std::string> without_service_flags(const std::vector<std::string>& args) {
  std::vector<std::string> kept;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--install-service" || arg == "--uninstall-service" || arg == "--dry-run" ||
        arg.starts_with("--service-name=")) {
      continue;
    }
    if (arg == "--service-name") {
      ++i;  // and its value
      continue;
    }
    kept.push_back(arg);
  }
  return kept;
}

std::string unit_text(const ServiceRequest& request) {
  std::string exec = systemd_quote(request.exec_path);
  for (const std::string& arg : request.args) exec += " " + systemd_quote(arg);
  std::string text =
      "# Written by strest --install-service; remove with strest --uninstall-service "
      "--service-name " +
      request.name +
      ".\n"
      "[Unit]\n"
      "Description=" +
      request.description +
      "\n"
      "Wants=network-online.target\n"
      "After=network-online.target\n"
      "\n"
      "[Service]\n"
      "Type=simple\n"
      "ExecStart=" +
      exec + "\n";
  if (!request.working_directory.empty()) {
    text += "WorkingDirectory=" + systemd_quote(request.working_directory) + "\n";
  }
  text +=
      "# To keep tokens out of this file and of ps, drop --auth-token and --control-auth-token\n"
      "# above and put STREST_AUTH_TOKEN=... (and STREST_CONTROL_AUTH_TOKEN=...) in\n"
      "# /etc/default/" +
      request.name +
      " (mode 0600).\n"
      "EnvironmentFile=-/etc/default/" +
      request.name +
      "\n"
      "Restart=on-failure\n"
      "RestartSec=2\n"
      "\n"
      "[Install]\n"
      "WantedBy=multi-user.target\n";
  return text;
}

std::string systemd_unit_dir() {
  const char* dir = std::getenv(kUnitDirVariable);
  return dir != nullptr && dir[0] != '\0' ? std::string(dir) : std::string(kDefaultUnitDir);
}

std::string running_binary_path() {
  std::error_code error;
  auto path = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? "" : path.string();
}

int run_service_command(const ServiceRequest& request, std::ostream& out, std::ostream& err) {
  const char* dir = std::getenv(kUnitDirVariable);
  const bool default_dir = dir == nullptr || dir[0] == '\0';
  if (!request.dry_run && default_dir && geteuid() != 0) {
    err << "strest: error: "
        << (request.action == ServiceRequest::Action::kInstall ? "--install-service"
                                                               : "--uninstall-service")
        << " needs root to change " << kDefaultUnitDir
        << ": run it with sudo (or add --dry-run to see the unit)\n";
    return kExitUsage;
  }
  return request.action == ServiceRequest::Action::kInstall ? install(request, out, err)
                                                            : uninstall(request, out, err);
}

}  // namespace strest
