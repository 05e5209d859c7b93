#include "net/listen_address.h"

#include <gtest/gtest.h>

namespace strest {
namespace {

TEST(ListenAddress, ReadsHostAndPort) {
  auto address = parse_listen_address("0.0.0.0:8080");
  ASSERT_TRUE(address) << address.error();
  EXPECT_EQ(address->host, "0.0.0.0");
  EXPECT_EQ(address->port, 8080);
  auto any_port = parse_listen_address("localhost:0");
  ASSERT_TRUE(any_port);
  EXPECT_EQ(any_port->port, 0);
}

TEST(ListenAddress, DropsTheBracketsOfAnIpv6Host) {
  auto address = parse_listen_address("[::1]:9000");
  ASSERT_TRUE(address) << address.error();
  EXPECT_EQ(address->host, "::1");
  EXPECT_EQ(address->port, 9000);
}

TEST(ListenAddress, RefusesWhatIsNotHostColonPort) {
  for (const char* text : {"8080", ":8080", "host:", "host:http", "host:70000", "h:123456", "h:-1",
                           "h:+1", "a b:80"}) {
    auto address = parse_listen_address(text);
    ASSERT_FALSE(address) << text;
    EXPECT_EQ(address.error(),
              std::string("expected HOST:PORT such as 127.0.0.1:8080 (got '") + text + "')");
  }
}

}  // namespace
}  // namespace strest
