#pragma once
// ReplayPlayer: the state of an interactive replay, apart from any terminal or clock: where it
// is in the recording, playing or paused, and the snapshot marks. Real time reaches it only
// through advance(), so tests drive it exactly.
#include <cstdint>
#include <optional>
#include <utility>

namespace strest {

class ReplayPlayer {
 public:
  // `duration_us`: the recording's length; `step_us`: one seek (--replay-step).
  ReplayPlayer(int64_t duration_us, int64_t step_us);

  // `real_us` of real time passed: while playing, the position moves on as much (the original
  // pace), stopping at the end.
  void advance(int64_t real_us);
  void toggle_pause();
  // One step back (direction < 0) or forward, within the recording. Seeking pauses nothing.
  void seek(int direction);
  // Back to the start, playing.
  void restart();
  void mark_start() { mark_start_us_ = position_us_; }
  void mark_end() { mark_end_us_ = position_us_; }

  // The window a snapshot covers: from the start mark (else the beginning) to the end mark
  // (else the current position), in order; nullopt when it would be empty.
  std::optional<std::pair<int64_t, int64_t>> snapshot_window() const;

  int64_t position_us() const { return position_us_; }
  int64_t duration_us() const { return duration_us_; }
  int64_t step_us() const { return step_us_; }
  bool paused() const { return paused_; }
  bool at_end() const { return position_us_ >= duration_us_; }
  std::optional<int64_t> mark_start_us() const { return mark_start_us_; }
  std::optional<int64_t> mark_end_us() const { return mark_end_us_; }

  // True once after the position moved backwards: what was shown must be rebuilt from the
  // start of the recording.
  bool take_rewound();

 private:
  void move_to(int64_t position_us);

  int64_t duration_us_;
  int64_t step_us_;
  int64_t position_us_ = 0;
  bool paused_ = false;
  bool rewound_ = false;
  std::optional<int64_t> mark_start_us_, mark_end_us_;
};

}  // namespace strest
