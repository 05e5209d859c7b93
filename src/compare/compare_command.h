#pragma once
// `strest compare A B`: reads two runs, prints B against A side by side, writes the JSON with
// -o, and returns the exit code: 3 when a gate failed on a significant regression, 2 for an
// input that cannot be read, 1 when the JSON cannot be written, else 0.
#include <ostream>
#include <string>
#include <vector>

#include "compare/comparison.h"

namespace strest {

// What the command line asked `strest compare` to do, checked already.
struct CompareRequest {
  std::string a;  // the baseline run
  std::string b;  // the run held against it
  std::vector<DeltaGate> gates;
  std::string json_path;    // -o; empty: none
  std::string report_path;  // --report FILE.html; empty: none
  BootstrapOptions bootstrap;
  double noise = kDefaultNoise;  // --noise, a share of A
};

int run_compare_command(const CompareRequest& request, std::ostream& out, std::ostream& err);

}  // namespace strest
