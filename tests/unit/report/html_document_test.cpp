#include "report/html_document.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace strest {
namespace {

const std::vector<uint8_t> kTinyPng = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13};

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Tags opened and closed in order (void elements img and meta excepted); false on a mismatch.
bool tags_balanced(const std::string& page) {
  std::vector<std::string> open;
  for (size_t at = page.find('<'); at != std::string::npos; at = page.find('<', at + 1)) {
    if (page.compare(at, 2, "<!") == 0) continue;
    const bool closing = page[at + 1] == '/';
    const size_t start = at + (closing ? 2 : 1);
    const size_t end = page.find_first_of(" >", start);
    const std::string name = page.substr(start, end - start);
    if (name == "img" || name == "meta") continue;
    if (!closing) {
      open.push_back(name);
    } else if (open.empty() || open.back() != name) {
      return false;
    } else {
      open.pop_back();
    }
  }
  return open.empty();
}

TEST(HtmlDocument, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(escape_html("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
  EXPECT_EQ(escape_html("plain"), "plain");
}

TEST(HtmlDocument, EscapesEveryTextItHolds) {
  HtmlDocument page("<title>");
  HtmlSection& section = page.add_section("<h>");
  section.blocks.emplace_back(Paragraph{"<script>alert(1)</script>"});
  section.blocks.emplace_back(KeyValueTable{{{"<k>", "\"v\""}}});
  section.blocks.emplace_back(RowTable{{{"<c>"}}, {{{"a&b"}}}});
  section.blocks.emplace_back(Preformatted{"x < y"});
  const std::string html = page.render();
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("&lt;k&gt;"), std::string::npos);
  EXPECT_NE(html.find("&quot;v&quot;"), std::string::npos);
  EXPECT_NE(html.find("a&amp;b"), std::string::npos);
  EXPECT_NE(html.find("x &lt; y"), std::string::npos);
  EXPECT_EQ(count(html, "&lt;title&gt;"), 2u);  // <title> and <h1>
}

TEST(HtmlDocument, PngBecomesABase64DataUri) {
  EXPECT_EQ(png_data_uri(kTinyPng), "data:image/png;base64,iVBORw0KGgoAAAAN");
  auto figure = png_figure(kTinyPng, "chart");
  ASSERT_TRUE(figure) << figure.error();
  EXPECT_EQ(figure->data_uri, "data:image/png;base64,iVBORw0KGgoAAAAN");
  const std::vector<uint8_t> text = {'G', 'I', 'F', '8', '9', 'a', 0, 0, 0};
  EXPECT_FALSE(png_figure(text, "not a png"));
}

TEST(HtmlDocument, PngFileFigureReadsTheFileAndNamesItOnError) {
  const std::string path = testing::TempDir() + "html_document_test.png";
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(kTinyPng.data()), kTinyPng.size());
  auto figure = png_file_figure(path, "chart");
  ASSERT_TRUE(figure) << figure.error();
  EXPECT_EQ(figure->data_uri, png_data_uri(kTinyPng));
  std::remove(path.c_str());
  auto missing = png_file_figure(path, "chart");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find(path), std::string::npos);
}

TEST(HtmlDocument, RendersAWellFormedPageWithNoExternalReference) {
  HtmlDocument page("Run");
  HtmlSection& summary = page.add_section("Summary", "summary");
  summary.blocks.emplace_back(KeyValueTable{{{"Requests", "10"}}, true});
  summary.blocks.emplace_back(
      RowTable{{{"Name"}, {"Count", true}},
               {{{"ok", "9"}, RowMark::kPass}, {{"bad", "1"}, RowMark::kFail}}});
  HtmlSection& charts = page.add_section("Charts", "charts");
  charts.blocks.emplace_back(*png_figure(kTinyPng, "one"));
  charts.blocks.emplace_back(*png_figure(kTinyPng, "two"));
  charts.blocks.emplace_back(Paragraph{"after"});
  const std::string html = page.render();
  EXPECT_TRUE(tags_balanced(html)) << html;
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("src=\"/"), std::string::npos);
  EXPECT_EQ(count(html, "<img src=\"data:image/png;base64,"), 2u);
  EXPECT_EQ(count(html, "<div class=\"figures\">"), 1u);  // both figures share one grid
  EXPECT_NE(html.find("<table class=\"headline\">"), std::string::npos);
  EXPECT_NE(html.find(std::string(kHeadlineBackground)), std::string::npos);
  EXPECT_NE(html.find("<tr class=\"pass\">"), std::string::npos);
  EXPECT_NE(html.find("<tr class=\"fail\">"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"num\">9</td>"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"#summary\">"), std::string::npos);
  EXPECT_NE(html.find("<section id=\"charts\">"), std::string::npos);
}

TEST(HtmlDocument, ReplacesABadOrTakenAnchor) {
  HtmlDocument page("t");
  EXPECT_EQ(page.add_section("a", "ok-1").anchor, "ok-1");
  EXPECT_EQ(page.add_section("b", "ok-1").anchor, "section-2");
  EXPECT_EQ(page.add_section("c", "\"><x").anchor, "section-3");
  EXPECT_EQ(page.add_section("d").anchor, "section-4");
}

TEST(HtmlDocument, RowTableCellsFollowTheColumns) {
  HtmlDocument page("t");
  page.add_section("s").blocks.emplace_back(
      RowTable{{{"A"}, {"B"}}, {{{"only"}}, {{"1", "2", "dropped"}}}});
  const std::string html = page.render();
  EXPECT_NE(html.find("<td>only</td><td></td>"), std::string::npos);
  EXPECT_EQ(html.find("dropped"), std::string::npos);
}

}  // namespace
}  // namespace strest
