#include "report/export_readers.h"

#include <array>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
#include <vector>

namespace strest {

namespace {

using nlohmann::json;

// Indices into kExportFields.
enum Field : size_t {
  kSequence,
  kStartMs,
  kLatencyMs,
  kServiceMs,
  kStatus,
  kOutcome,
  kError,
  kBytes,
  kWorker,
  kStep,
};
using FieldTexts = std::array<std::string_view, kExportFields.size()>;

// Thrown from inside the JSON parser's callback to stop it; caught by read_json.
struct ReadFailure {
  std::string message;
};

std::string at_line(const std::string& path, uint64_t line) {
  return path + ":" + std::to_string(line) + ": ";
}

// nlohmann's message without its "[json.exception.parse_error.101] " prefix.
std::string json_error_text(const json::exception& error) {
  const std::string text = error.what();
  const size_t end = text.find("] ");
  return end == std::string::npos ? text : text.substr(end + 2);
}

template <typename T>
bool parse_integer(std::string_view text, T& out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

bool parse_duration_us(std::string_view text, uint32_t& out) {
  const std::optional<int64_t> us = parse_ms(text);
  if (!us || *us < 0 || *us > std::numeric_limits<uint32_t>::max()) return false;
  out = static_cast<uint32_t>(*us);
  return true;
}

Error bad_field(const FieldTexts& fields, Field field, std::string_view expected) {
  return Error{"bad " + std::string(kExportFields[field]) + " '" + std::string(fields[field]) +
               "' (" + std::string(expected) + ")"};
}

Result<RunLogRecord> record_from_fields(const FieldTexts& f) {
  RunLogRecord r;
  const std::optional<int64_t> start_us = parse_ms(f[kStartMs]);
  if (!parse_integer(f[kSequence], r.sequence)) return bad_field(f, kSequence, "an integer >= 0");
  if (!start_us) return bad_field(f, kStartMs, "milliseconds, e.g. 12.345");
  r.start_us = *start_us;
  if (!parse_duration_us(f[kLatencyMs], r.latency_us)) {
    return bad_field(f, kLatencyMs, "milliseconds >= 0");
  }
  if (!parse_duration_us(f[kServiceMs], r.service_us)) {
    return bad_field(f, kServiceMs, "milliseconds >= 0");
  }
  if (!parse_integer(f[kStatus], r.status)) return bad_field(f, kStatus, "an integer 0-65535");
  const std::optional<LoggedOutcome> outcome = parse_export_outcome(f[kOutcome]);
  if (!outcome) {
    return bad_field(f, kOutcome, "ok, non_expected_status, timeout or transport_error");
  }
  r.outcome = *outcome;
  if (Status error = parse_export_error(f[kError], r); !error) return Error{error.error()};
  if (!parse_integer(f[kBytes], r.bytes)) return bad_field(f, kBytes, "an integer >= 0");
  if (!parse_integer(f[kWorker], r.worker)) return bad_field(f, kWorker, "an integer 0-65535");
  if (!parse_integer(f[kStep], r.step)) return bad_field(f, kStep, "an integer 0-65535");
  return r;
}

// A JSON record's fields as text (numbers as JSON writes them), then record_from_fields.
Result<RunLogRecord> record_from_json(const json& object) {
  std::array<std::string, kExportFields.size()> texts;
  FieldTexts fields;
  for (size_t i = 0; i < kExportFields.size(); ++i) {
    const std::string name(kExportFields[i]);
    const auto value = object.find(name);
    if (value == object.end()) return Error{"missing field '" + name + "'"};
    if (value->is_string()) {
      texts[i] = value->get<std::string>();
    } else if (value->is_number()) {
      texts[i] = value->dump();
    } else {
      return Error{"field '" + name + "' must be a number or a string"};
    }
    fields[i] = texts[i];
  }
  return record_from_fields(fields);
}

Status check_schema_version(const json& value) {
  if (value.is_number_integer() && value.get<int64_t>() == kExportSchemaVersion) return Ok{};
  return Error{"export schema_version " + value.dump() + " is not supported (this strest reads " +
               std::to_string(kExportSchemaVersion) + ")"};
}

// Reads the keys a JSON document or JSONL meta line shares.
Status read_meta(const json& meta, ExportedRun& run) {
  if (const auto version = meta.find("schema_version"); version != meta.end()) {
    if (Status ok = check_schema_version(*version); !ok) return ok;
  }
  if (const auto start = meta.find("run_start_unix_us"); start != meta.end()) {
    if (!start->is_number_integer()) return Error{"run_start_unix_us must be an integer"};
    run.run_start_unix_us = start->get<int64_t>();
  }
  if (const auto open_loop = meta.find("open_loop"); open_loop != meta.end()) {
    if (!open_loop->is_boolean()) return Error{"open_loop must be true or false"};
    run.open_loop = open_loop->get<bool>();
  }
  return Ok{};
}

// ---- CSV ----

void split_csv(std::string_view line, std::vector<std::string_view>& cells) {
  cells.clear();
  for (;;) {
    const size_t comma = line.find(',');
    cells.push_back(line.substr(0, comma));
    if (comma == std::string_view::npos) return;
    line.remove_prefix(comma + 1);
  }
}

// "# strest export schema_version=1 run_start_unix_us=... open_loop=false": known keys are read,
// anything else in a comment is ignored.
Status read_csv_comment(std::string_view line, ExportedRun& run) {
  json meta = json::object();
  size_t at = 1;
  while (at < line.size()) {
    const size_t end = std::min(line.find(' ', at), line.size());
    const std::string_view token = line.substr(at, end - at);
    at = end + 1;
    const size_t equals = token.find('=');
    if (equals == std::string_view::npos) continue;
    const std::string key(token.substr(0, equals));
    if (key != "schema_version" && key != "run_start_unix_us" && key != "open_loop") continue;
    const json value = json::parse(token.substr(equals + 1), nullptr, /*allow_exceptions=*/false);
    if (value.is_discarded()) return Error{"bad " + key + " '" + std::string(token) + "'"};
    meta[key] = value;
  }
  return read_meta(meta, run);
}

// The column of each schema field in the header row (other columns are ignored).
Result<std::vector<size_t>> csv_columns(const std::vector<std::string_view>& header) {
  std::vector<size_t> columns;
  for (const std::string_view field : kExportFields) {
    size_t column = 0;
    while (column < header.size() && header[column] != field) ++column;
    if (column == header.size()) {
      return Error{"header row lacks column '" + std::string(field) +
                   "' (not a strest CSV export?)"};
    }
    columns.push_back(column);
  }
  return columns;
}

Result<ExportedRun> read_csv(const std::string& path, const RecordVisitor& visit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot open export '" + path + "'"};
  ExportedRun run{.format = ExportFormat::kCsv};
  std::vector<size_t> columns;  // empty until the header row
  size_t width = 0;
  std::vector<std::string_view> cells;
  std::string line;
  for (uint64_t number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (line[0] == '#') {
      Status meta = columns.empty() ? read_csv_comment(line, run) : Status(Ok{});
      if (!meta) return Error{at_line(path, number) + meta.error()};
      continue;
    }
    split_csv(line, cells);
    if (columns.empty()) {
      auto found = csv_columns(cells);
      if (!found) return Error{at_line(path, number) + found.error()};
      columns = std::move(*found);
      width = cells.size();
      continue;
    }
    if (cells.size() != width) {
      return Error{at_line(path, number) + "expected " + std::to_string(width) + " fields, found " +
                   std::to_string(cells.size())};
    }
    FieldTexts fields;
    for (size_t i = 0; i < fields.size(); ++i) fields[i] = cells[columns[i]];
    auto record = record_from_fields(fields);
    if (!record) return Error{at_line(path, number) + record.error()};
    visit(*record);
    ++run.records;
  }
  if (in.bad()) return Error{"cannot read export '" + path + "'"};
  if (columns.empty()) return Error{path + ": no header row: not a strest CSV export"};
  return run;
}

// ---- JSON ----

// Feeds a FILE to the JSON parser one character at a time and counts lines, so a bad record
// can be named by its line. The default-constructed iterator is the end.
class CountingFileIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  CountingFileIterator() = default;
  CountingFileIterator(std::FILE* file, uint64_t* line) : file_(file), line_(line) { next(); }

  const char& operator*() const { return current_; }
  CountingFileIterator& operator++() {
    if (current_ == '\n') ++*line_;
    next();
    return *this;
  }
  bool operator==(const CountingFileIterator& other) const {
    return (file_ == nullptr) == (other.file_ == nullptr);
  }

 private:
  void next() {
    const int c = getc_unlocked(file_);
    if (c == EOF) {
      file_ = nullptr;
    } else {
      current_ = static_cast<char>(c);
    }
  }

  std::FILE* file_ = nullptr;
  uint64_t* line_ = nullptr;
  char current_ = 0;
};

Result<ExportedRun> read_json(const std::string& path, const RecordVisitor& visit) {
  std::unique_ptr<std::FILE, decltype(&std::fclose)> file(std::fopen(path.c_str(), "rb"),
                                                          &std::fclose);
  if (!file) return Error{"cannot open export '" + path + "'"};
  ExportedRun run{.format = ExportFormat::kJson};
  uint64_t line = 1;
  std::string top_key;  // the root member being parsed
  // Each "metrics" entry is turned into a record and dropped as soon as it is parsed.
  const json::parser_callback_t on_event = [&](int depth, json::parse_event_t event, json& parsed) {
    using Event = json::parse_event_t;
    if (depth == 1 && event == Event::key) top_key = parsed.get<std::string>();
    if (depth == 1 && event == Event::value && top_key == "schema_version") {
      if (Status ok = check_schema_version(parsed); !ok) throw ReadFailure{ok.error()};
    }
    if (depth != 2 || top_key != "metrics") return true;
    if (event == Event::value || event == Event::array_start) {
      throw ReadFailure{"each entry of \"metrics\" must be an object"};
    }
    if (event != Event::object_end) return true;
    auto record = record_from_json(parsed);
    if (!record) throw ReadFailure{record.error()};
    visit(*record);
    ++run.records;
    return false;
  };
  json root;
  try {
    root = json::parse(CountingFileIterator(file.get(), &line), CountingFileIterator(), on_event);
  } catch (const ReadFailure& failure) {
    return Error{at_line(path, line) + failure.message};
  } catch (const json::exception& error) {
    return Error{path + ": " + json_error_text(error)};
  }
  if (!root.is_object() || !root.contains("schema_version")) {
    return Error{path + ": not a strest JSON export (no \"schema_version\")"};
  }
  if (Status meta = read_meta(root, run); !meta) return Error{path + ": " + meta.error()};
  if (const auto summary = root.find("summary"); summary != root.end() && summary->is_object()) {
    run.summary = std::move(*summary);
  }
  return run;
}

// ---- JSONL ----

Status read_jsonl_line(const std::string& line, ExportedRun& run, const RecordVisitor& visit) {
  json object = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (object.is_discarded()) return Error{"not a JSON object"};
  const auto type = object.is_object() ? object.find("type") : object.end();
  if (!object.is_object() || type == object.end() || !type->is_string()) {
    return Error{"expected an object with a \"type\" (meta, request or summary)"};
  }
  const std::string kind = type->get<std::string>();
  if (kind == "request") {
    auto record = record_from_json(object);
    if (!record) return Error{record.error()};
    visit(*record);
    ++run.records;
  } else if (kind == "meta") {
    return read_meta(object, run);
  } else if (kind == "summary") {
    object.erase("type");
    run.summary = std::move(object);
  }  // other types are left for newer readers
  return Ok{};
}

Result<ExportedRun> read_jsonl(const std::string& path, const RecordVisitor& visit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot open export '" + path + "'"};
  ExportedRun run{.format = ExportFormat::kJsonl};
  std::string line;
  for (uint64_t number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (Status read = read_jsonl_line(line, run, visit); !read) {
      return Error{at_line(path, number) + read.error()};
    }
  }
  if (in.bad()) return Error{"cannot read export '" + path + "'"};
  return run;
}

}  // namespace

Result<ExportedRun> read_export(const std::string& path, const RecordVisitor& visit) {
  const std::optional<ExportFormat> format = export_format_for_path(path);
  if (!format) {
    return Error{"cannot tell the format of export '" + path + "': name it .csv, .json or .jsonl"};
  }
  return read_export(path, *format, visit);
}

Result<ExportedRun> read_export(const std::string& path, ExportFormat format,
                                const RecordVisitor& visit) {
  switch (format) {
    case ExportFormat::kCsv:
      return read_csv(path, visit);
    case ExportFormat::kJson:
      return read_json(path, visit);
    case ExportFormat::kJsonl:
      return read_jsonl(path, visit);
  }
  return Error{"unknown export format"};
}

}  // namespace strest
