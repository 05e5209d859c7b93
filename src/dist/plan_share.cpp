#include "dist/plan_share.h"

#include <algorithm>
#include <string>
#include <utility>

#include "plan/validate.h"

namespace strest::dist {
namespace {

using strest::Micros;

// Exact products of a 64-bit count and a 32-bit weight.
__extension__ typedef unsigned __int128 Wide;
__extension__ typedef __int128 SignedWide;

// `total` split in proportion to `weights` by largest remainder, so the parts sum exactly to
// `total`; ties go to the earlier agent. When total >= the agent count, no part is 0: a part
// that rounds to 0 takes one from the part furthest above its exact quota.
std::vector<uint64_t> split_exact(uint64_t total, std::span<const uint32_t> weights) {
  uint64_t weight_sum = 0;
  for (uint32_t weight : weights) weight_sum += weight;
  std::vector<uint64_t> parts(weights.size());
  std::vector<Wide> remainders(weights.size());
  uint64_t given = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    const Wide scaled = static_cast<Wide>(total) * weights[i];
    parts[i] = static_cast<uint64_t>(scaled / weight_sum);
    remainders[i] = scaled % weight_sum;
    given += parts[i];
  }
  std::vector<size_t> order(weights.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return remainders[a] > remainders[b]; });
  for (size_t k = 0; given < total; ++k, ++given) ++parts[order[k % order.size()]];
  if (total < weights.size()) return parts;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i] != 0) continue;
    // The donor: the part with the most above its quota, in units of 1 / weight_sum.
    size_t donor = parts.size();
    SignedWide best_surplus = 0;
    for (size_t j = 0; j < parts.size(); ++j) {
      if (parts[j] < 2) continue;
      const SignedWide surplus = static_cast<SignedWide>(parts[j]) * weight_sum -
                                 static_cast<SignedWide>(total) * weights[j];
      if (donor == parts.size() || surplus > best_surplus) {
        donor = j;
        best_surplus = surplus;
      }
    }
    --parts[donor];
    parts[i] = 1;
  }
  return parts;
}

std::string count_of_agents(size_t agents) {
  return std::to_string(agents) + (agents == 1 ? " agent" : " agents");
}

void scenario_to_wire(const strest::Scenario& scenario, Scenario& out) {
  if (scenario.base_url) out.set_base_url(*scenario.base_url);
  for (const auto& [name, value] : scenario.vars) {
    ScenarioVar& var = *out.add_vars();
    var.set_name(name);
    var.set_value(value);
  }
  if (scenario.vars_from_csv) {
    CsvVars& csv = *out.mutable_vars_from_csv();
    csv.set_path(scenario.vars_from_csv->path);
    for (const std::string& column : scenario.vars_from_csv->columns) csv.add_columns(column);
    for (const auto& row : scenario.vars_from_csv->rows) {
      CsvRow& wire_row = *csv.add_rows();
      for (const std::string& cell : row) wire_row.add_cells(cell);
    }
  }
  for (const strest::ScenarioStep& step : scenario.steps) {
    ScenarioStep& wire = *out.add_steps();
    wire.set_name(step.name);
    wire.set_method(step.method);
    wire.set_path(step.path);
    wire.set_url(step.url);
    for (const std::string& header : step.headers) wire.add_headers(header);
    if (step.data) wire.set_data(*step.data);
    for (const auto& [name, value] : step.vars) {
      ScenarioVar& var = *wire.add_vars();
      var.set_name(name);
      var.set_value(value);
    }
    if (step.assert_status) wire.set_assert_status(*step.assert_status);
    if (step.assert_body_contains) wire.set_assert_body_contains(*step.assert_body_contains);
    wire.set_think_time_us(step.think_time.count());
    for (const strest::ExtractRule& rule : step.extract) {
      ExtractRule& wire_rule = *wire.add_extract();
      wire_rule.set_var(rule.var);
      switch (rule.source) {
        case strest::ExtractRule::Source::kJsonPath:
          wire_rule.set_source(ExtractRule::JSON_PATH);
          break;
        case strest::ExtractRule::Source::kHeader:
          wire_rule.set_source(ExtractRule::HEADER);
          break;
        case strest::ExtractRule::Source::kRegex:
          wire_rule.set_source(ExtractRule::REGEX);
          break;
      }
      wire_rule.set_expression(rule.expression);
      wire_rule.set_text(rule.text);
    }
  }
}

