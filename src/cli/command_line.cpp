#include "cli/command_line.h"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>

#include "cli/capacity_flags.h"
#include "cli/config_file.h"
#include "cli/options.h"
#include "cli/plan_steps.h"
#include "cli/replay_plan.h"
#include "log/log.h"
#include "net/listen_address.h"
#include "plan/one_line.h"
#include "plan/threshold.h"

#ifndef STREST_VERSION
#define STREST_VERSION "0.0.0"
#endif

namespace strest {
namespace {

using Mode = ParsedCommand::Mode;

constexpr const char* kFooter =
    "Settings may also come from a config file (--config PATH, else ./strest.toml or\n"
    "./strest.json) under the same names with '_' for '-', plus rpm, [load] (a rate\n"
    "profile with [[load.stages]]), [thresholds], [sinks] and [distributed]. Flags\n"
    "override the file; --threshold adds to it. Only test targets you own or may test.\n"
    "strest --replay rebuilds the results of a recorded run and sends nothing: from\n"
    "--export-csv, --export-json or --export-jsonl PATH, else the newest run log in\n"
    "--tmp-path (runs keep theirs with --keep-tmp). The --replay flags are for the\n"
    "command line only.\n"
    "STREST_LOG=error|warn|info|debug sets what strest logs on stderr (default info;\n"
    "--verbose is debug). STREST_AUTH_TOKEN and STREST_CONTROL_AUTH_TOKEN stand in for\n"
    "--auth-token and --control-auth-token (see docs/distributed-deploy.md).";

// The flags of `strest cleanup`, as typed; cleanup_command() checks them.
struct CleanupFlags {
  std::string tmp_path{kDefaultTmpPath};
  std::string older_than;
  bool dry_run = false;
  bool force = false;
  CLI::Option* older_than_option = nullptr;
};

// The flags of `strest compare`, as typed; compare_command() checks them.
struct CompareFlags {
  std::vector<std::string> runs;
  std::vector<std::string> gates;
  std::string output;
  std::string report;
  std::string confidence = "95%";
  std::string noise = "5%";
  uint64_t seed = 1;
};

// The CLI11 app: run flags on the top level, `demo` (the same flags), `target` (--listen) and
// `cleanup` (its own flags).
struct Commands {
  CLI::App app{"strest: send HTTP requests to a URL and measure the responses.", "strest"};
  CliFlags flags{app};
  CLI::App* demo = nullptr;
  CLI::App* capacity = nullptr;
  CLI::App* target = nullptr;
  CLI::App* cleanup = nullptr;
  std::string listen = "127.0.0.1:0";
  CleanupFlags cleanup_flags;
  CapacityFlags capacity_flags;
  CLI::App* compare = nullptr;
  CompareFlags compare_flags;

  Commands() {
    app.set_version_flag("-V,--version", std::string("strest ") + STREST_VERSION);
    app.require_subcommand(0, 1);
    demo = app.add_subcommand("demo", "Load-test the built-in target (takes the same flags)");
    demo->fallthrough();
    demo->footer(
        "Takes every flag of strest; --url, if given, is a path on the built-in\n"
        "target such as /delay/5.");
    add_capacity();
    target = app.add_subcommand("target", "Serve the built-in target only");
    target->add_option("--listen", listen, "Address to serve on")
        ->type_name("HOST:PORT")
        ->default_str(listen);
    add_cleanup();
    add_compare();
    app.footer(kFooter);  // after add_subcommand, which copies the parent's footer
  }

  void add_capacity() {
    capacity = app.add_subcommand(
        "capacity", "Search the highest open-loop rate that holds the --threshold SLOs");
    capacity->fallthrough();
    capacity_flags.add_to(*capacity);
    capacity->footer(
        "Takes the flags of strest (--url, -m, -H, --threshold, ...) for every step, but not\n"
        "--rate, --duration, --requests or --warmup: each step runs --step-warmup, then\n"
        "--step-duration at the rate the search picks, ramping (x2) from --min-rate, then\n"
        "bisecting between the last passing and the first failing rate. -o FILE writes JSON\n"
        "(or text by extension); capacity.png goes to --charts-path, else the current folder.\n"
        "Exit 0 when a rate held, 3 when even --min-rate failed. See docs/capacity.md.");
  }

