#include "wasm/wasm_scenario.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "in_temp_dir_test.h"

namespace strest {
namespace {

std::string test_module(const std::string& name) {
  return std::string(STREST_WASM_TEST_DIR) + "/" + name + ".wasm";
}

std::string example(const std::string& name) {
  return std::string(STREST_WASM_EXAMPLES_DIR) + "/" + name + ".wasm";
}

// The module's error: one line naming the file.
std::string error_of(const std::string& path) {
  auto json = scenario_json_from_wasm(path);
  EXPECT_FALSE(json.ok()) << path << " loaded: " << *json;
  if (json.ok()) return "";
  EXPECT_EQ(json.error().find('\n'), std::string::npos) << json.error();
  EXPECT_EQ(json.error().rfind("--script " + path + ": ", 0), 0u) << json.error();
  return json.error();
}

std::string error_of_module(const std::string& name) { return error_of(test_module(name)); }

using ::testing::HasSubstr;

TEST(WasmScenario, MinimalExampleReturnsItsJson) {
  auto json = scenario_json_from_wasm(example("minimal"));
  ASSERT_TRUE(json.ok()) << json.error();
  EXPECT_EQ(*json, R"({"schema_version":1,"steps":[{"path":"/health","assert_status":200}]})");
}

TEST(WasmScenario, InterestingExampleRunsItsLengthLoop) {
  auto json = scenario_json_from_wasm(example("interesting"));
  ASSERT_TRUE(json.ok()) << json.error();
  auto scenario = nlohmann::json::parse(*json);
  EXPECT_EQ(scenario["schema_version"], 1);
  ASSERT_EQ(scenario["steps"].size(), 5u);
  EXPECT_EQ(scenario["steps"][0]["path"], "/health");
  EXPECT_EQ(scenario["steps"][1]["method"], "post");
  EXPECT_EQ(scenario["steps"][1]["data"], R"({"user":"{{user}}","seq":{{seq}}})");
  EXPECT_EQ(scenario["steps"][1]["extract"]["token"], "json:$.token");
  EXPECT_EQ(scenario["steps"][2]["path"], "/search?q={{query}}");
  EXPECT_EQ(scenario["steps"][3]["path"], "/items/{{seq}}");
  EXPECT_EQ(scenario["steps"][4]["headers"][0], "Authorization: Bearer {{token}}");
}

TEST(WasmScenario, MissingFile) {
  EXPECT_THAT(error_of("no/such/script.wasm"),
              HasSubstr("cannot read the file (No such file or directory); check the path"));
}

class WasmScenarioFile : public InTempDirTest {};

TEST_F(WasmScenarioFile, ModuleOverFourMegabytes) {
  write("big.wasm", std::string(4 * 1024 * 1024 + 1, '\0'));
  EXPECT_THAT(error_of("big.wasm"), HasSubstr("the module is 4194305 bytes, over the 4 MB limit"));
}

TEST_F(WasmScenarioFile, NotAWasmModule) {
  write("text.wasm", "(module)\n");
  EXPECT_THAT(error_of("text.wasm"), HasSubstr("not a valid WebAssembly module: "));
  EXPECT_THAT(error_of("text.wasm"), HasSubstr("magic"));
}

TEST_F(WasmScenarioFile, TruncatedModule) {
  std::ifstream in(example("minimal"), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  write("cut.wasm", bytes.substr(0, bytes.size() - 5));
  EXPECT_THAT(error_of("cut.wasm"), HasSubstr("not a valid WebAssembly module: "));
}

TEST(WasmScenario, Imports) {
  EXPECT_THAT(error_of_module("import"),
              HasSubstr("imports are not allowed: module imports env.foo; remove it"));
}

TEST(WasmScenario, StartFunction) {
  EXPECT_THAT(error_of_module("start_function"), HasSubstr("a start function is not allowed"));
}

TEST(WasmScenario, NoExportedMemory) {
  EXPECT_THAT(error_of_module("no_memory"),
              HasSubstr("no exported memory; export the module's memory as \"memory\""));
}

TEST(WasmScenario, MemoryWithoutMaximum) {
  EXPECT_THAT(error_of_module("no_max"), HasSubstr("the memory declares no maximum; declare one"));
}

TEST(WasmScenario, MemoryMaximumOver128Pages) {
  EXPECT_THAT(error_of_module("max_too_big"),
              HasSubstr("the memory's maximum is 129 pages, over the 128-page (8 MB) limit"));
}

TEST(WasmScenario, Memory64) {
  EXPECT_THAT(error_of_module("memory64"), HasSubstr("memory64 is not allowed"));
}

TEST(WasmScenario, SharedMemory) {
  EXPECT_THAT(error_of_module("shared"), HasSubstr("shared memory is not allowed"));
}

TEST(WasmScenario, MissingExport) {
  EXPECT_THAT(error_of_module("missing_len"),
              HasSubstr("missing export scenario_len; export a function scenario_len() -> i32"));
}

TEST(WasmScenario, WrongSignature) {
  EXPECT_THAT(error_of_module("wrong_signature"),
              HasSubstr("scenario_len has the signature (i32) -> (i64); it must be () -> i32"));
}

TEST(WasmScenario, PayloadOverOneMegabyte) {
  EXPECT_THAT(error_of_module("len_too_big"),
              HasSubstr("scenario_len returned 1048577; the payload must be 0 to 1048576 bytes"));
}

TEST(WasmScenario, NegativeLength) {
  EXPECT_THAT(error_of_module("len_negative"), HasSubstr("scenario_len returned -1;"));
}

TEST(WasmScenario, PayloadOutsideMemory) {
  EXPECT_THAT(error_of_module("out_of_bounds"),
              HasSubstr("the payload [65530, 65540) lies outside the memory of 65536 bytes"));
}

TEST(WasmScenario, Trap) {
  EXPECT_THAT(error_of_module("trap"), HasSubstr("scenario_ptr trapped: unreachable"));
}

TEST(WasmScenario, EndlessLoopHitsTheBudget) {
  EXPECT_THAT(error_of_module("endless_loop"),
              HasSubstr("scenario_ptr did not return within 10000000 instructions (an endless "
                        "loop?)"));
}

TEST(WasmScenario, PayloadNotUtf8) {
  EXPECT_THAT(error_of_module("not_utf8"), HasSubstr("the payload is not valid UTF-8"));
}

}  // namespace
}  // namespace strest
