#include "cli/plan_steps.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <thread>

#include "cli/config_file.h"
#include "net/transport_setup.h"
#include "plan/duration.h"
#include "plan/scenario_check.h"
#include "plan/url.h"
#include "plan/validate.h"
#include "text/ascii.h"

namespace strest {

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
  const auto& scenario = command.plan.scenario;
  if (!options.url && scenario && scenario->base_url) {
    // A scenario's base_url is the target when no --url is given.
    auto url = parse_url(*scenario->base_url);
    if (!url) return Error{scenario_subject(command.plan) + " base_url: " + url.error()};
    command.plan.url = std::move(*url);
    return Ok{};
  }
  if (!options.url && scenario) {
    return Error{"no target URL: pass --url or set base_url in the " +
                 scenario_subject(command.plan)};
  }
  if (!options.url) return Error{"no target URL: pass --url or set url in strest.toml"};
  std::string origin = origins.of(&RawOptions::url);
  auto url = parse_url(*options.url);
  if (!url) return Error{origin + ": " + url.error()};
  command.plan.url = std::move(*url);
  return Ok{};
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
    if (!text) return Error{origins.of(&RawOptions::data_file) + ": " + text.error()};
    plan.bodies = {std::move(*text)};
  }
  if (options.data_lines) {
    std::string origin = origins.of(&RawOptions::data_lines);
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
  plan.ui_window = options.ui_window.value_or(plan.ui_window);
  plan.verbose = options.verbose.value_or(false);
  plan.send_user_agent = !options.no_ua.value_or(false);
  plan.authorized = options.authorized.value_or(false);
}

// --rate replaces [load] whole (merge takes the field from one source). A profile with stages
// and no duration runs as long as its stages, or until --requests, whichever comes first.
Status apply_load(const RawOptions& options, const Origins&, Plan& plan) {
  plan.load = options.load;
  if (!options.duration && plan.load && !plan.load->stages.empty()) {
    plan.duration = plan.load->stages_duration();
  }
  if (options.spawn_rate) plan.spawn_rate = static_cast<uint32_t>(*options.spawn_rate);
  plan.spawn_interval = options.spawn_interval.value_or(plan.spawn_interval);
  plan.warmup = options.warmup.value_or(plan.warmup);
  plan.request_id_header = options.request_id_header;
  return Ok{};
}

// The run log, and the exports written from it at the end.
Status apply_run_log(const RawOptions& options, const Origins&, Plan& plan) {
  plan.tmp_path = options.tmp_path.value_or("");
  plan.keep_tmp = options.keep_tmp.value_or(false);
  plan.log_shards = static_cast<uint32_t>(options.log_shards.value_or(plan.log_shards));
  plan.export_csv = options.export_csv;
  plan.export_json = options.export_json;
  plan.export_jsonl = options.export_jsonl;
  plan.metrics_window.max = options.metrics_max.value_or(plan.metrics_window.max);
  plan.run_log = !options.no_run_log.value_or(false);
  if (options.metrics_range) {
    plan.metrics_window.from = options.metrics_range->from;
    plan.metrics_window.to = options.metrics_range->to;
  }
  return Ok{};
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
  return Error{origins.of(&RawOptions::output) + ": cannot tell the format of '" + *options.output +
               "' from its extension; pass --output-format json, jsonl, csv or text"};
}

// Thresholds from the config and the command line add up (merge).
Status apply_thresholds(const RawOptions& options, const Origins&, Plan& plan) {
  plan.thresholds = options.thresholds.value_or(std::vector<Threshold>{});
  plan.abort_on_fail = options.abort_on_fail.value_or(false);
  plan.abort_delay = options.abort_delay.value_or(plan.abort_delay);
  return Ok{};
}

Status apply_reports(const RawOptions& options, const Origins&, Plan& plan) {
  plan.no_charts = options.no_charts.value_or(false);
  plan.charts_path = options.charts_path.value_or("");
  plan.db_url = options.db_url;
  plan.report_path = options.report;
  plan.sinks = options.sinks;
  return Ok{};
}

namespace {

// The target: an agent has none of its own (its controller sends it), a manual controller may
// have none (POST /start names a scenario), an auto controller needs one.
Status apply_target(const RawOptions& options, const Origins& origins, ParsedCommand& command) {
  Plan& plan = command.plan;
  const auto& dist = plan.distributed;
  if (dist && dist->role == DistributedPlan::Role::kAgent) {
    return refuse_agent_traffic(options, origins);
  }
  auto scenario = apply_scenario(options, origins, plan);
  if (!scenario) return scenario;
  if (dist && !options.url && !plan.scenario) {
    if (dist->mode == DistributedPlan::ControllerMode::kManual) return Ok{};
    return Error{
        "no target URL: a controller in auto mode needs --url or a scenario to send its agents "
        "(or --controller-mode manual, to start runs with POST /start)"};
  }
  return apply_url(options, origins, command);
}

}  // namespace

Status build_plan(const RawOptions& options, const Origins& origins, ParsedCommand& command) {
  auto distributed = apply_distributed(options, origins, command.plan);
  if (!distributed) return distributed;
  auto target = apply_target(options, origins, command);
  if (!target) return target;
  Plan& plan = command.plan;
  apply_limits(options, plan);
  plan.headers = options.headers.value_or(std::vector<Header>{});
  if (options.accept) set_header(plan.headers, "Accept", *options.accept);
  if (options.content_type) set_header(plan.headers, "Content-Type", *options.content_type);
  for (auto step : {apply_bodies, apply_output, apply_load, apply_thresholds, apply_reports,
                    apply_run_log, apply_transport}) {
    auto status = step(options, origins, plan);
    if (!status) return status;
  }
  SettingOrigins record = origins.record();
  if (!options.duration && plan.duration) {
    record.record("--duration", SettingOrigin::derived("the load stages in all"));
  }
  plan.origins = record;
  auto valid = validate(plan, record);
  if (!valid) return valid;
  return check_tls_credentials(plan);
}

}  // namespace strest
