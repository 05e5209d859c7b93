#include "ui/progress_line.h"

#include <unistd.h>

namespace strest {

namespace {
constexpr int64_t kRedrawEveryUs = 250'000;
}  // namespace

ProgressLine::ProgressLine(std::optional<int64_t> planned_us, std::FILE* out)
    : planned_us_(planned_us), out_(out) {}

bool ProgressLine::wanted() { return isatty(STDERR_FILENO) == 1; }

void ProgressLine::on_snapshot(const Snapshot& snapshot) {
  if (snapshot.elapsed_us - last_draw_us_ < kRedrawEveryUs) return;
  last_draw_us_ = snapshot.elapsed_us;
  const double elapsed = static_cast<double>(snapshot.elapsed_us) / 1e6;
  std::fprintf(out_, "\r\033[K  %6.1fs", elapsed);
  if (planned_us_) std::fprintf(out_, " / %.0fs", static_cast<double>(*planned_us_) / 1e6);
  const Tally& totals = *snapshot.totals;
  std::fprintf(out_, "  requests %llu  %.0f req/s  errors %llu",
               static_cast<unsigned long long>(totals.completed()), snapshot.recent_rps,
               static_cast<unsigned long long>(totals.errors()));
  std::fflush(out_);
}

void ProgressLine::on_finish(const Snapshot& /*snapshot*/) {
  std::fputs("\r\033[K", out_);
  std::fflush(out_);
}

}  // namespace strest