Result<strest::Scenario> scenario_from_wire(const Scenario& wire) {
  strest::Scenario scenario;
  if (wire.has_base_url()) scenario.base_url = wire.base_url();
  for (const ScenarioVar& var : wire.vars()) scenario.vars.emplace_back(var.name(), var.value());
  if (wire.has_vars_from_csv()) {
    const CsvVars& csv = wire.vars_from_csv();
    strest::CsvVars& vars = scenario.vars_from_csv.emplace();
    vars.path = csv.path();
    vars.columns.assign(csv.columns().begin(), csv.columns().end());
    for (const CsvRow& row : csv.rows())
      vars.rows.emplace_back(row.cells().begin(), row.cells().end());
  }
  for (const ScenarioStep& wire_step : wire.steps()) {
    strest::ScenarioStep& step = scenario.steps.emplace_back();
    step.name = wire_step.name();
    step.method = wire_step.method();
    step.path = wire_step.path();
    step.url = wire_step.url();
    step.headers.assign(wire_step.headers().begin(), wire_step.headers().end());
    if (wire_step.has_data()) step.data = wire_step.data();
    for (const ScenarioVar& var : wire_step.vars()) step.vars.emplace_back(var.name(), var.value());
    if (wire_step.has_assert_status()) step.assert_status = wire_step.assert_status();
    if (wire_step.has_assert_body_contains()) {
      step.assert_body_contains = wire_step.assert_body_contains();
    }
    step.think_time = Micros(wire_step.think_time_us());
    for (const ExtractRule& wire_rule : wire_step.extract()) {
      strest::ExtractRule& rule = step.extract.emplace_back();
      rule.var = wire_rule.var();
      switch (wire_rule.source()) {
        case ExtractRule::JSON_PATH:
          rule.source = strest::ExtractRule::Source::kJsonPath;
          break;
        case ExtractRule::HEADER:
          rule.source = strest::ExtractRule::Source::kHeader;
          break;
        case ExtractRule::REGEX:
          rule.source = strest::ExtractRule::Source::kRegex;
          break;
        default:
          return Error{"scenario step '" + step.name + "': extract rule '" + wire_rule.text() +
                       "' has a source this version does not know; run the same strest "
                       "version on the controller and the agents"};
      }
      rule.expression = wire_rule.expression();
      rule.text = wire_rule.text();
    }
  }
  return scenario;
}

void transport_to_wire(const strest::TransportPlan& transport, Transport& out) {
  out.set_insecure(transport.insecure);
  out.set_cacert(transport.cacert);
  out.set_cert(transport.cert);
  out.set_key(transport.key);
  out.set_tls_min(transport.tls_min);
  out.set_tls_max(transport.tls_max);
  for (const std::string& protocol : transport.alpn) out.add_alpn(protocol);
  out.set_http2(transport.http2);
  out.set_http3(transport.http3);
  out.set_streams_per_connection(transport.streams_per_connection);
  if (transport.proxy) {
    Proxy& proxy = *out.mutable_proxy();
    proxy.set_host(transport.proxy->host);
    proxy.set_port(transport.proxy->port);
    proxy.set_user(transport.proxy->user);
    proxy.set_password(transport.proxy->password);
    proxy.set_text(transport.proxy->text);
  }
  if (transport.unix_socket) out.set_unix_socket(*transport.unix_socket);
  out.set_disable_keepalive(transport.disable_keepalive);
}

