#include "report/charts.h"

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <system_error>

#include "plan/default_paths.h"
#include "report/chart_data.h"
#include "report/chart_plot.h"

namespace strest {

Result<std::vector<std::string>> write_charts(const RunResult& result,
                                              const std::string& directory) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error || !std::filesystem::is_directory(directory)) {
    return Error{"charts: cannot create folder '" + directory +
                 "': " + (error ? error.message() : "a file of that name exists") +
                 " (choose another with --charts-path, or --no-charts)"};
  }
  std::vector<std::string> paths;
  for (const ChartSpec& spec : chart_specs(result)) {
    std::string path = (std::filesystem::path(directory) / spec.file_name).string();
    if (Status drawn = draw_chart(spec, path); !drawn) return Error{drawn.error()};
    paths.push_back(std::move(path));
  }
  return paths;
}

std::string default_charts_path() { return default_folder(kDefaultChartsPath); }

std::string run_charts_folder(const std::string& base) {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "run-%Y%m%d-%H%M%S", &local);
  const std::filesystem::path first = std::filesystem::path(base) / stamp;
  std::error_code error;
  std::filesystem::create_directories(base, error);
  std::filesystem::path candidate = first;
  // create_directory is false without an error only when the folder already exists.
  for (int suffix = 2; suffix < 10'000; ++suffix) {
    if (std::filesystem::create_directory(candidate, error) || error) break;
    candidate = first.string() + "-" + std::to_string(suffix);
  }
  return candidate.string();
}

}  // namespace strest
