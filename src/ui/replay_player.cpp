#include "ui/replay_player.h"

#include <algorithm>

namespace strest {

ReplayPlayer::ReplayPlayer(int64_t duration_us, int64_t step_us)
    : duration_us_(std::max<int64_t>(duration_us, 0)), step_us_(std::max<int64_t>(step_us, 1)) {}

void ReplayPlayer::advance(int64_t real_us) {
  if (!paused_ && real_us > 0) move_to(position_us_ + real_us);
}

void ReplayPlayer::toggle_pause() { paused_ = !paused_; }

void ReplayPlayer::seek(int direction) {
  move_to(position_us_ + (direction < 0 ? -step_us_ : step_us_));
}

void ReplayPlayer::restart() {
  move_to(0);
  paused_ = false;
}

std::optional<std::pair<int64_t, int64_t>> ReplayPlayer::snapshot_window() const {
  int64_t from = mark_start_us_.value_or(0);
  int64_t to = mark_end_us_.value_or(position_us_);
  if (from > to) std::swap(from, to);
  if (from == to) return std::nullopt;
  return std::pair{from, to};
}

bool ReplayPlayer::take_rewound() { return std::exchange(rewound_, false); }

void ReplayPlayer::move_to(int64_t position_us) {
  position_us = std::clamp<int64_t>(position_us, 0, duration_us_);
  if (position_us < position_us_) rewound_ = true;
  position_us_ = position_us;
}

}  // namespace strest
