#include "report/html_document.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <sstream>

#include "metrics/base64.h"

namespace strest {
namespace {

constexpr std::array<uint8_t, 8> kPngSignature = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

// One stylesheet for every report. Marked rows say PASS or FAIL in words too, so a grey
// printout loses nothing; print keeps the colours where the printer allows.
constexpr std::string_view kStyle = R"css(
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2937;
       background: #ffffff; max-width: 1200px; margin: 1.5em auto; padding: 0 1em;
       line-height: 1.4; }
h1 { font-size: 1.6em; margin: 0 0 .4em; }
h2 { font-size: 1.25em; margin: 1.4em 0 .4em; border-bottom: 1px solid #d1d5db; }
nav ol { margin: 0 0 1em; padding: 0; list-style: none; display: flex; flex-wrap: wrap;
         gap: .3em 1em; font-size: .9em; }
a { color: #1d4ed8; }
table { border-collapse: collapse; margin: .4em 0 1em; }
th, td { border: 1px solid #d1d5db; padding: .25em .6em; text-align: left;
         vertical-align: top; }
thead th { background: #f3f4f6; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.headline th, table.headline td { background: #dbeafe; border-color: #93c5fd; }
table.headline th { font-weight: 600; }
tr.pass td, tr.pass th { background: #dcfce7; }
tr.fail td, tr.fail th { background: #fee2e2; }
pre { background: #f9fafb; border: 1px solid #e5e7eb; padding: .6em; overflow-x: auto;
      font-size: .85em; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(460px, 1fr));
           gap: 1em; }
figure { margin: 0; border: 1px solid #e5e7eb; padding: .5em; break-inside: avoid; }
figure img { display: block; width: 100%; height: auto; }
figcaption { font-size: .9em; color: #4b5563; margin-top: .3em; }
@media print {
  body { max-width: none; margin: 0; padding: 0; }
  nav { display: none; }
  table, figure, pre { break-inside: avoid; }
  .figures { grid-template-columns: 1fr 1fr; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
)css";

bool valid_anchor(std::string_view anchor) {
  return !anchor.empty() && std::all_of(anchor.begin(), anchor.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

std::string_view mark_class(RowMark mark) {
  switch (mark) {
    case RowMark::kPass:
      return " class=\"pass\"";
    case RowMark::kFail:
      return " class=\"fail\"";
    case RowMark::kNone:
      break;
  }
  return "";
}

void render_block(const Paragraph& paragraph, std::ostream& out) {
  out << "<p>" << escape_html(paragraph.text) << "</p>\n";
}

void render_block(const Preformatted& text, std::ostream& out) {
  out << "<pre>" << escape_html(text.text) << "</pre>\n";
}

void render_block(const KeyValueTable& table, std::ostream& out) {
  out << "<table" << (table.headline ? " class=\"headline\"" : "") << ">\n<tbody>\n";
  for (const KeyValueRow& row : table.rows) {
    out << "<tr" << mark_class(row.mark) << "><th scope=\"row\">" << escape_html(row.key)
        << "</th><td>" << escape_html(row.value) << "</td></tr>\n";
  }
  out << "</tbody>\n</table>\n";
}

std::string_view numeric_class(const std::vector<Column>& columns, size_t index) {
  return columns[index].numeric ? " class=\"num\"" : "";
}

void render_block(const RowTable& table, std::ostream& out) {
  out << "<table>\n<thead>\n<tr>";
  for (size_t i = 0; i < table.columns.size(); ++i) {
    out << "<th scope=\"col\"" << numeric_class(table.columns, i) << ">"
        << escape_html(table.columns[i].heading) << "</th>";
  }
  out << "</tr>\n</thead>\n<tbody>\n";
  for (const TableRow& row : table.rows) {
    out << "<tr" << mark_class(row.mark) << ">";
    for (size_t i = 0; i < table.columns.size(); ++i) {
      const std::string cell = i < row.cells.size() ? escape_html(row.cells[i]) : "";
      out << "<td" << numeric_class(table.columns, i) << ">" << cell << "</td>";
    }
    out << "</tr>\n";
  }
  out << "</tbody>\n</table>\n";
}

void render_block(const Figure& figure, std::ostream& out) {
  const std::string caption = escape_html(figure.caption);
  out << "<figure><img src=\"" << escape_html(figure.data_uri) << "\" alt=\"" << caption
      << "\"><figcaption>" << caption << "</figcaption></figure>\n";
}

// Runs of figures share one grid, so charts sit side by side on a wide page.
void render_section(const HtmlSection& section, std::ostream& out) {
  out << "<section id=\"" << section.anchor << "\">\n<h2>" << escape_html(section.heading)
      << "</h2>\n";
  bool in_grid = false;
  for (const HtmlBlock& block : section.blocks) {
    const bool figure = std::holds_alternative<Figure>(block);
    if (figure != in_grid) out << (figure ? "<div class=\"figures\">\n" : "</div>\n");
    in_grid = figure;
    std::visit([&](const auto& item) { render_block(item, out); }, block);
  }
  if (in_grid) out << "</div>\n";
  out << "</section>\n";
}

void render_contents(const std::vector<HtmlSection>& sections, std::ostream& out) {
  out << "<nav>\n<ol>\n";
  for (const HtmlSection& section : sections) {
    out << "<li><a href=\"#" << section.anchor << "\">" << escape_html(section.heading)
        << "</a></li>\n";
  }
  out << "</ol>\n</nav>\n";
}

}  // namespace

HtmlDocument::HtmlDocument(std::string title) : title_(std::move(title)) {}

HtmlSection& HtmlDocument::add_section(std::string heading, std::string anchor) {
  const bool taken = std::any_of(sections_.begin(), sections_.end(),
                                 [&](const HtmlSection& s) { return s.anchor == anchor; });
  if (!valid_anchor(anchor) || taken) anchor = "section-" + std::to_string(sections_.size() + 1);
  sections_.push_back(HtmlSection{std::move(heading), std::move(anchor), {}});
  return sections_.back();
}

std::string HtmlDocument::render() const {
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<meta name=\"generator\" content=\"strest\">\n<title>" << escape_html(title_)
      << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n<header><h1>"
      << escape_html(title_) << "</h1></header>\n";
  if (!sections_.empty()) render_contents(sections_, out);
  out << "<main>\n";
  for (const HtmlSection& section : sections_) render_section(section, out);
  out << "</main>\n</body>\n</html>\n";
  return out.str();
}

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string png_data_uri(std::span<const uint8_t> png) {
  return "data:image/png;base64," + base64_encode(png);
}

Result<Figure> png_figure(std::span<const uint8_t> png, std::string caption) {
  if (png.size() < kPngSignature.size() ||
      !std::equal(kPngSignature.begin(), kPngSignature.end(), png.begin())) {
    return Error{"not a PNG image (no PNG signature)"};
  }
  return Figure{std::move(caption), png_data_uri(png)};
}

Result<Figure> png_file_figure(const std::string& path, std::string caption) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Error{"cannot read image '" + path + "'"};
  const std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(file),
                                   std::istreambuf_iterator<char>()};
  if (file.bad()) return Error{"cannot read image '" + path + "'"};
  auto figure = png_figure(bytes, std::move(caption));
  if (!figure) return Error{"image '" + path + "' is " + figure.error()};
  return figure;
}

}  // namespace strest
