#include "dist/link_credentials.h"

#include <gtest/gtest.h>

namespace strest {
namespace {

TEST(LinkCredentials, NoTlsFileMeansPlaintext) {
  const DistributedPlan plan;
  EXPECT_TRUE(dist::agent_credentials(plan));
  EXPECT_TRUE(dist::controller_credentials(plan));
}

TEST(LinkCredentials, AnUnreadableFileNamesItsFlag) {
  DistributedPlan plan;
  plan.tls_ca = "/nonexistent/ca.pem";
  auto agent = dist::agent_credentials(plan);
  ASSERT_FALSE(agent);
  EXPECT_NE(agent.error().find("--dist-cacert"), std::string::npos) << agent.error();

  plan.tls_ca.clear();
  plan.tls_cert = "/nonexistent/cert.pem";
  plan.tls_key = "/nonexistent/key.pem";
  auto controller = dist::controller_credentials(plan);
  ASSERT_FALSE(controller);
  EXPECT_NE(controller.error().find("--dist-cert"), std::string::npos) << controller.error();
}

TEST(LinkCredentials, AControllerVerifyingClientsNeedsItsOwnCertificate) {
  DistributedPlan plan;
  plan.tls_ca = "/some/ca.pem";
  auto controller = dist::controller_credentials(plan);
  ASSERT_FALSE(controller);
  EXPECT_NE(controller.error().find("--dist-cert"), std::string::npos) << controller.error();
}

}  // namespace
}  // namespace strest
