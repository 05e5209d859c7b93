#include "module/module_loader.h"

#include <gtest/gtest.h>

#include "net/http3_module.h"

namespace strest {
namespace {

// STREST_MODULE_DIR: where the build put libstrest_http3.so (tests/CMakeLists.txt).
const std::string kBuiltHttp3 = std::string(STREST_MODULE_DIR) + "/" + kHttp3ModuleFile;

TEST(ModuleLoaderTest, LooksNextToTheBinaryThenInLibStrest) {
  EXPECT_EQ(module_paths("/opt/strest/bin/strest", "libx.so"),
            (std::vector<std::string>{"/opt/strest/bin/libx.so",
                                      "/opt/strest/bin/../lib/strest/libx.so"}));
}

TEST(ModuleLoaderTest, LoadsTheBuiltModuleAndItsTable) {
  auto loaded = load_module_from({"/nonexistent/libstrest_http3.so", kBuiltHttp3},
                                 kHttp3ModuleSymbol, kHttp3ModuleLayout);
  ASSERT_TRUE(loaded) << loaded.error();
  const auto* module = static_cast<const Http3Module*>(*loaded);
  EXPECT_EQ(module->stamp.abi, kModuleAbi);
  EXPECT_STREQ(module->stamp.version, STREST_VERSION);
  EXPECT_NE(module->make_session, nullptr);
  EXPECT_NE(module->preload_credentials, nullptr);
  // The module's code runs: an unreadable --cacert is reported by its GnuTLS side.
  TlsSettings settings;
  settings.ca_file = "/nonexistent/ca.pem";
  EXPECT_NE(module->preload_credentials(settings).find("--cacert"), std::string::npos);
}

TEST(ModuleLoaderTest, MissingModuleSaysWhereItLooked) {
  auto loaded = load_module_from({"/nonexistent/a/libx.so", "/nonexistent/b/libx.so"},
                                 kHttp3ModuleSymbol, kHttp3ModuleLayout);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error(),
            "libx.so not found (looked at /nonexistent/a/libx.so, /nonexistent/b/libx.so)");
}

TEST(ModuleLoaderTest, RefusesAModuleFromAnotherBuild) {
  auto loaded = load_module_from({kBuiltHttp3}, kHttp3ModuleSymbol, kHttp3ModuleLayout + 8);
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().find("is from another build"), std::string::npos) << loaded.error();
}

TEST(ModuleLoaderTest, RefusesAModuleWithoutTheTable) {
  auto loaded = load_module_from({kBuiltHttp3}, "strest_no_such_table", kHttp3ModuleLayout);
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().find("has no strest_no_such_table"), std::string::npos);
}

TEST(ModuleLoaderTest, ErrorNamesTheFeatureAndTheFix) {
  const std::string message = module_error("--http3", "libstrest_http3.so not found");
  EXPECT_EQ(message.rfind("--http3 needs", 0), 0u);
  EXPECT_NE(message.find("scripts/build"), std::string::npos);
}

}  // namespace
}  // namespace strest
