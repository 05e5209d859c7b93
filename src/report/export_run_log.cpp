#include "report/export_run_log.h"

#include <cstdio>
#include <memory>

#include "metrics/run_log_reader.h"
#include "report/summary_json.h"

namespace strest {

Result<RunLogHeader> read_run_log_header(const std::string& path) {
  std::unique_ptr<std::FILE, decltype(&std::fclose)> file(std::fopen(path.c_str(), "rb"),
                                                          &std::fclose);
  if (!file) return Error{"cannot open run log '" + path + "'"};
  uint8_t bytes[kRunLogHeaderBytes];
  RunLogHeader header;
  if (std::fread(bytes, 1, sizeof bytes, file.get()) != sizeof bytes ||
      !decode_header(bytes, header)) {
    return Error{"'" + path + "' is not a strest run log (bad header)"};
  }
  return header;
}

Result<WindowedRunLog> stream_windowed_run_log(const std::vector<std::string>& paths,
                                               const MetricsWindow& window,
                                               const RecordVisitor& visit) {
  if (paths.empty()) return Error{"no run log to export from (the run recorded none)"};
  MetricsWindowFilter filter(window);
  WindowedRunLog out;
  for (size_t i = 0; i < paths.size(); ++i) {
    auto shard = read_run_log(paths[i], [&](const RunLogRecord& record) {
      if (filter.admit(record)) visit(record);
    });
    if (!shard) return Error{shard.error()};
    if (i == 0) out.header = shard->header;
    out.truncated = out.truncated || shard->truncated;
  }
  out.exported = filter.admitted();
  out.left_out = filter.left_out();
  return out;
}

nlohmann::json export_summary(const RunResult& result, const Plan& plan,
                              const WindowedRunLog& log) {
  nlohmann::json summary = summary_json(result, plan);
  summary["exported_records"] = log.exported;
  summary["records_left_out"] = log.left_out;
  return summary;
}

}  // namespace strest
