# Sourced by scripts/test: run_unit_tests BUILD_DIR runs every unit test binary of BUILD_DIR, each
# split into $jobs shards running side by side (GoogleTest's GTEST_SHARD_INDEX). One process per
# shard instead of one per test (as ctest does) saves thousands of process starts, which cost
# most under ASan. Prints each failing shard's output; returns non-zero if any shard failed.
run_unit_tests() {
  local build_dir=$1 failed=0 binary shard
  for binary in "$build_dir/tests/strest_unit_tests" "$build_dir/tests/strest_dist_tests"; do
    local logs=() pids=()
    for ((shard = 0; shard < jobs; shard++)); do
      logs+=("$(mktemp)")
      GTEST_TOTAL_SHARDS=$jobs GTEST_SHARD_INDEX=$shard GTEST_BRIEF=1 \
        "$binary" >"${logs[$shard]}" 2>&1 &
      pids+=($!)
    done
    for ((shard = 0; shard < jobs; shard++)); do
      if wait "${pids[$shard]}"; then
        echo "$(basename "$binary") shard $((shard + 1))/$jobs: $(grep -h 'PASSED' "${logs[$shard]}")"
      else
        echo "$(basename "$binary") shard $((shard + 1))/$jobs FAILED:"
        cat "${logs[$shard]}"
        failed=1
      fi
      rm -f "${logs[$shard]}"
    done
  done
  return $failed
}
