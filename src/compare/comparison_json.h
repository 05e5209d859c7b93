#pragma once
// The comparison as JSON (`strest compare -o FILE`): the runs, the method, one object per metric
// (values in the units of their names: _us, fractions, per second; null where a run cannot tell)
// and each gate's outcome. Documented in docs/compare.md.
#include <nlohmann/json.hpp>

#include "compare/comparison.h"

namespace strest {

nlohmann::json comparison_json(const ComparisonResult& result);

}  // namespace strest
