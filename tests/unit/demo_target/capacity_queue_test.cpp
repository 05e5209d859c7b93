// The /capacity/{n} queue on a clock the test gives: no sleeps, exact times.
#include "demo_target/capacity_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>
#include <vector>

#include "demo_target/target_routes.h"

namespace strest {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

TEST(CapacityQueue, AnIdleWorkerServesARequestIn1OverNSeconds) {
  CapacityQueue queue;
  EXPECT_EQ(queue.reserve(5 * kSecond, 4), 5 * kSecond + kSecond / 4);
}

TEST(CapacityQueue, RequestsArrivingTogetherAreServedOneAfterAnother) {
  CapacityQueue queue;
  EXPECT_EQ(queue.reserve(0, 10), kSecond / 10);
  EXPECT_EQ(queue.reserve(0, 10), 2 * kSecond / 10);
  EXPECT_EQ(queue.reserve(0, 10), 3 * kSecond / 10);
}

TEST(CapacityQueue, BelowCapacityNoRequestWaitsForAnother) {
  CapacityQueue queue;
  // 5 requests a second on a worker that serves 10: each is done 0.1 s after it arrives.
  for (int64_t i = 0; i < 50; ++i) {
    const int64_t arrival = i * kSecond / 5;
    EXPECT_EQ(queue.reserve(arrival, 10), arrival + kSecond / 10);
  }
}

TEST(CapacityQueue, AboveCapacityTheWaitGrowsWithEveryRequest) {
  CapacityQueue queue;
  // 20 requests a second on a worker that serves 10: the n-th waits n * 0.05 s more than the
  // first, so after 10 s of it the queue holds 5 s of work.
  int64_t previous_wait = 0;
  for (int64_t i = 0; i < 200; ++i) {
    const int64_t arrival = i * kSecond / 20;
    const int64_t wait = queue.reserve(arrival, 10) - arrival;
    EXPECT_EQ(wait, kSecond / 10 + i * kSecond / 20);
    EXPECT_GT(wait, previous_wait);
    previous_wait = wait;
  }
}

TEST(CapacityQueue, AQueueThatDrainedStartsIdleAgain) {
  CapacityQueue queue;
  for (int i = 0; i < 10; ++i) queue.reserve(0, 10);  // busy until 1 s
  EXPECT_EQ(queue.reserve(kSecond / 2, 10), kSecond + kSecond / 10) << "still queued";
  EXPECT_EQ(queue.reserve(3 * kSecond, 10), 3 * kSecond + kSecond / 10) << "drained";
}

TEST(CapacityQueue, ACancelledRequestLeavesNoBacklog) {
  CapacityQueue queue;
  for (int i = 0; i < 10; ++i) queue.reserve(0, 10);  // busy until 1 s
  for (int i = 0; i < 9; ++i) queue.cancel(10);       // nine of them were given up
  EXPECT_EQ(queue.reserve(0, 10), 2 * kSecond / 10) << "behind the one left";
  for (int i = 0; i < 5; ++i) queue.cancel(10);
  EXPECT_EQ(queue.reserve(kSecond, 10), kSecond + kSecond / 10) << "never before now";
}

TEST(CapacityQueue, ResetForgetsTheQueue) {
  CapacityQueue queue;
  for (int i = 0; i < 100; ++i) queue.reserve(0, 10);
  queue.reset();
  EXPECT_EQ(queue.reserve(0, 10), kSecond / 10);
}

TEST(CapacityQueue, ThreadsNeverShareASlot) {
  CapacityQueue queue;
  constexpr int kThreads = 4, kEach = 2000;
  std::vector<std::vector<int64_t>> ends(kThreads);
  {
    std::vector<std::jthread> threads;
    for (auto& mine : ends) {
      threads.emplace_back([&queue, &mine] {
        for (int i = 0; i < kEach; ++i) mine.push_back(queue.reserve(0, 1000));
      });
    }
  }
  std::set<int64_t> all;
  for (const auto& mine : ends) all.insert(mine.begin(), mine.end());
  ASSERT_EQ(all.size(), size_t{kThreads * kEach});
  EXPECT_EQ(*all.begin(), kSecond / 1000);
  EXPECT_EQ(*all.rbegin(), int64_t{kThreads * kEach} * kSecond / 1000);
}

TargetRoute route_of(std::string_view path) {
  TargetRequest request;
  request.method = "GET";
  request.path = path;
  std::string out;
  TargetRoute route = route_target_request(request, out);
  EXPECT_EQ(out.empty(), route.action == TargetAction::kCapacity) << out;
  return route;
}

TEST(CapacityRoute, AsksForTheQueueAtTheRateInThePath) {
  TargetRoute route = route_of("/capacity/400");
  EXPECT_EQ(route.action, TargetAction::kCapacity);
  EXPECT_EQ(route.per_second, 400u);
  EXPECT_FALSE(route.counted) << "counted once answered";
  EXPECT_EQ(route_of("/capacity/10000000").per_second, kTargetMaxCapacity);
}

TEST(CapacityRoute, ABadRateIs400) {
  for (std::string_view path : {"/capacity/0", "/capacity/10000001", "/capacity/x", "/capacity/"}) {
    TargetRequest request;
    request.method = "GET";
    request.path = path;
    std::string out;
    route_target_request(request, out);
    EXPECT_TRUE(out.starts_with("HTTP/1.1 400")) << path;
  }
}

}  // namespace
}  // namespace strest
