#pragma once
// Where strest writes when no flag says otherwise. Each folder is spelt once, here, in the "~/"
// form users read in --help and messages; default_folder() resolves it for the code that writes.
#include <string>
#include <string_view>

namespace strest {

// Run logs; also where `strest cleanup` and `strest --replay` look (--tmp-path).
inline constexpr std::string_view kDefaultTmpPath = "~/.strest/tmp";
// PNG charts, one subfolder per run (--charts-path).
inline constexpr std::string_view kDefaultChartsPath = "~/.strest/charts";
// Replay snapshots (--replay-snapshot-out).
inline constexpr std::string_view kDefaultSnapshotPath = "~/.strest/snapshots";

// A "~/..." default with $HOME for "~" (the working folder when HOME is unset or empty).
std::string default_folder(std::string_view tilde_path);

}  // namespace strest
