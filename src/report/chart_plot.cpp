#include "report/chart_plot.h"

#include <plplot.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <system_error>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)  // g++
#define STREST_ASAN 1
#elif defined(__has_feature)  // clang
#if __has_feature(address_sanitizer)
#define STREST_ASAN 1
#endif
#endif
#if defined(STREST_ASAN)
#include <sanitizer/lsan_interface.h>

// fontconfig (loaded by cairo and pango, partly on pango's own thread) keeps process-wide font
// caches that it never frees. They are not ours to free and would fail every LeakSanitizer run
// that draws a chart, so LeakSanitizer is told at start-up to ignore them.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libfontconfig.so\nleak:libpangoft2-1.0.so\n";
}
#endif

namespace strest {
namespace {

constexpr const char* kDriver = "pngcairo";

// Colour map 0 of every chart. PLplot paints the page with entry 0 and draws with entry 1 by
// default (red); both are replaced so nothing is ever drawn in PLplot's own colours.
constexpr PLINT kInkBackground = 0, kInkText = 1, kInkGrid = 2, kInkFrame = 3, kFirstColor = 4;
struct Rgb {
  PLINT r, g, b;
};
constexpr std::array<Rgb, 11> kColorMap{{
    {255, 255, 255},  // background
    {33, 33, 33},     // text and axes
    {225, 225, 225},  // grid
    {150, 150, 150},  // legend frame
    {31, 119, 180},   // ChartColor::kBlue
    {230, 120, 20},   // kOrange
    {44, 160, 44},    // kGreen
    {214, 39, 40},    // kRed
    {148, 103, 189},  // kPurple
    {23, 160, 180},   // kTeal
    {127, 127, 127},  // kGray
}};

PLINT ink(ChartColor color) { return kFirstColor + static_cast<PLINT>(color); }

// Sizes on the page (PLplot units: character scale factors and pen widths in pixels).
constexpr double kTextScale = 1.0, kTitleScale = 1.35, kLegendScale = 0.9, kLineWidth = 2.5,
                 kAxisWidth = 1.2;
// The plot area as fractions of the page: room on the left for y tick labels and the axis
// label, at the top for the title and the legend.
constexpr double kLeft = 0.115, kRight = 0.97, kBottom = 0.12, kTop = 0.84;
// Markers are drawn on every point while a line has this few points (else they blur the line).
constexpr size_t kMaxMarkedPoints = 40;
// A value with no neighbours (one second, or between two gaps) gets a bigger dot.
constexpr double kLoneMarkerScale = 2.0;

std::mutex& plplot_mutex() {
  static std::mutex mutex;
  return mutex;
}

// One PLplot stream, made current while it lives; ending it writes and closes the file.
class PlotStream {
 public:
  PlotStream() { plmkstrm(&id_); }
  ~PlotStream() {
    if (id_ < 0) return;
    plsstrm(id_);
    plend1();
  }
  PlotStream(const PlotStream&) = delete;
  PlotStream& operator=(const PlotStream&) = delete;
  bool ok() const { return id_ >= 0; }