  void add_cleanup() {
    CleanupFlags& flags = cleanup_flags;
    cleanup = app.add_subcommand("cleanup", "Delete old run logs from the tmp folder");
    cleanup->add_option("--tmp-path", flags.tmp_path, "Folder of the run logs")
        ->type_name("DIR")
        ->default_str(flags.tmp_path);
    flags.older_than_option =
        cleanup
            ->add_option("--older-than", flags.older_than,
                         "Required: only run logs last written longer ago than this, e.g. 24h")
            ->type_name("DURATION");
    cleanup->add_flag("--dry-run", flags.dry_run, "List what would be deleted, delete nothing");
    cleanup->add_flag("--force", flags.force, "Delete without asking");
    cleanup->footer(
        "Only files named strest-run-*.srl that start like a run log are deleted; other files,\n"
        "symlinks and subfolders are left alone. Without --dry-run or --force it asks first,\n"
        "and refuses when stdin is not a terminal.");
  }

  void add_compare() {
    CompareFlags& flags = compare_flags;
    compare = app.add_subcommand(
        "compare", "Compare two recorded runs: is B a significant regression from A?");
    compare->add_option("runs", flags.runs, "Run A (the baseline) and run B")
        ->type_name("A B")
        ->expected(0, 2);
    compare
        ->add_option("--threshold", flags.gates,
                     "Delta gate, repeatable: exit 3 when B is a significant regression past it, "
                     "e.g. p99_delta<10%")
        ->type_name("GATE");
    compare->add_option("-o,--output", flags.output, "Write the comparison as JSON")
        ->type_name("FILE");
    compare->add_option("--report", flags.report, "Write the comparison as one HTML page")
        ->type_name("FILE.html");
    compare->add_option("--confidence", flags.confidence, "Confidence of the intervals")
        ->type_name("PCT")
        ->default_str(flags.confidence);
    compare
        ->add_option("--noise", flags.noise,
                     "A significant change smaller than this share of A is noise, not a "
                     "regression")
        ->type_name("PCT")
        ->default_str(flags.noise);
    compare->add_option("--seed", flags.seed, "Seed of the bootstrap (same seed, same result)")
        ->type_name("N")
        ->default_str(std::to_string(flags.seed));
    compare->footer(
        "A and B: run logs (a .srl file, or a folder: its newest run; runs keep theirs with\n"
        "--keep-tmp) or exports (.csv, .json, .jsonl). Gates: p50_delta, p90_delta,\n"
        "p99_delta, avg_delta (a percent of A or a time: p99_delta<5ms), rps_delta (a\n"
        "percent or requests/s of drop) and error_rate_delta (percent points), with < or <=.\n"
        "See docs/compare.md.");
  }
};

ParsedCommand exit_with(int code) {
  ParsedCommand command;
  command.mode = Mode::kExit;
  command.exit_code = code;
  return command;
}

ParsedCommand fail(std::ostream& err, const std::string& message) {
  err << "strest: error: " << one_line(message) << '\n';
  return exit_with(2);
}

// CLI11's message, or a clearer one for flags of features not built yet and for a bare URL.
std::string parse_error_message(const CLI::ParseError& error, int argc, char** argv) {
  for (int index = 1; index < argc; ++index) {
    std::string_view arg = argv[index];
    arg = arg.substr(0, arg.find('='));
    if (is_unsupported_flag(arg)) {
      return std::string(arg) + " is not supported yet" + not_supported_note(arg);
    }
  }
  std::string message = error.what();
  if (message.find("://") != std::string::npos) return message + " (pass the URL with --url)";
  return message + " (see strest --help)";
}

ParsedCommand target_command(const Commands& commands, std::ostream& err) {
  std::string flag = commands.flags.first_given();
  if (!flag.empty()) {
    return fail(err, flag + " does not apply to 'strest target', which takes only --listen");
  }
  auto address = parse_listen_address(commands.listen);
  if (!address) return fail(err, "--listen: " + address.error());
  ParsedCommand command;
  command.mode = Mode::kTarget;
  command.target_listen = commands.listen;
  return command;
}

ParsedCommand cleanup_command(const Commands& commands, std::ostream& err) {
  std::string flag = commands.flags.first_given();
  if (!flag.empty()) {
    return fail(err, flag + " does not apply to 'strest cleanup', which takes --tmp-path, " +
                         "--older-than, --dry-run and --force after the word cleanup");
  }
  const CleanupFlags& flags = commands.cleanup_flags;
  if (flags.older_than_option->count() == 0) {
    return fail(err,
                "strest cleanup needs --older-than DURATION (e.g. --older-than 24h): only run "
                "logs last written longer ago than that are deleted");
  }
  if (flags.dry_run && flags.force) {
    return fail(err, "--dry-run and --force exclude each other: pass one");
  }
  auto older_than = read_duration(flags.older_than, Source{"--older-than", true}, DurationRule{});
  if (!older_than) return fail(err, older_than.error());
  auto dir = read_home_path(flags.tmp_path, Source{"--tmp-path", true}, std::getenv("HOME"));
  if (!dir) return fail(err, dir.error());
  ParsedCommand command;
  command.mode = Mode::kCleanup;
  command.cleanup.dir = std::move(*dir);
  command.cleanup.older_than = *older_than;
  command.cleanup.dry_run = flags.dry_run;
  command.cleanup.force = flags.force;
  return command;
}

// A percent from `low` to `high`, with or without the % sign, as a fraction; nullopt otherwise.
std::optional<double> read_percent(const std::string& text, double low, double high) {
  const auto value = split_threshold_value(text);
  const bool unit_ok = value && (value->suffix.empty() || value->suffix == "%");
  const auto percent = unit_ok ? scaled_decimal(value->number, 0) : std::nullopt;
  if (!percent || *percent < low || *percent > high) return std::nullopt;
  return *percent / 100.0;
}

Result<double> read_confidence(const std::string& text) {
  if (auto level = read_percent(text, 50, 99.9)) return *level;
  return Error{"--confidence: '" + one_line(text) +
               "' is not a confidence level: use a percent from 50 to 99.9, e.g. 95%"};
}

Result<double> read_noise(const std::string& text) {
  if (auto level = read_percent(text, 0, 50)) return *level;
  return Error{"--noise: '" + one_line(text) +
               "' is not a noise level: use a percent from 0 to 50, e.g. 5% (0 counts every "
               "significant change)"};
}

ParsedCommand compare_command(const Commands& commands, std::ostream& err) {
  std::string flag = commands.flags.first_given();
  if (!flag.empty()) {
    return fail(
        err,
        flag + " does not apply to 'strest compare', which takes two runs, " +
            "--threshold, -o, --report, --confidence, --noise and --seed after the word compare");
  }
  const CompareFlags& flags = commands.compare_flags;
  if (flags.runs.size() != 2) {
    return fail(err,
                "strest compare needs two runs, A (the baseline) then B: run logs (.srl or a "
                "folder) or exports (.csv, .json, .jsonl), e.g. strest compare base.jsonl "
                "new.jsonl");
  }
  ParsedCommand command;
  command.mode = Mode::kCompare;
  CompareRequest& request = command.compare;
  request.a = flags.runs[0];
  request.b = flags.runs[1];
  for (const std::string& text : flags.gates) {
    auto gate = parse_delta_gate(text);
    if (!gate) return fail(err, "--threshold: " + gate.error());
    request.gates.push_back(std::move(*gate));
  }
  auto confidence = read_confidence(flags.confidence);
  if (!confidence) return fail(err, confidence.error());
  auto noise = read_noise(flags.noise);
  if (!noise) return fail(err, noise.error());
  request.noise = *noise;
  request.json_path = flags.output;
  request.report_path = flags.report;
  request.bootstrap.confidence = *confidence;
  request.bootstrap.seed = flags.seed;
  return command;
}

// --install-service / --uninstall-service: installing builds and validates the whole plan, so a
// unit that cannot start is never written; uninstalling needs only the unit's name.
ParsedCommand service_command(const Commands& commands, const RawOptions& cli, int argc,
                              char** argv, std::ostream& err) {
  const bool install = cli.install_service.value_or(false);
  if (install && cli.uninstall_service.value_or(false)) {
    return fail(err, "--install-service and --uninstall-service exclude each other: pass one");
  }
  const char* flag = install ? "--install-service" : "--uninstall-service";
  if (commands.app.got_subcommand(commands.demo) || cli.replay.value_or(false)) {
    return fail(err, std::string(flag) + " installs a controller or an agent, not " +
                         (cli.replay.value_or(false) ? "--replay" : "'strest demo'"));
  }
  auto config = load_config(cli.config);
  if (!config) return fail(err, config.error());
  const RawOptions options = merge(cli, config->options);
  const Origins origins(cli, config->options, config->name, config->keys);
  ParsedCommand command;
  command.mode = Mode::kService;
  if (install) {
    auto status = build_plan(options, origins, command);
    if (!status) return fail(err, status.error());
  } else if (options.controller_listen && options.agent_join) {
    return fail(err, "--controller-listen and --agent-join exclude each other: pass one");
  }
  const bool agent = options.agent_join.has_value();
  if (!options.controller_listen && !agent && (install || !cli.service_name)) {
    return fail(err, std::string(flag) +
                         " needs --controller-listen HOST:PORT or --agent-join HOST:PORT: the "
                         "unit runs a controller or an agent" +
                         (install ? "" : " (or name the unit with --service-name)"));
  }
  ServiceRequest& service = command.service;
  service.action = install ? ServiceRequest::Action::kInstall : ServiceRequest::Action::kUninstall;
  service.name = cli.service_name.value_or(agent ? "strest-agent" : "strest-controller");
  service.description = std::string("strest distributed ") + (agent ? "agent" : "controller") +
                        " (" + service.name + ")";
  service.exec_path = running_binary_path();
  if (service.exec_path.empty())
    return fail(err, "cannot read /proc/self/exe: no path for ExecStart");
  service.args = without_service_flags(std::vector<std::string>(argv + 1, argv + argc));
  std::error_code ignored;
  service.working_directory = std::filesystem::current_path(ignored).string();
  service.dry_run = cli.dry_run.value_or(false);
  if (install) {
    const DistributedPlan& dist = *command.plan.distributed;
    if (!dist.auth_token.empty() && !options.auth_token) {
      service.tokens_from_environment.push_back("STREST_AUTH_TOKEN");
    }
    if (!dist.control_auth_token.empty() && !options.control_auth_token) {
      service.tokens_from_environment.push_back("STREST_CONTROL_AUTH_TOKEN");
    }
  }
  return command;
}

// --service-name and --dry-run mean something only with a service flag.
Status check_service_flags(const RawOptions& cli) {
  if (cli.install_service.value_or(false) || cli.uninstall_service.value_or(false)) return Ok{};
  if (cli.service_name) {
    return Error{"--service-name needs --install-service or --uninstall-service"};
  }
  if (cli.dry_run.value_or(false)) {
    return Error{
        "--dry-run needs --install-service or --uninstall-service ('strest cleanup' takes its "
        "own --dry-run after the word cleanup)"};
  }
  return Ok{};
}

// A run, a demo or a replay: the flags, then the config file under them.
ParsedCommand run_command(const Commands& commands, int argc, char** argv, std::ostream& err) {
  auto cli = commands.flags.collect();
  if (!cli) return fail(err, cli.error());
  const bool capacity = commands.app.got_subcommand(commands.capacity);
  if (capacity) {
    if (auto refused = refuse_capacity_flags(*cli); !refused) return fail(err, refused.error());
  }
  if (auto service = check_service_flags(*cli); !service) return fail(err, service.error());
  if (cli->install_service.value_or(false) || cli->uninstall_service.value_or(false)) {
    return service_command(commands, *cli, argc, argv, err);
  }
  const bool demo = commands.app.got_subcommand(commands.demo);
  const bool replay = cli->replay.value_or(false);
  if (demo && replay) {
    return fail(err, "--replay does not apply to 'strest demo': run strest --replay instead");
  }
  auto refused = replay ? refuse_traffic_flags(*cli) : refuse_replay_flags(*cli);
  if (!refused) return fail(err, refused.error());
  auto config = load_config(cli->config);
  if (!config) return fail(err, config.error());
  ParsedCommand command;
  command.mode = replay ? Mode::kReplay : demo ? Mode::kDemo : Mode::kRun;
  if (demo) config->options.url.reset();  // the demo target is built in
  if (capacity) {
    command.mode = Mode::kCapacity;
    config->options = without_per_run_settings(std::move(config->options));
    auto settings = read_capacity_flags(commands.capacity_flags);
    if (!settings) return fail(err, settings.error());
    command.capacity = *settings;
  }
  const RawOptions options = merge(*cli, config->options);
  const Origins origins(*cli, config->options, config->name, config->keys);
  if (demo && (options.controller_listen || options.agent_join)) {
    return fail(err, origins.of(options.agent_join ? Field{&RawOptions::agent_join}
                                                   : Field{&RawOptions::controller_listen}) +
                         " does not apply to 'strest demo', which runs on this machine alone");
  }
  if (replay && (options.controller_listen || options.agent_join)) {
    const Field role =
        options.agent_join ? Field{&RawOptions::agent_join} : Field{&RawOptions::controller_listen};
    return fail(err, origins.of(role) + " does not apply to --replay, which sends nothing");
  }
  auto status = replay ? build_replay_plan(options, origins, command.plan)
                       : build_plan(options, origins, command);
  if (!status) return fail(err, status.error());
  if (capacity) {
    if (auto usable = check_capacity_plan(command.plan); !usable) return fail(err, usable.error());
  }
  if (command.plan.verbose) set_log_level(LogLevel::kDebug);
  return command;
}

// STREST_LOG sets the log level before anything may log; unset or empty means the default.
Status apply_log_environment() {
  const char* text = std::getenv(std::string(kLogLevelVariable).c_str());
  if (text == nullptr || text[0] == '\0') {
    set_log_level(kDefaultLogLevel);
    return Ok{};
  }
  auto level = parse_log_level(text);
  if (!level) {
    return Error{std::string(kLogLevelVariable) + ": '" + text + "' is not a log level: use " +
                 std::string(kLogLevelNames)};
  }
  set_log_level(*level);
  return Ok{};
}

}  // namespace

ParsedCommand parse_command_line(int argc, char** argv, std::ostream& out, std::ostream& err) {
  Commands commands;
  try {
    commands.app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    if (error.get_exit_code() == 0) return exit_with(commands.app.exit(error, out, err));
    return fail(err, parse_error_message(error, argc, argv));
  }
  auto logging = apply_log_environment();
  if (!logging) return fail(err, logging.error());
  if (commands.app.got_subcommand(commands.target)) return target_command(commands, err);
  if (commands.app.got_subcommand(commands.cleanup)) return cleanup_command(commands, err);
  if (commands.app.got_subcommand(commands.compare)) return compare_command(commands, err);
  return run_command(commands, argc, argv, err);
}

}  // namespace strest
