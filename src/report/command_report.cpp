#include "report/command_report.h"

#include "sinks/atomic_file.h"

namespace strest {

Result<std::string> command_report_html(const CommandReport& report) {
  HtmlDocument page(report.title);
  KeyValueTable headline = report.headline;
  headline.headline = true;
  page.add_section("Result", "result").blocks.emplace_back(std::move(headline));
  page.add_section("Details", "details").blocks.emplace_back(Preformatted{report.table_text});
  if (!report.png_paths.empty()) {
    HtmlSection& charts = page.add_section("Charts", "charts");
    for (const std::string& path : report.png_paths) {
      auto figure = png_file_figure(path, path.substr(path.rfind('/') + 1));
      if (!figure) return Error{figure.error()};
      charts.blocks.emplace_back(std::move(*figure));
    }
  }
  return page.render();
}

Status write_report_file(const std::string& path, const std::string& html) {
  if (Status written = replace_file(path, html, false); !written) {
    return Error{"cannot write --report file " + written.error() +
                 ": check the directory exists and is writable"};
  }
  return Ok{};
}

Status write_command_report(const CommandReport& report, const std::string& path) {
  auto html = command_report_html(report);
  if (!html) return Error{"--report '" + path + "': " + html.error()};
  return write_report_file(path, *html);
}

}  // namespace strest
