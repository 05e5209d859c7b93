#include "report/agent_summary.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>

#include "report/latency_bars.h"
#include "text/ansi_color.h"

namespace strest {

namespace {

constexpr size_t kCountWidth = 10;
constexpr size_t kHealthWidth = 9;
constexpr size_t kTimeWidth = 10;

std::string pad_left(const std::string& text, size_t width) {
  return text.size() >= width ? text : std::string(width - text.size(), ' ') + text;
}

std::string pad_right(const std::string& text, size_t width) {
  return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}

// Run time in seconds, "12.345"; negative before the start.
std::string seconds_text(int64_t us) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", static_cast<double>(us) / 1e6);
  return text;
}

std::string_view health_color(const std::string& health) {
  if (health == "healthy") return kSgrGreen;
  if (health == "dropped") return kSgrYellow;
  return kSgrRed;
}

double to_ms(int64_t us) { return static_cast<double>(us) / 1000.0; }

}  // namespace

void write_agents_text(const RunResult& result, std::ostream& out, bool color) {
  if (result.agents.empty()) return;
  size_t id_width = 5;  // "Agent"
  for (const AgentReport& agent : result.agents)
    id_width = std::max(id_width, agent.agent_id.size());
  id_width += 2;
  out << '\n' << paint("Agents", kSgrBold, color) << '\n';
  out << "  " << pad_right("Agent", id_width) << pad_left("weight", kCountWidth)
      << pad_left("requests", kCountWidth) << pad_left("errors", kCountWidth) << "  "
      << pad_right("health", kHealthWidth) << pad_left("joined s", kTimeWidth)
      << pad_left("dropped s", kTimeWidth) << "  note\n";
  for (const AgentReport& agent : result.agents) {
    out << "  " << pad_right(agent.agent_id, id_width)
        << pad_left(std::to_string(agent.weight), kCountWidth)
        << pad_left(format_count(agent.requests), kCountWidth)
        << pad_left(format_count(agent.errors), kCountWidth) << "  "
        << paint(pad_right(agent.health, kHealthWidth), health_color(agent.health), color)
        << pad_left(seconds_text(agent.joined_us), kTimeWidth)
        << pad_left(agent.dropped_us ? seconds_text(*agent.dropped_us) : "-", kTimeWidth);
    if (!agent.note.empty()) out << "  " << agent.note;
    out << '\n';
  }
}

nlohmann::json agents_json(const RunResult& result) {
  nlohmann::json out = nlohmann::json::array();
  for (const AgentReport& agent : result.agents) {
    out.push_back({{"agent_id", agent.agent_id},
                   {"weight", agent.weight},
                   {"requests", agent.requests},
                   {"errors", agent.errors},
                   {"health", agent.health},
                   {"joined_ms", to_ms(agent.joined_us)},
                   {"dropped_ms", agent.dropped_us ? nlohmann::json(to_ms(*agent.dropped_us))
                                                   : nlohmann::json(nullptr)},
                   {"note", agent.note}});
  }
  return out;
}

}  // namespace strest
