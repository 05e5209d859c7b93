#include "compare/compare_command.h"

#include <fstream>

#include "compare/comparison.h"
#include "compare/comparison_json.h"
#include "compare/comparison_text.h"
#include "compare/run_sample_source.h"
#include "plan/exit_codes.h"
#include "plan/one_line.h"

namespace strest {

namespace {

Status write_json(const ComparisonResult& result, const std::string& path) {
  std::ofstream file(path, std::ios::trunc);
  if (file) file << comparison_json(result).dump(2) << '\n';
  if (!file)
    return Error{"-o: cannot write '" + path + "': check the folder exists and is writable"};
  return Ok{};
}

}  // namespace

int run_compare_command(const CompareRequest& request, std::ostream& out, std::ostream& err) {
  auto a = load_run_sample(request.a);
  if (!a) {
    err << "strest: error: compare A: " << one_line(a.error()) << '\n';
    return kExitUsage;
  }
  auto b = load_run_sample(request.b);
  if (!b) {
    err << "strest: error: compare B: " << one_line(b.error()) << '\n';
    return kExitUsage;
  }
  const ComparisonResult result = compare_runs(*a, *b, request.gates, request.bootstrap);
  write_comparison_text(result, out);
  if (!request.json_path.empty()) {
    Status written = write_json(result, request.json_path);
    if (!written) {
      err << "strest: error: " << one_line(written.error()) << '\n';
      return kExitFailure;
    }
  }
  return result.gate_failed() ? kExitThresholdFailed : kExitOk;
}

}  // namespace strest
