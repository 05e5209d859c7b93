#include "cli/plan_steps.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <thread>

#include "cli/config_file.h"
#include "plan/duration.h"
#include "plan/url.h"

namespace strest {

bool is_visible_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

namespace {

using Mode = ParsedCommand::Mode;

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

// --output, the exports and --db-url each write a file of their own: one path twice would be
// clobbered.
Status check_distinct_files(const RawOptions& options, const Origins& origins) {
  const std::pair<const std::optional<std::string>&, std::string> files[] = {
      {options.output, origins.of(&RawOptions::output, "--output", "output")},
      {options.export_csv, origins.of(&RawOptions::export_csv, "--export-csv", "export_csv")},
      {options.export_json, origins.of(&RawOptions::export_json, "--export-json", "export_json")},
      {options.export_jsonl,
       origins.of(&RawOptions::export_jsonl, "--export-jsonl", "export_jsonl")},
      {options.db_url, origins.of(&RawOptions::db_url, "--db-url", "db_url")}};
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
  plan.run_log = !options.no_run_log.value_or(false);
  if (!plan.run_log) {
    const std::pair<bool, const char*> needs_log[] = {
        {plan.keep_tmp, "--keep-tmp"},
        {plan.export_csv.has_value(), "--export-csv"},
        {plan.export_json.has_value(), "--export-json"},
        {plan.export_jsonl.has_value(), "--export-jsonl"},
        {options.db_url.has_value(), "--db-url"},
        {plan.output_path && (plan.output_format == OutputFormat::kCsv ||
                              plan.output_format == OutputFormat::kJsonl),
         "--output in csv or jsonl"}};
    for (const auto& [given, flag] : needs_log) {
      if (given) return Error{std::string(flag) + " needs the run log: drop --no-run-log"};
    }
  }
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

}  // namespace

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

Status apply_reports(const RawOptions& options, const Origins&, Plan& plan) {
  plan.no_charts = options.no_charts.value_or(false);
  plan.charts_path = options.charts_path.value_or("");
  plan.db_url = options.db_url;
  plan.sinks = options.sinks;
  return Ok{};
}

Status build_plan(const RawOptions& options, const Origins& origins, ParsedCommand& command) {
  auto url = apply_url(options, origins, command);
  if (!url) return url;
  Plan& plan = command.plan;
  apply_limits(options, plan);
  plan.headers = options.headers.value_or(std::vector<Header>{});
  if (options.accept) set_header(plan.headers, "Accept", *options.accept);
  if (options.content_type) set_header(plan.headers, "Content-Type", *options.content_type);
  for (auto step : {apply_bodies, apply_user_agent, apply_output, apply_load, apply_spawn,
                    apply_warmup, apply_request_id, apply_thresholds, apply_reports, apply_run_log,
                    apply_metrics_range, apply_transport}) {
    auto status = step(options, origins, plan);
    if (!status) return status;
  }
  return Ok{};
}

}  // namespace strest
