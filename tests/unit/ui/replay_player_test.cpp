#include "ui/replay_player.h"

#include <gtest/gtest.h>

namespace strest {
namespace {

TEST(ReplayPlayer, PlaysAtTheOriginalPaceAndStopsAtTheEnd) {
  ReplayPlayer player(10'000'000, 5'000'000);
  player.advance(250'000);
  EXPECT_EQ(player.position_us(), 250'000);
  player.advance(20'000'000);
  EXPECT_EQ(player.position_us(), 10'000'000);
  EXPECT_TRUE(player.at_end());
  EXPECT_FALSE(player.take_rewound());
}

TEST(ReplayPlayer, PauseHoldsThePosition) {
  ReplayPlayer player(10'000'000, 5'000'000);
  player.advance(1'000'000);
  player.toggle_pause();
  player.advance(3'000'000);
  EXPECT_EQ(player.position_us(), 1'000'000);
  EXPECT_TRUE(player.paused());
  player.toggle_pause();
  player.advance(1'000'000);
  EXPECT_EQ(player.position_us(), 2'000'000);
}

TEST(ReplayPlayer, SeeksByTheStepWithinTheRecording) {
  ReplayPlayer player(12'000'000, 5'000'000);
  player.seek(+1);
  EXPECT_EQ(player.position_us(), 5'000'000);
  EXPECT_FALSE(player.take_rewound());
  player.seek(+1);
  player.seek(+1);
  EXPECT_EQ(player.position_us(), 12'000'000);
  player.seek(-1);
  EXPECT_EQ(player.position_us(), 7'000'000);
  EXPECT_TRUE(player.take_rewound());
  EXPECT_FALSE(player.take_rewound());  // once
  player.seek(-1);
  player.seek(-1);
  EXPECT_EQ(player.position_us(), 0);
}

TEST(ReplayPlayer, RestartGoesBackToTheStartAndPlays) {
  ReplayPlayer player(10'000'000, 5'000'000);
  player.advance(4'000'000);
  player.toggle_pause();
  player.restart();
  EXPECT_EQ(player.position_us(), 0);
  EXPECT_FALSE(player.paused());
  EXPECT_TRUE(player.take_rewound());
}

TEST(ReplayPlayer, SnapshotWindowComesFromTheMarksInOrder) {
  ReplayPlayer player(10'000'000, 1'000'000);
  EXPECT_FALSE(player.snapshot_window().has_value());  // at 0 with no marks: empty
  player.advance(2'000'000);
  EXPECT_EQ(player.snapshot_window(), (std::pair<int64_t, int64_t>{0, 2'000'000}));
  player.mark_start();
  player.advance(3'000'000);
  EXPECT_EQ(player.snapshot_window(), (std::pair<int64_t, int64_t>{2'000'000, 5'000'000}));
  player.mark_end();
  player.seek(-1);
  player.seek(-1);
  player.seek(-1);
  player.seek(-1);
  player.mark_start();  // at 1 s
  EXPECT_EQ(player.snapshot_window(), (std::pair<int64_t, int64_t>{1'000'000, 5'000'000}));
  player.advance(7'000'000);
  player.mark_start();  // start after the end: the window is put in order
  EXPECT_EQ(player.snapshot_window(), (std::pair<int64_t, int64_t>{5'000'000, 8'000'000}));
}

}  // namespace
}  // namespace strest