Result<strest::TransportPlan> transport_from_wire(const Transport& wire) {
  strest::TransportPlan transport;
  transport.insecure = wire.insecure();
  transport.cacert = wire.cacert();
  transport.cert = wire.cert();
  transport.key = wire.key();
  transport.tls_min = wire.tls_min();
  transport.tls_max = wire.tls_max();
  transport.alpn.assign(wire.alpn().begin(), wire.alpn().end());
  transport.http2 = wire.http2();
  transport.http3 = wire.http3();
  transport.streams_per_connection = wire.streams_per_connection();
  if (wire.has_proxy()) {
    const Proxy& proxy = wire.proxy();
    if (proxy.port() == 0 || proxy.port() > 65535) {
      return Error{"--proxy: port " + std::to_string(proxy.port()) + " is out of range (1-65535)"};
    }
    transport.proxy = strest::ProxyPlan{proxy.host(), static_cast<uint16_t>(proxy.port()),
                                        proxy.user(), proxy.password(), proxy.text()};
  }
  if (wire.has_unix_socket()) transport.unix_socket = wire.unix_socket();
  transport.disable_keepalive = wire.disable_keepalive();
  return transport;
}

// The URL as the user wrote its authority, so the agent's Host header is the controller's.
std::string url_text(const strest::Url& url) {
  if (url.host.empty()) return "";
  return url.scheme + "://" + url.host_header + url.target;
}

}  // namespace

Result<std::vector<PlanShare>> split_plan(const strest::Plan& plan,
                                          std::span<const uint32_t> weights) {
  if (weights.empty()) return Error{"no agents to split the plan between"};
  for (uint32_t weight : weights) {
    if (weight == 0) return Error{"--agent-weight must be at least 1 (an agent sent 0)"};
  }
  const size_t agents = weights.size();
  if (plan.max_tasks < agents) {
    return Error{"--max-tasks " + std::to_string(plan.max_tasks) + " is fewer than the " +
                 count_of_agents(agents) +
                 ": each agent needs a connection; raise --max-tasks "
                 "to at least " +
                 std::to_string(agents) + " or run fewer agents"};
  }
  if (plan.max_requests && *plan.max_requests < agents) {
    return Error{"--requests " + std::to_string(*plan.max_requests) + " is fewer than the " +
                 count_of_agents(agents) +
                 ": each agent needs a request; raise --requests "
                 "to at least " +
                 std::to_string(agents) + " or run fewer agents"};
  }
  uint64_t weight_sum = 0;
  for (uint32_t weight : weights) weight_sum += weight;

  // What every share has in common.
  PlanShare common;
  common.set_url(url_text(plan.url));
  common.set_method(plan.method);
  for (const strest::Header& header : plan.headers) {
    Header& wire = *common.add_headers();
    wire.set_name(header.name);
    wire.set_value(header.value);
  }
  for (const std::string& body : plan.bodies) common.add_bodies(body);
  common.set_send_user_agent(plan.send_user_agent);
  common.set_authorized(plan.authorized);
  if (plan.duration) common.set_duration_us(plan.duration->count());
  common.set_expected_status(plan.expected_status);
  common.set_timeout_us(plan.timeout.count());
  common.set_connect_timeout_us(plan.connect_timeout.count());
  common.set_spawn_interval_us(plan.spawn_interval.count());
  common.set_warmup_us(plan.warmup.count());
  if (plan.scenario) scenario_to_wire(*plan.scenario, *common.mutable_scenario());
  common.set_scenario_name(plan.scenario_name);
  common.set_script(plan.script);
  if (plan.request_id_header) common.set_request_id_header(*plan.request_id_header);
  transport_to_wire(plan.transport, *common.mutable_transport());
  if (plan.url.scheme != "https") {
    // TLS settings a config gave for https:// runs: the controller warned that they do nothing
    // here; sent along, the agent's check would refuse them as if they were flags.
    Transport& transport = *common.mutable_transport();
    transport.set_insecure(false);
    transport.clear_cacert();
    transport.clear_cert();
    transport.clear_key();
    transport.set_tls_min(0);
    transport.set_tls_max(0);
    transport.clear_alpn();
  }

  const std::vector<uint64_t> connections = split_exact(plan.max_tasks, weights);
  const std::vector<uint64_t> requests =
      plan.max_requests ? split_exact(*plan.max_requests, weights) : std::vector<uint64_t>{};
  const std::vector<uint64_t> spawn =
      plan.spawn_rate ? split_exact(*plan.spawn_rate, weights) : std::vector<uint64_t>{};

  std::vector<PlanShare> shares;
  shares.reserve(agents);
  for (size_t i = 0; i < agents; ++i) {
    PlanShare& share = shares.emplace_back(common);
    share.set_max_tasks(static_cast<uint32_t>(connections[i]));
    if (plan.max_requests) share.set_max_requests(requests[i]);
    // A ramp slower than one connection per interval is still a ramp of one.
    if (plan.spawn_rate)
      share.set_spawn_rate(static_cast<uint32_t>(std::max<uint64_t>(spawn[i], 1)));
    if (plan.load) {
      const auto share_of = [&](double rps) {
        return rps * static_cast<double>(weights[i]) / static_cast<double>(weight_sum);
      };
      LoadProfile& load = *share.mutable_load();
      load.set_start_rps(share_of(plan.load->start_rps));
      for (const strest::LoadStage& stage : plan.load->stages) {
        LoadStage& wire = *load.add_stages();
        wire.set_duration_us(stage.duration.count());
        wire.set_target_rps(share_of(stage.target_rps));
      }
    }
  }
  return shares;
}

