#pragma once
// A self-contained HTML page for reports (--report, capacity, compare): a title and sections of
// key/value tables, row tables, text, preformatted text and PNG images embedded as data URIs.
// The output needs nothing else: inline CSS only, no script, no external URL, every text
// escaped, readable without JavaScript and when printed.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "plan/result.h"

namespace strest {

// How a row is coloured: a verdict (threshold, expected status) or nothing.
enum class RowMark { kNone, kPass, kFail };

// One line of a key/value table.
struct KeyValueRow {
  std::string key;
  std::string value;
  RowMark mark = RowMark::kNone;
};

// A two-column table of labelled values. A headline table is the page's main result (the run's
// summary): it gets the distinctive background kHeadlineBackground.
struct KeyValueTable {
  std::vector<KeyValueRow> rows;
  bool headline = false;
};

// A row table's column: its heading, and whether its cells are numbers (right aligned).
struct Column {
  std::string heading;
  bool numeric = false;
};

// One line of a row table; cells beyond the columns are dropped, missing ones left empty.
struct TableRow {
  std::vector<std::string> cells;
  RowMark mark = RowMark::kNone;
};

// A table with a header line and rows.
struct RowTable {
  std::vector<Column> columns;
  std::vector<TableRow> rows;
};

// A paragraph of plain text.
struct Paragraph {
  std::string text;
};

// Text shown as is, in a fixed-width font (a latency histogram, a command line).
struct Preformatted {
  std::string text;
};

// A PNG embedded as a data URI, with its caption. Made by png_figure or png_file_figure.
struct Figure {
  std::string caption;
  std::string data_uri;  // "data:image/png;base64,..."
};

using HtmlBlock = std::variant<Paragraph, KeyValueTable, RowTable, Preformatted, Figure>;

// A heading and its blocks, in order. Figures that follow one another share a grid.
struct HtmlSection {
  std::string heading;
  std::string anchor;  // the id the page's contents link to: letters, digits, '-' and '_'
  std::vector<HtmlBlock> blocks;
};

// The headline table's background (CSS colour), for tests that look for it in a screenshot.
inline constexpr std::string_view kHeadlineBackground = "#dbeafe";

// A whole page: rendered once all its sections are added.
class HtmlDocument {
 public:
  explicit HtmlDocument(std::string title);

  // Adds a section at the end and returns it for its blocks. An anchor that is empty or has
  // other characters is replaced by "section-N". The reference stays valid until the next call.
  HtmlSection& add_section(std::string heading, std::string anchor = "");

  // The page: doctype, head with the title and the stylesheet, a contents list linking each
  // section, the sections. Every tag opened is closed.
  std::string render() const;

 private:
  std::string title_;
  std::vector<HtmlSection> sections_;
};

// `text` with &, <, >, " and ' replaced by their character references, safe in element text
// and in quoted attribute values.
std::string escape_html(std::string_view text);

// "data:image/png;base64,..." of PNG bytes.
std::string png_data_uri(std::span<const uint8_t> png);

// A figure of PNG bytes; an error when they do not start with the PNG signature.
Result<Figure> png_figure(std::span<const uint8_t> png, std::string caption);

// A figure of a PNG file; an error naming the file when it cannot be read or is not a PNG.
Result<Figure> png_file_figure(const std::string& path, std::string caption);

}  // namespace strest
