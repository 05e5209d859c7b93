#include "cli/command_line.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "cli/config_file.h"
#include "cli/options.h"
#include "http/url.h"
#include "plan/duration.h"
#include "plan/one_line.h"

#ifndef STREST_VERSION
#define STREST_VERSION "0.0.0"
#endif

namespace strest {
namespace {

using Mode = ParsedCommand::Mode;

constexpr const char* kFooter =
    "Settings may also come from a config file (--config PATH, else ./strest.toml or\n"
    "./strest.json) under the same names with '_' for '-', plus rpm, [load] (a rate\n"
    "profile with [[load.stages]]) and [thresholds]. Flags override the file;\n"
    "--threshold adds to it. Only test targets you own or may test.";

// Where `strest cleanup` looks when --tmp-path is not given; runs write there by default.
constexpr const char* kDefaultTmpPath = "~/.strest/tmp";

// The flags of `strest cleanup`, as typed; cleanup_command() checks them.
struct CleanupFlags {
  std::string tmp_path = kDefaultTmpPath;
  std::string older_than;
  bool dry_run = false;
  bool force = false;
  CLI::Option* older_than_option = nullptr;
};

// The CLI11 app: run flags on the top level, `demo` (the same flags), `target` (--listen) and
// `cleanup` (its own flags).
struct Commands {
  CLI::App app{"strest: send HTTP requests to a URL and measure the responses.", "strest"};
  CliFlags flags{app};
  CLI::App* demo = nullptr;
  CLI::App* target = nullptr;
  CLI::App* cleanup = nullptr;
  std::string listen = "127.0.0.1:0";
  CleanupFlags cleanup_flags;

  Commands() {
    app.set_version_flag("-V,--version", std::string("strest ") + STREST_VERSION);
    app.require_subcommand(0, 1);
    demo = app.add_subcommand("demo", "Load-test the built-in target (takes the same flags)");
    demo->fallthrough();
    demo->footer(
        "Takes every flag of strest; --url, if given, is a path on the built-in\n"
        "target such as /delay/5.");
    target = app.add_subcommand("target", "Serve the built-in target only");
    target->add_option("--listen", listen, "Address to serve on")
        ->type_name("HOST:PORT")
        ->default_str(listen);
    add_cleanup();
    app.footer(kFooter);  // after add_subcommand, which copies the parent's footer
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
};

// Where a merged setting came from, for messages: the flag, or "<file>: key '<key>'".
class Origins {
 public:
  Origins(const RawOptions& cli, std::string file) : cli_(cli), file_(std::move(file)) {}

  template <typename T>
  bool on_cli(std::optional<T> RawOptions::*field) const {
    return (cli_.*field).has_value();
  }

  template <typename T>
  std::string of(std::optional<T> RawOptions::*field, std::string_view flag,
                 std::string_view key) const {
    if (on_cli(field)) return std::string(flag);
    return file_ + ": key '" + std::string(key) + "'";
  }

  const std::string& file() const { return file_; }

