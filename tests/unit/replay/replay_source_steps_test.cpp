// A replay from a JSONL export of a scenario run gets the step names from the summary and
// each record's step from its step column.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "replay/replay_source.h"

namespace strest {
namespace {

TEST(StepReplaySource, AJsonlExportNamesItsSteps) {
  const std::string path =
      (std::filesystem::temp_directory_path() / "strest_step_replay_source.jsonl").string();
  {
    std::ofstream out(path);
    out << R"({"type":"meta","schema_version":1,"run_start_unix_us":0,"open_loop":false})" << '\n'
        << R"({"type":"request","sequence":0,"start_ms":0.000,"latency_ms":1.000,)"
        << R"("service_ms":1.000,"status":200,"outcome":"ok","error":"","bytes":1,)"
        << R"("worker":0,"step":0})" << '\n'
        << R"({"type":"request","sequence":0,"start_ms":1.000,"latency_ms":2.000,)"
        << R"("service_ms":2.000,"status":401,"outcome":"assert_failed","error":"",)"
        << R"("bytes":1,"worker":0,"step":1})" << '\n'
        << R"({"type":"summary","steps":[{"name":"login"},{"name":"profile"}]})" << '\n';
  }
  ReplayOptions options;
  options.source_kind = ReplayOptions::Source::kJsonl;
  options.source = path;
  auto source = load_replay_source(options);
  std::remove(path.c_str());
  ASSERT_TRUE(source) << source.error();
  EXPECT_EQ(source->step_names, (std::vector<std::string>{"login", "profile"}));
  ASSERT_EQ(source->records.size(), 2u);
  EXPECT_EQ(source->records[1].step, 1);
  EXPECT_EQ(source->records[1].outcome, LoggedOutcome::kAssertFailed);
}

}  // namespace
}  // namespace strest
