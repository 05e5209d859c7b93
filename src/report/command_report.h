#pragma once
// The --report page of a command that is not one run (`strest capacity`, `strest compare`): its
// verdict as the headline table, the command's own text table as printed, and its charts. The
// run report (report/run_report.h) is the page of a single run.
#include <string>
#include <vector>

#include "plan/result.h"
#include "report/html_document.h"

namespace strest {

// What the page shows, in this order.
struct CommandReport {
  std::string title;                     // the page's title, e.g. "strest capacity: http://..."
  KeyValueTable headline{};              // the verdict (headline is set when written)
  std::string table_text{};              // the command's text output, shown fixed-width
  std::vector<std::string> png_paths{};  // charts to embed (PNG files), each captioned by its name
};

// The page as HTML; an error names a chart that cannot be read.
Result<std::string> command_report_html(const CommandReport& report);

// Writes a rendered page to `path` (replacing it at once); the error names --report and the fix.
Status write_report_file(const std::string& path, const std::string& html);

// Writes the page to `path` (replacing it at once); the error names --report and the fix.
Status write_command_report(const CommandReport& report, const std::string& path);

}  // namespace strest