Result<strest::Plan> plan_from_share(const PlanShare& share, const strest::Plan& local) {
  strest::Plan plan;
  if (!share.url().empty()) {
    auto url = parse_url(share.url());
    if (!url) return Error{"--url: " + url.error()};
    plan.url = std::move(*url);
  }
  auto transport = transport_from_wire(share.transport());
  if (!transport) return Error{transport.error()};
  plan.transport = std::move(*transport);
  plan.method = share.method();
  for (const Header& header : share.headers())
    plan.headers.push_back({header.name(), header.value()});
  plan.bodies.assign(share.bodies().begin(), share.bodies().end());
  plan.send_user_agent = share.send_user_agent();
  plan.authorized = share.authorized();
  if (share.has_duration_us()) plan.duration = Micros(share.duration_us());
  if (share.has_max_requests()) plan.max_requests = share.max_requests();
  plan.expected_status = share.expected_status();
  plan.timeout = Micros(share.timeout_us());
  plan.connect_timeout = Micros(share.connect_timeout_us());
  plan.max_tasks = share.max_tasks();
  if (share.has_load()) {
    strest::LoadProfile& load = plan.load.emplace();
    load.start_rps = share.load().start_rps();
    for (const LoadStage& stage : share.load().stages()) {
      load.stages.push_back({Micros(stage.duration_us()), stage.target_rps()});
    }
  }
  if (share.has_spawn_rate()) plan.spawn_rate = share.spawn_rate();
  plan.spawn_interval = Micros(share.spawn_interval_us());
  plan.warmup = Micros(share.warmup_us());
  if (share.has_scenario()) {
    auto scenario = scenario_from_wire(share.scenario());
    if (!scenario) return Error{scenario.error()};
    plan.scenario = std::move(*scenario);
  }
  plan.scenario_name = share.scenario_name();
  plan.script = share.script();
  if (share.has_request_id_header()) plan.request_id_header = share.request_id_header();

  // The agent's own machine: its threads (never more than its share of the connections), its
  // run log. Outputs, thresholds and the dashboard are the controller's.
  plan.threads = std::clamp<uint32_t>(local.threads, 1, std::max<uint32_t>(plan.max_tasks, 1));
  plan.tmp_path = local.tmp_path;
  plan.keep_tmp = local.keep_tmp;
  plan.run_log = local.run_log;
  plan.log_shards = local.log_shards;
  plan.verbose = local.verbose;
  plan.no_tui = true;
  plan.no_charts = true;
  plan.summary = false;

  if (auto status = validate(plan); !status) return Error{status.error()};
  return plan;
}

}  // namespace strest::dist
