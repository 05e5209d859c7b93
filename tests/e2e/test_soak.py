"""The soak of bench/soak, 30 seconds long: strest at c=100 against nginx with the run log, the
sinks and the charts on. Its counts agree (the summary, nginx and the run log), its descriptors
stay constant and its resident memory stays within a generous bound. The 10-minute version is a
benchmark (bench/soak); this one asserts counts and bounds, never a timing."""
import importlib.util
import unittest
from importlib.machinery import SourceFileLoader

from harness import REPO_ROOT, strest_bin

# Growth allowed from the sample at SETTLE to the end: far above what a 30-second run grows
# (about 0.2 MB here), far below what a per-request leak would add (tens of MB).
RSS_GROWTH_BOUND_MB = 8
RSS_BOUND_MB = 128
SETTLE = "10s"


def load_soak():
    loader = SourceFileLoader("bench_soak", str(REPO_ROOT / "bench" / "soak"))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


class SoakTest(unittest.TestCase):
    def test_thirty_seconds_leak_nothing_and_every_count_agrees(self):
        soak = load_soak()
        args = soak.parse_args(["--duration", "30s", "--interval", "3s", "--settle", SETTLE,
                                "--rss-growth-mb", str(RSS_GROWTH_BOUND_MB),
                                "--strest", strest_bin()])
        result = soak.soak(args)
        c = result["checks"]
        info = f"checks {c}; samples {result['samples']}; stderr {result['stderr']}"
        self.assertEqual(result["exit_code"], 0, info)
        self.assertGreaterEqual(len(result["samples"]), 8, info)
        self.assertGreater(c["total_requests"], 0, info)
        self.assertEqual(c["nginx_served"], c["total_requests"] + c["cancelled_requests"], info)
        self.assertEqual(c["run_log_records"], c["total_requests"], info)
        self.assertTrue(c["fds_constant"], info)
        self.assertEqual({s["sockets"] for s in result["samples"]}, {100}, info)
        self.assertTrue(c["rss_growth_ok"], info)
        self.assertLess(max(s["hwm_kb"] for s in result["samples"]), RSS_BOUND_MB * 1024, info)
        run_log_sizes = [s["run_log_bytes"] for s in result["samples"]]
        self.assertEqual(run_log_sizes, sorted(run_log_sizes), "the run log only grows")
        self.assertEqual(result["sinks"], ["strest.influx", "strest.otel.json", "strest.prom"],
                         info)
        self.assertTrue(result["charts"], "charts were written")


if __name__ == "__main__":
    unittest.main()
