#include "scenario/csv_vars.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "plan/one_line.h"

namespace strest {
namespace {

// One record of RFC 4180 CSV starting at `at`; advances `at` past its line end and counts the
// lines it spans (a quoted field may hold line breaks).
Result<std::vector<std::string>> read_record(std::string_view text, size_t& at, size_t& line,
                                             const std::string& path) {
  std::vector<std::string> fields(1);
  const size_t first_line = line;
  bool quoted = false;
  bool was_quoted = false;  // the current field was quoted: only a separator may follow
  while (at < text.size()) {
    char c = text[at++];
    if (quoted) {
      if (c == '"') {
        if (at < text.size() && text[at] == '"') {
          fields.back() += '"';
          ++at;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        fields.back() += c;
      }
      continue;
    }
    if (c == ',') {
      fields.emplace_back();
      was_quoted = false;
    } else if (c == '\n' || (c == '\r' && at < text.size() && text[at] == '\n')) {
      if (c == '\r') ++at;
      ++line;
      return fields;
    } else if (c == '"' && fields.back().empty() && !was_quoted) {
      quoted = true;
      was_quoted = true;
    } else if (was_quoted) {
      return Error{path + ": line " + std::to_string(line) +
                   ": text after a closing quote; double a quote inside a quoted field (\"\")"};
    } else {
      fields.back() += c;
    }
  }
  if (quoted) {
    return Error{path + ": line " + std::to_string(first_line) +
                 ": a quoted field is never closed; add the closing '\"'"};
  }
  ++line;
  return fields;
}

}  // namespace

Result<CsvVars> parse_csv_vars(std::string_view text, const std::string& path) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a UTF-8 byte order mark
  CsvVars csv;
  csv.path = path;
  size_t at = 0;
  size_t line = 1;
  if (text.empty()) return Error{path + ": no header row: the first line names the variables"};
  auto header = read_record(text, at, line, path);
  if (!header) return Error{header.error()};
  for (const std::string& column : *header) {
    if (column.empty()) {
      return Error{path + ": line 1: an empty column name; name every column in the header row"};
    }
    if (std::count(header->begin(), header->end(), column) > 1) {
      return Error{path + ": line 1: column '" + one_line(column) + "' appears twice; rename one"};
    }
  }
  csv.columns = std::move(*header);
  while (at < text.size()) {
    size_t row_line = line;
    auto row = read_record(text, at, line, path);
    if (!row) return Error{row.error()};
    if (row->size() == 1 && row->front().empty()) continue;  // a blank line
    if (row->size() != csv.columns.size()) {
      return Error{path + ": line " + std::to_string(row_line) + ": " +
                   std::to_string(row->size()) + " fields where the header has " +
                   std::to_string(csv.columns.size()) + "; quote fields that hold commas"};
    }
    csv.rows.push_back(std::move(*row));
  }
  if (csv.rows.empty()) return Error{path + ": no data rows: add a row under the header"};
  return csv;
}

Result<CsvVars> read_csv_vars(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot read '" + path + "': " + std::strerror(errno)};
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) return Error{"cannot read '" + path + "': " + std::strerror(errno)};
  return parse_csv_vars(contents.str(), path);
}

}  // namespace strest
