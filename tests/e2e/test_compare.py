"""`strest compare A B` end to end: runs of the built-in target recorded as a run log and as
exports, compared. A route with a 2 ms delay against `/` is a significant regression (exit 3
with a gate, 0 without one); two runs of the same route differ not significantly (exit 0). Bad
gates and missing files exit 2 with one line naming them.

The runs that are compared are made at the same time, against one target, so both see the same
machine: a difference between them is the route's, not a neighbour's build."""
import json
import subprocess
import tempfile
import unittest
from pathlib import Path

from harness import StrestTarget, describe, error_lines, run_strest, strest_bin

EXIT_OK, EXIT_USAGE, EXIT_GATE = 0, 2, 3
RUN_SECONDS = "3s"
RUN_TIMEOUT = 30


def record_at_once(target, recordings):
    """Runs strest once per (path, extra args) at the same time against the target; closed
    loop with 2 connections for RUN_SECONDS each. Fails the test if any run fails."""
    procs = []
    try:
        for path, extra in recordings:
            args = [strest_bin(), "-u", target.url(path), "-m", "2", "-t", RUN_SECONDS,
                    "--no-tui", "--no-charts"] + [str(a) for a in extra]
            procs.append(subprocess.Popen(args, stdin=subprocess.DEVNULL,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
        for proc in procs:
            _, err = proc.communicate(timeout=RUN_TIMEOUT)
            if proc.returncode != 0:
                raise AssertionError(f"recording run exited {proc.returncode}: {err.decode()}")
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)


def compare(*args):
    return run_strest(["compare"] + [str(a) for a in args], timeout=RUN_TIMEOUT,
                      json_output=False, no_tui=False)


class CompareTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = Path(cls.tmp.name)
        cls.base = cls.dir / "base.jsonl"
        cls.same = cls.dir / "same.csv"
        cls.slow_logs = cls.dir / "slow-logs"  # a run log folder: its newest run
        with StrestTarget() as target:
            record_at_once(target, [
                ("/", ["--export-jsonl", cls.base]),
                ("/", ["--export-csv", cls.same]),
                ("/delay/2", ["--keep-tmp", "--tmp-path", cls.slow_logs]),
            ])

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def compared(self, a, b, *args):
        """(run, comparison JSON) of compare A B with -o."""
        out = self.dir / f"compare-{self.id().split('.')[-1]}.json"
        run = compare(a, b, "-o", out, *args)
        self.assertTrue(out.exists(), "no JSON written" + describe(run))
        return run, json.loads(out.read_text())

    @staticmethod
    def metrics(result):
        return {m["metric"]: m for m in result["metrics"]}

    def test_a_2ms_delay_is_a_regression_that_fails_its_gate(self):
        run, result = self.compared(self.base, self.slow_logs, "--threshold", "p50_delta<50%",
                                    "--threshold", "error_rate_delta<0.5%")
        self.assertEqual(run.returncode, EXIT_GATE, describe(run))
        metrics = self.metrics(result)
        for name in ("p50", "p90", "avg"):
            self.assertEqual(metrics[name]["verdict"], "regression", f"{name}: {metrics[name]}")
            self.assertGreater(metrics[name]["ci_low"], 1000, f"{name}: at least 1 ms slower")
        self.assertEqual(metrics["rps"]["verdict"], "regression", metrics["rps"])
        gates = {g["gate"]: g for g in result["gates"]}
        self.assertTrue(gates["p50_delta<50%"]["failed"], gates)
        self.assertFalse(gates["error_rate_delta<0.5%"]["failed"], gates)
        self.assertTrue(result["gate_failed"])
        self.assertIn("FAILED", run.stdout)
        self.assertIn("a gate failed (exit 3)", run.stdout)

    def test_a_regression_within_its_gate_or_without_one_exits_0(self):
        run = compare(self.base, self.slow_logs, "--threshold", "p50_delta<1s")
        self.assertEqual(run.returncode, EXIT_OK, describe(run))
        self.assertIn("significant regression in", run.stdout, describe(run))
        run = compare(self.base, self.slow_logs)
        self.assertEqual(run.returncode, EXIT_OK, describe(run))
        self.assertIn("no --threshold gate given", run.stdout, describe(run))

    def test_the_same_route_twice_differs_not_significantly(self):
        run, result = self.compared(self.base, self.same, "--threshold", "p50_delta<10%",
                                    "--threshold", "p99_delta<10%", "--threshold",
                                    "rps_delta<10%")
        self.assertEqual(run.returncode, EXIT_OK, describe(run))
        metrics = self.metrics(result)
        for name in ("p50", "avg", "rps", "error_rate"):
            self.assertEqual(metrics[name]["verdict"], "not significant",
                             f"{name}: {metrics[name]}" + describe(run))
        self.assertFalse(result["gate_failed"])
        self.assertGreater(result["a"]["requests"], 100)
        self.assertGreater(result["b"]["requests"], 100)

    def test_the_same_seed_gives_the_same_comparison(self):
        _, first = self.compared(self.base, self.same, "--seed", "7", "--confidence", "90")
        _, again = self.compared(self.base, self.same, "--seed", "7", "--confidence", "90")
        self.assertEqual(first, again)
        self.assertEqual(first["seed"], 7)
        self.assertAlmostEqual(first["confidence"], 0.9)

    def test_an_unknown_gate_exits_2_naming_it(self):
        run = compare(self.base, self.same, "--threshold", "p95_delta<5ms")
        self.assertEqual(run.returncode, EXIT_USAGE, describe(run))
        lines = error_lines(run.stderr)
        self.assertEqual(len(lines), 1, describe(run))
        self.assertTrue(lines[0].startswith("strest: error: --threshold: threshold "
                                            "'p95_delta<5ms': unknown delta metric"), lines[0])
        self.assertIn("p99_delta", lines[0])

    def test_a_missing_run_exits_2_naming_it(self):
        missing = self.dir / "nope.jsonl"
        run = compare(self.base, missing)
        self.assertEqual(run.returncode, EXIT_USAGE, describe(run))
        lines = error_lines(run.stderr)
        self.assertEqual(len(lines), 1, describe(run))
        self.assertIn(f"'{missing}' does not exist", lines[0])
        self.assertIn("pass a run log", lines[0])

    def test_one_run_only_exits_2(self):
        run = compare(self.base)
        self.assertEqual(run.returncode, EXIT_USAGE, describe(run))
        self.assertIn("needs two runs", run.stderr)

    def test_run_flags_do_not_apply(self):
        run = run_strest(["-t", "1s", "compare", self.base, self.same], json_output=False,
                         no_tui=False)
        self.assertEqual(run.returncode, EXIT_USAGE, describe(run))
        self.assertIn("does not apply to 'strest compare'", run.stderr)


if __name__ == "__main__":
    unittest.main()
