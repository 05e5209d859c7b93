#include "engine/rate_schedule.h"

#include <algorithm>
#include <cmath>

namespace strest {

RateSchedule::RateSchedule(const LoadProfile& profile) {
  double start = 0;
  double rate = profile.start_rps;
  double count = 0;
  for (const LoadStage& stage : profile.stages) {
    const double length = static_cast<double>(stage.duration.count()) / 1e6;
    if (length <= 0) continue;
    const double slope = (stage.target_rps - rate) / length;
    segments_.push_back({start, length, rate, slope, count});
    count += rate * length + slope * length * length / 2;
    start += length;
    rate = stage.target_rps;
  }
  segments_.push_back({start, std::numeric_limits<double>::infinity(), rate, 0, count});
}

const RateSchedule::Segment& RateSchedule::segment_at_time(double t_s) const {
  auto after = std::upper_bound(segments_.begin(), segments_.end(), t_s,
                                [](double t, const Segment& s) { return t < s.start_s; });
  return *(after == segments_.begin() ? after : after - 1);
}

double RateSchedule::expected_count(int64_t t_us) const {
  if (t_us <= 0) return 0;
  const double t = static_cast<double>(t_us) / 1e6;
  const Segment& s = segment_at_time(t);
  const double dt = t - s.start_s;
  return s.count_at_start + s.rate * dt + s.slope * dt * dt / 2;
}

uint64_t RateSchedule::due_before(int64_t t_us) const {
  return static_cast<uint64_t>(std::ceil(expected_count(t_us)));
}

double RateSchedule::rate_at(int64_t t_us) const {
  const double t = static_cast<double>(std::max<int64_t>(t_us, 0)) / 1e6;
  const Segment& s = segment_at_time(t);
  return s.rate + s.slope * (t - s.start_s);
}

int64_t RateSchedule::due_us(uint64_t i) const {
  const double target = static_cast<double>(i);
  // The segment in which N reaches `target`: the last one whose start count is <= target.
  auto after = std::upper_bound(segments_.begin(), segments_.end(), target,
                                [](double c, const Segment& s) { return c < s.count_at_start; });
  // upper_bound passes over segments that add no requests (same start count as the next).
  const Segment* s = &*(after - 1);
  // After the stages the last rate holds; if that is 0, nothing more is ever due.
  if (s == &segments_.back() && s->rate <= 0) return kNever;
  const double need = target - s->count_at_start;
  if (need <= 0) return static_cast<int64_t>(std::llround(s->start_s * 1e6));
  // Solve rate*dt + slope*dt^2/2 = need, in the form that stays exact when slope is ~0.
  const double discriminant = s->rate * s->rate + 2 * s->slope * need;
  if (discriminant < 0) return kNever;
  const double denominator = s->rate + std::sqrt(discriminant);
  if (denominator <= 0) return kNever;
  // Rounding may put dt a hair past the segment's end; the target lies inside it.
  const double dt = std::min(2 * need / denominator, s->length_s);
  if (!std::isfinite(dt)) return kNever;
  const double t_us = (s->start_s + dt) * 1e6;
  if (t_us >= 9.2e18) return kNever;
  return static_cast<int64_t>(std::llround(t_us));
}

}  // namespace strest