 private:
  const RawOptions& cli_;
  std::string file_;
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
    if (is_unsupported_flag(arg)) return std::string(arg) + " is not supported yet";
  }
  std::string message = error.what();
  if (message.find("://") != std::string::npos) return message + " (pass the URL with --url)";
  return message + " (see strest --help)";
}

bool is_visible_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

Status check_listen(const std::string& listen) {
  auto colon = listen.rfind(':');
  std::string_view port =
      colon == std::string::npos ? "" : std::string_view(listen).substr(colon + 1);
  bool valid = colon != std::string::npos && colon > 0 && !port.empty() && port.size() <= 5 &&
               std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
               std::stoul(std::string(port)) <= 65535 && is_visible_ascii(listen);
  if (valid) return Ok{};
  return Error{"--listen: expected HOST:PORT such as 127.0.0.1:8080 (got '" + listen + "')"};
}

ParsedCommand target_command(const Commands& commands, std::ostream& err) {
  std::string flag = commands.flags.first_given();
  if (!flag.empty()) {
    return fail(err, flag + " does not apply to 'strest target', which takes only --listen");
  }
  auto status = check_listen(commands.listen);
  if (!status) return fail(err, status.error());
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
  command.cleanup_dir = std::move(*dir);
  command.cleanup_older_than = *older_than;
  command.cleanup_dry_run = flags.dry_run;
  command.cleanup_force = flags.force;
  return command;
}

Status apply_url(const RawOptions& options, const Origins& origins, ParsedCommand& command) {
  if (command.mode == Mode::kDemo) {
    if (!options.url) return Ok{};
    if (options.url->empty() || options.url->front() != '/' || !is_visible_ascii(*options.url)) {
      return Error{
          "--url: in demo mode --url is a path on the built-in target, such as "
          "/delay/5 (got '" +
          *options.url + "')"};
    }
    command.demo_path = *options.url;
    return Ok{};
  }
  if (!options.url) return Error{"no target URL: pass --url or set url in strest.toml"};
  std::string origin = origins.of(&RawOptions::url, "--url", "url");
  auto url = parse_url(*options.url);
  if (!url) return Error{origin + ": " + url.error()};
  if (url->scheme == "https") {
    return Error{origin + ": https:// needs TLS, which is not supported yet; use an http:// URL"};
  }
  command.plan.url = std::move(*url);
  return Ok{};
}

bool same_name(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

// -A and -T replace any header of the same name given with -H.
void set_header(std::vector<Header>& headers, const std::string& name, const std::string& value) {
  std::erase_if(headers, [&](const Header& header) { return same_name(header.name, name); });
  headers.push_back(Header{name, value});
}

// One body per non-empty line; a trailing '\r' (CRLF files) is not part of the body.
std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t begin = 0;
  while (begin < text.size()) {
    size_t end = std::min(text.find('\n', begin), text.size());
    std::string line = text.substr(begin, end - begin);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) lines.push_back(std::move(line));
    begin = end + 1;
  }
  return lines;
}

Status apply_bodies(const RawOptions& options, const Origins& origins, Plan& plan) {
  if (int{options.data.has_value()} + options.data_file.has_value() +
          options.data_lines.has_value() >
      1) {
    if (origins.on_cli(&RawOptions::data) || origins.on_cli(&RawOptions::data_file) ||
        origins.on_cli(&RawOptions::data_lines)) {
      return Error{"-d/--data, -D/--data-file and -Z/--data-lines exclude each other: pass one"};
    }
    return Error{origins.file() + ": set only one of data, data_file, data_lines"};
  }
  if (options.data) plan.bodies = {*options.data};
  if (options.data_file) {
    auto text = read_user_file(*options.data_file);
    if (!text)
      return Error{origins.of(&RawOptions::data_file, "--data-file", "data_file") + ": " +
                   text.error()};
    plan.bodies = {std::move(*text)};
  }
  if (options.data_lines) {
    std::string origin = origins.of(&RawOptions::data_lines, "--data-lines", "data_lines");
    auto text = read_user_file(*options.data_lines);
    if (!text) return Error{origin + ": " + text.error()};
    plan.bodies = split_lines(*text);
    if (plan.bodies.empty()) {
      return Error{origin + ": '" + *options.data_lines +
                   "' has no lines; put one request body per line"};
    }
  }
  return Ok{};
}

Status apply_user_agent(const RawOptions& options, const Origins& origins, Plan& plan) {
  plan.send_user_agent = !options.no_ua.value_or(false);
  if (plan.send_user_agent || options.authorized.value_or(false)) return Ok{};
  if (origins.on_cli(&RawOptions::no_ua)) {
    return Error{"--no-ua requires --authorized (confirm you may test this target)"};
  }
  return Error{origins.file() +
               ": no_ua = true requires authorized = true or --authorized (confirm you may "
               "test this target)"};
}

Status apply_output(const RawOptions& options, const Origins& origins, Plan& plan) {
  plan.output_path = options.output;
  if (options.output_format) {
    plan.output_format = *options.output_format;
    return Ok{};
  }
  if (!options.output) return Ok{};
  std::string extension = std::filesystem::path(*options.output).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  constexpr std::pair<std::string_view, OutputFormat> kExtensions[] = {
      {".json", OutputFormat::kJson},
      {".jsonl", OutputFormat::kJsonl},
      {".csv", OutputFormat::kCsv},
      {".txt", OutputFormat::kText},
      {".log", OutputFormat::kText}};
  for (const auto& [known, format] : kExtensions) {
    if (extension != known) continue;
    plan.output_format = format;
    return Ok{};
  }
  return Error{origins.of(&RawOptions::output, "--output", "output") +
               ": cannot tell the format of '" + *options.output +
               "' from its extension; pass --output-format json, jsonl, csv or text"};
}

void apply_limits(const RawOptions& options, Plan& plan) {
  plan.method = options.method.value_or(plan.method);
  plan.duration = options.duration;
  plan.max_requests = options.requests;
  plan.expected_status = static_cast<int>(options.status.value_or(plan.expected_status));
  plan.timeout = options.timeout.value_or(plan.timeout);
  plan.connect_timeout = options.connect_timeout.value_or(plan.connect_timeout);
  plan.max_tasks = static_cast<uint32_t>(options.max_tasks.value_or(plan.max_tasks));
  uint64_t cores = std::max(1u, std::thread::hardware_concurrency());
  plan.threads =
      static_cast<uint32_t>(std::min<uint64_t>(options.threads.value_or(cores), plan.max_tasks));
  plan.summary = options.summary.value_or(false);
  plan.no_tui = options.no_tui.value_or(false);
  plan.verbose = options.verbose.value_or(false);
}

// --rate replaces [load] whole (merge takes the field from one source). A profile with stages
// and no duration runs as long as its stages, or until --requests, whichever comes first.
Status apply_load(const RawOptions& options, const Origins&, Plan& plan) {
  plan.load = options.load;
  if (!options.duration && plan.load && !plan.load->stages.empty()) {
    plan.duration = plan.load->stages_duration();
  }
  return Ok{};
}

Status apply_spawn(const RawOptions& options, const Origins& origins, Plan& plan) {
  if (options.spawn_interval && !options.spawn_rate) {
    if (origins.on_cli(&RawOptions::spawn_interval)) {
      return Error{
          "--spawn-interval needs --spawn-rate, the connections to open per interval "
          "(e.g. --spawn-rate 10 --spawn-interval 100)"};
    }
    return Error{origins.file() +
                 ": spawn_interval needs spawn_rate, the connections to open "
                 "per interval (or pass --spawn-rate)"};
  }
  if (options.spawn_rate) plan.spawn_rate = static_cast<uint32_t>(*options.spawn_rate);
  plan.spawn_interval = options.spawn_interval.value_or(plan.spawn_interval);
  return Ok{};
}

// How long the run lasts, if that is known before it starts, and where that comes from.
std::optional<std::pair<Micros, std::string>> run_length(const RawOptions& options,
                                                         const Origins& origins, const Plan& plan) {
  if (options.duration) {
    bool cli = origins.on_cli(&RawOptions::duration);
    return std::pair{*options.duration, cli ? "--duration" : "duration in " + origins.file()};
  }
  if (plan.duration) return std::pair{*plan.duration, std::string("the load stages in all")};
  if (!plan.max_requests) return std::pair{kDefaultDuration, std::string("the default; set -t")};
  return std::nullopt;
}

Status apply_warmup(const RawOptions& options, const Origins& origins, Plan& plan) {
  plan.warmup = options.warmup.value_or(plan.warmup);
  auto run = run_length(options, origins, plan);
  if (plan.warmup.count() == 0 || !run || plan.warmup < run->first) return Ok{};
  return Error{origins.of(&RawOptions::warmup, "--warmup", "warmup") + " (" +
               format_duration(plan.warmup) + ") must be shorter than the run (" +
               format_duration(run->first) + ", " + run->second + ")"};
}

Status apply_request_id(const RawOptions& options, const Origins& origins, Plan& plan) {
  plan.request_id_header = options.request_id_header;
  if (!plan.request_id_header) return Ok{};
  for (const Header& header : plan.headers) {
    if (same_name(header.name, *plan.request_id_header)) {
      return Error{
          origins.of(&RawOptions::request_id_header, "--request-id-header", "request_id_header") +
          ": " + header.name + " is also given as a fixed header; drop one of them"};
    }
  }
  return Ok{};
}

// --output and the exports each write a file of their own: one path twice would be clobbered.
Status check_distinct_files(const RawOptions& options, const Origins& origins) {
  const std::pair<const std::optional<std::string>&, std::string> files[] = {
      {options.output, origins.of(&RawOptions::output, "--output", "output")},
      {options.export_csv, origins.of(&RawOptions::export_csv, "--export-csv", "export_csv")},
      {options.export_json, origins.of(&RawOptions::export_json, "--export-json", "export_json")},
      {options.export_jsonl,
       origins.of(&RawOptions::export_jsonl, "--export-jsonl", "export_jsonl")}};
  auto normal = [](const std::string& path) {
    return std::filesystem::path(path).lexically_normal();
  };
  for (size_t i = 0; i < std::size(files); ++i) {
    for (size_t j = i + 1; j < std::size(files); ++j) {
      if (!files[i].first || !files[j].first) continue;
      if (normal(*files[i].first) != normal(*files[j].first)) continue;
      return Error{files[i].second + " and " + files[j].second + " both write '" + *files[j].first +
                   "': give each its own file"};
    }
  }
  return Ok{};
}

// The run log, and the exports written from it at the end.
Status apply_run_log(const RawOptions& options, const Origins& origins, Plan& plan) {
  plan.tmp_path = options.tmp_path.value_or("");
  plan.keep_tmp = options.keep_tmp.value_or(false);
  plan.log_shards = static_cast<uint32_t>(options.log_shards.value_or(plan.log_shards));
  plan.export_csv = options.export_csv;
  plan.export_json = options.export_json;
  plan.export_jsonl = options.export_jsonl;
  plan.metrics_window.max = options.metrics_max.value_or(plan.metrics_window.max);
  return check_distinct_files(options, origins);
}

// A window that starts when the run is already over would export nothing.
Status apply_metrics_range(const RawOptions& options, const Origins& origins, Plan& plan) {
  if (!options.metrics_range) return Ok{};
  plan.metrics_window.from = options.metrics_range->from;
  plan.metrics_window.to = options.metrics_range->to;
  auto run = run_length(options, origins, plan);
  if (!run || plan.metrics_window.from < run->first) return Ok{};
  return Error{origins.of(&RawOptions::metrics_range, "--metrics-range", "metrics_range") +
               " starts at " + format_duration(plan.metrics_window.from) +
               ", when the run is over (" + format_duration(run->first) + ", " + run->second +
               "): nothing would be exported"};
}

// Thresholds from the config and the command line add up (merge); abort_on_fail needs one.
Status apply_thresholds(const RawOptions& options, const Origins& origins, Plan& plan) {
  plan.thresholds = options.thresholds.value_or(std::vector<Threshold>{});
  plan.abort_on_fail = options.abort_on_fail.value_or(false);
  plan.abort_delay = options.abort_delay.value_or(plan.abort_delay);
  if (!plan.abort_on_fail || !plan.thresholds.empty()) return Ok{};
  if (origins.on_cli(&RawOptions::abort_on_fail)) {
    return Error{
        "--abort-on-fail needs a threshold to check: add --threshold EXPR (e.g. "
        "--threshold 'p99<200ms') or a [thresholds] table to the config"};
  }
  return Error{origins.file() +
               ": thresholds.abort_on_fail = true needs a check: add checks = [\"p99<200ms\"] "
               "or pass --threshold"};
}

Status build_plan(const RawOptions& options, const Origins& origins, ParsedCommand& command) {
  auto url = apply_url(options, origins, command);
  if (!url) return url;
  Plan& plan = command.plan;
  apply_limits(options, plan);
  plan.headers = options.headers.value_or(std::vector<Header>{});
  if (options.accept) set_header(plan.headers, "Accept", *options.accept);
  if (options.content_type) set_header(plan.headers, "Content-Type", *options.content_type);
  for (auto step :
       {apply_bodies, apply_user_agent, apply_output, apply_load, apply_spawn, apply_warmup,
        apply_request_id, apply_thresholds, apply_run_log, apply_metrics_range}) {
    auto status = step(options, origins, plan);
    if (!status) return status;
  }
  return Ok{};
}

ParsedCommand run_command(const Commands& commands, std::ostream& err) {
  auto cli = commands.flags.collect();
  if (!cli) return fail(err, cli.error());
  auto config = load_config(cli->config);
  if (!config) return fail(err, config.error());
  ParsedCommand command;
  command.mode = commands.app.got_subcommand(commands.demo) ? Mode::kDemo : Mode::kRun;
  if (command.mode == Mode::kDemo) config->options.url.reset();  // the demo target is built in
  auto status = build_plan(merge(*cli, config->options), Origins(*cli, config->name), command);
  if (!status) return fail(err, status.error());
  return command;
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
  if (commands.app.got_subcommand(commands.target)) return target_command(commands, err);
  if (commands.app.got_subcommand(commands.cleanup)) return cleanup_command(commands, err);
  return run_command(commands, err);
}

}  // namespace strest