 private:
  PLINT id_ = -1;
};

// Tick label formats of both axes, handed to PLplot's label callback.
struct AxisFormat {
  double step = 1;
  double unit = 1;
};
struct LabelFormats {
  AxisFormat x, y;
};

void label_tick(PLINT axis, PLFLT value, char* label, PLINT length, PLPointer data) {
  const auto* formats = static_cast<const LabelFormats*>(data);
  const AxisFormat& format = axis == PL_X_AXIS ? formats->x : formats->y;
  std::snprintf(label, static_cast<size_t>(length), "%s",
                format_tick(value, format.step, format.unit).c_str());
}

// A count as "1,234,567".
std::string with_separators(double value) {
  std::string digits = std::to_string(static_cast<unsigned long long>(std::max(value, 0.0)));
  for (auto i = static_cast<std::ptrdiff_t>(digits.size()) - 3; i > 0; i -= 3) {
    digits.insert(static_cast<size_t>(i), ",");
  }
  return digits;
}

double axis_unit(double top) { return top >= 1e9 ? 1e9 : top >= 1e6 ? 1e6 : top >= 1e4 ? 1e3 : 1; }

bool all_integers(const ChartSpec& spec) {
  for (const ChartLine& line : spec.lines) {
    for (double v : line.y) {
      if (std::isfinite(v) && v != std::floor(v)) return false;
    }
  }
  for (const ChartBar& bar : spec.bars) {
    if (bar.value != std::floor(bar.value)) return false;
  }
  return true;
}

// Whole seconds and counts get whole ticks: 0.2 becomes 1, 2.5 becomes 2.
double whole_step(double step) { return std::max(std::floor(step), 1.0); }

double largest_value(const ChartSpec& spec) {
  double top = 0;
  for (const ChartLine& line : spec.lines) {
    for (double v : line.y) {
      if (std::isfinite(v)) top = std::max(top, v);
    }
  }
  for (const ChartBar& bar : spec.bars) top = std::max(top, bar.value);
  return top;
}

// The y axis: from 0 to a round value about 12% above the largest value, however small (a
// 0.2 ms latency gets a 0.25 ms axis); all zeros get 0 to 1. Counts never get fractional ticks.
AxisFormat y_axis(const ChartSpec& spec, double* top) {
  const double largest = largest_value(spec);
  double wanted = largest > 0 ? largest * 1.12 : 1.0;
  if (spec.y_limit > 0) wanted = std::min(wanted, spec.y_limit);
  double step = nice_tick_step(wanted, 5);
  if (all_integers(spec)) step = whole_step(step);
  *top = std::ceil(wanted / step - 1e-9) * step;
  return {step, axis_unit(*top)};
}

void draw_title_and_labels(const ChartSpec& spec) {
  plcol0(kInkText);
  plschr(0, kTitleScale);
  plmtex("t", 3.3, 0.5, 0.5, spec.title.c_str());
  plschr(0, kTextScale);
  plmtex("b", 3.0, 0.5, 0.5, spec.x_label.c_str());
}

// The y axis label sits just left of the widest tick label ("5", "0.25" or "400k").
void draw_y_label(const ChartSpec& spec, const AxisFormat& format, double top) {
  size_t widest = 1;
  for (double tick = 0; tick <= top + format.step / 2; tick += format.step) {
    widest = std::max(widest, format_tick(tick, format.step, format.unit).size());
  }
  plcol0(kInkText);
  plmtex("l", 2.4 + 0.75 * static_cast<double>(widest), 0.5, 0.5, spec.y_label.c_str());
}

// Light grid first, then the dark frame with ticks and labels on top of it.
void draw_axes(const LabelFormats& formats, bool x_numbers) {
  plcol0(kInkGrid);
  plwidth(1);
  plbox(x_numbers ? "g" : "", formats.x.step, 0, "g", formats.y.step, 0);
  plcol0(kInkText);
  plwidth(kAxisWidth);
  plbox(x_numbers ? "bcnsto" : "bc", formats.x.step, 0, "bcnstvo", formats.y.step, 0);
}

void draw_no_data(const ChartSpec& spec) {
  plwind(0, 1, 0, 1);
  plcol0(kInkText);
  plwidth(kAxisWidth);
  plbox("bc", 0, 0, "bc", 0, 0);
  plschr(0, kTitleScale);
  plptex(0.5, 0.5, 1, 0, 0.5, "no data");
  plschr(0, kTextScale);
  plptex(0.5, 0.42, 1, 0, 0.5, spec.no_data_note.c_str());
  plmtex("l", 2.0, 0.5, 0.5, spec.y_label.c_str());
}

// Contiguous runs of finite values become polylines; short lines also get a dot per point,
// so a single second (or a value between two gaps) is still visible.
void draw_line(const std::vector<double>& x, const ChartLine& line, double width) {
  plcol0(ink(line.color));
  plwidth(width);
  const size_t n = std::min(x.size(), line.y.size());
  const bool marked = n <= kMaxMarkedPoints;
  size_t start = 0;
  while (start < n) {
    while (start < n && !std::isfinite(line.y[start])) ++start;
    size_t end = start;
    while (end < n && std::isfinite(line.y[end])) ++end;
    const auto count = static_cast<PLINT>(end - start);
    if (count >= 2) plline(count, &x[start], &line.y[start]);
    if (count == 1 || (count > 0 && marked)) {
      plschr(0, count == 1 ? kLoneMarkerScale : kTextScale);
      plstring(count, &x[start], &line.y[start], "•");
      plschr(0, kTextScale);
    }
    start = end;
  }
}

// A dashed vertical line from the axis to `top`, its label beside it near the top.
void draw_marker(const ChartMarker& marker, double top) {
  constexpr PLINT kDashed = 2;  // PLplot's pen style 2: long dashes
  plcol0(ink(marker.color));
  plwidth(kLineWidth);
  pllsty(kDashed);
  const std::array<PLFLT, 2> xs{marker.x, marker.x};
  const std::array<PLFLT, 2> ys{0, top};
  plline(2, xs.data(), ys.data());
  pllsty(1);
  plschr(0, kLegendScale);
  plptex(marker.x, top * 0.93, 1, 0, marker.label_left ? 1.04 : -0.04, marker.label.c_str());
  plschr(0, kTextScale);
}

// Earlier lines are drawn wider, so a line hidden under an equal later one still shows.
double line_width(size_t index, size_t count) {
  return kLineWidth + 1.2 * static_cast<double>(count - 1 - index);
}

void draw_legend(const std::vector<ChartLine>& lines) {
  const auto n = static_cast<PLINT>(lines.size());
  std::vector<PLINT> options(lines.size(), PL_LEGEND_LINE), colors, styles(lines.size(), 1);
  std::vector<PLFLT> widths;
  std::vector<const char*> texts;
  for (const ChartLine& line : lines) {
    colors.push_back(ink(line.color));
    widths.push_back(line_width(widths.size(), lines.size()));
    texts.push_back(line.label.c_str());
  }
  std::vector<PLINT> text_colors(lines.size(), kInkText);
  PLFLT width = 0, height = 0;
  plwidth(1);
  pllegend(&width, &height, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX,
           PL_POSITION_TOP | PL_POSITION_OUTSIDE, 0, 0.015, 0.035, kInkBackground, kInkFrame, 1, 1,
           n, n, options.data(), 0.8, kLegendScale, 2.0, 0, text_colors.data(), texts.data(),
           nullptr, nullptr, nullptr, nullptr, colors.data(), styles.data(), widths.data(), nullptr,
           nullptr, nullptr, nullptr);
}

void draw_lines(const ChartSpec& spec) {
  double top = 1;
  LabelFormats formats;
  formats.y = y_axis(spec, &top);
  const double right = std::max(spec.x_max, spec.x_min + 1);
  formats.x.step = whole_step(nice_tick_step(right - spec.x_min, 8));
  plwind(spec.x_min, right, 0, top);
  plslabelfunc(label_tick, &formats);
  draw_axes(formats, true);
  draw_y_label(spec, formats.y, top);
  for (const ChartMarker& marker : spec.markers) draw_marker(marker, top);
  for (size_t i = 0; i < spec.lines.size(); ++i) {
    draw_line(spec.x, spec.lines[i], line_width(i, spec.lines.size()));
  }
  if (spec.lines.size() >= 2) draw_legend(spec.lines);
  plslabelfunc(nullptr, nullptr);
}

// Bars side by side with the category under each and the value above it.
void draw_bars(const ChartSpec& spec) {
  double top = 1;
  LabelFormats formats;
  formats.y = y_axis(spec, &top);
  top *= 1.08;  // room for the value printed above the tallest bar
  const double n = static_cast<double>(spec.bars.size());
  plwind(-0.6, n - 0.4, 0, top);
  plslabelfunc(label_tick, &formats);
  draw_axes(formats, false);
  draw_y_label(spec, formats.y, top);
  const double half = std::min(0.35, 0.35 * n / 3);
  for (size_t i = 0; i < spec.bars.size(); ++i) {
    const ChartBar& bar = spec.bars[i];
    const double x = static_cast<double>(i);
    const std::array<PLFLT, 4> xs{x - half, x + half, x + half, x - half};
    // A count far below the tallest bar still shows as a sliver above the axis.
    const double height = std::max(bar.value, top * 0.006);
    const std::array<PLFLT, 4> ys{0, 0, height, height};
    plcol0(ink(bar.color));
    plfill(4, xs.data(), ys.data());
    plcol0(kInkText);
    plmtex("b", 1.4, (x + 0.6) / (n + 0.2), 0.5, bar.label.c_str());
    plptex(x, height + top * 0.035, 1, 0, 0.5, with_separators(bar.value).c_str());
  }
  plslabelfunc(nullptr, nullptr);
}

// The part of the page one panel takes: panel `index` of `count`, stacked top to bottom, each
// with the margins a single chart has on its whole page.
void set_viewport(size_t index, size_t count) {
  if (count == 1) return plvpor(kLeft, kRight, kBottom, kTop);
  // Stacked panels are shorter: the same text needs a larger share of each.
  constexpr double kPanelBottom = 0.17, kPanelTop = 0.76;
  const double height = 1.0 / static_cast<double>(count);
  const double base = 1.0 - height * static_cast<double>(index + 1);
  plvpor(kLeft, kRight, base + kPanelBottom * height, base + kPanelTop * height);
}

void draw_panel(const ChartSpec& spec, size_t index, size_t count) {
  set_viewport(index, count);
  draw_title_and_labels(spec);
  if (spec.empty()) {
    draw_no_data(spec);
  } else if (!spec.bars.empty()) {
    draw_bars(spec);
  } else {
    draw_lines(spec);
  }
}

void set_color_map() {
  std::array<PLINT, kColorMap.size()> r{}, g{}, b{};
  for (size_t i = 0; i < kColorMap.size(); ++i) {
    r[i] = kColorMap[i].r;
    g[i] = kColorMap[i].g;
    b[i] = kColorMap[i].b;
  }
  plscmap0(r.data(), g.data(), b.data(), static_cast<PLINT>(kColorMap.size()));
}

// Creates (or truncates) the file first, so a bad path is our error message instead of
// PLplot ending the process.
Status check_writable(const std::string& path) {
  std::ofstream probe(path, std::ios::binary | std::ios::trunc);
  if (probe) return Ok{};
  return Error{"charts: cannot write '" + path + "': " + std::strerror(errno) +
               " (choose another folder with --charts-path, or --no-charts)"};
}

bool driver_listed() {
  constexpr int kMaxDevices = 128;
  std::array<const char*, kMaxDevices> menu{}, names{};
  const char** menu_ptr = menu.data();
  const char** names_ptr = names.data();
  int count = kMaxDevices;
  plgDevs(&menu_ptr, &names_ptr, &count);
  for (int i = 0; i < count; ++i) {
    if (names[static_cast<size_t>(i)] != nullptr && std::strcmp(names[i], kDriver) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool chart_driver_available() {
  std::lock_guard<std::mutex> lock(plplot_mutex());
  return driver_listed();
}

Status draw_chart(const ChartSpec& spec, const std::string& path, const ChartCanvas& canvas) {
  return draw_chart_panels({spec}, path, canvas);
}

Status draw_chart_panels(const std::vector<ChartSpec>& panels, const std::string& path,
                         const ChartCanvas& canvas) {
  std::lock_guard<std::mutex> lock(plplot_mutex());
  if (!driver_listed()) {
    return Error{
        "charts: PLplot's cairo PNG driver (pngcairo) is missing; install "
        "plplot-driver-cairo or run with --no-charts"};
  }
  if (Status writable = check_writable(path); !writable) return writable;
  {
    PlotStream stream;
    if (!stream.ok()) return Error{"charts: PLplot has no free stream for '" + path + "'"};
    plsdev(kDriver);
    plsfnam(path.c_str());
    plspage(0, 0, canvas.width, canvas.height, 0, 0);
    set_color_map();
    plinit();
    pladv(0);
    for (size_t i = 0; i < panels.size(); ++i) draw_panel(panels[i], i, panels.size());
  }
  std::error_code error;
  if (std::filesystem::file_size(path, error) == 0 || error) {
    return Error{"charts: PLplot wrote nothing to '" + path + "'"};
  }
  return Ok{};
}

double nice_tick_step(double range, int ticks) {
  if (!(range > 0) || ticks < 1) return 1;
  const double raw = range / ticks;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double fraction = raw / magnitude;
  const double nice = fraction <= 1     ? 1
                      : fraction <= 2   ? 2
                      : fraction <= 2.5 ? 2.5
                      : fraction <= 5   ? 5
                                        : 10;
  return nice * magnitude;
}

std::string format_tick(double value, double step, double unit) {
  const double scaled_step = step / unit;
  int decimals = 0;
  if (scaled_step > 0 && scaled_step < 1) {
    decimals = std::min(6, static_cast<int>(std::ceil(-std::log10(scaled_step) - 1e-9)));
    // 2.5 * 10^-k needs one more decimal than 10^-k.
    const double shifted = scaled_step * std::pow(10.0, decimals);
    if (std::fabs(shifted - std::round(shifted)) > 1e-6 && decimals < 6) ++decimals;
  } else if (scaled_step >= 1 && std::fabs(scaled_step - std::round(scaled_step)) > 1e-6) {
    decimals = 1;  // e.g. a step of 2.5k
  }
  double scaled = value / unit;
  if (std::fabs(scaled) < scaled_step * 1e-6) return "0";  // not "-0", "0.0" or "0k"
  char text[64];
  std::snprintf(text, sizeof text, "%.*f%s", decimals, scaled,
                unit >= 1e9   ? "G"
                : unit >= 1e6 ? "M"
                : unit >= 1e3 ? "k"
                              : "");
  return text;
}

}  // namespace strest
