"""Thresholds end to end: --threshold and [thresholds] decide the exit code (0 pass, 3 fail,
2 bad expression) while the summary is still printed and written, and abort_on_fail ends a
failing run early with stop_reason "threshold"."""
import unittest

from harness import TargetTestCase, describe, error_lines, run_strest

EXIT_OK, EXIT_USAGE, EXIT_THRESHOLD = 0, 2, 3
# A cap so a run that never reaches its request count still ends by itself (and fails).
SAFETY_DURATION = "15s"


class ThresholdTest(TargetTestCase):
    def run_checks(self, path, *args, config=None, requests=200, timeout=40):
        """strest with the given thresholds against a target path; config is TOML text."""
        cmd = ["-u", self.target.url(path), "-m", 4] + list(args)
        if requests:
            cmd += ["--requests", requests, "-t", SAFETY_DURATION]
        if config is not None:
            conf = self.tmp / "strest.toml"
            conf.write_text(config)
            cmd += ["--config", conf]
        return run_strest(cmd, timeout=timeout, cwd=self.tmp)

    def entries(self, run):
        """{expression: threshold entry} of the summary, checking each entry's shape."""
        self.assertIsNotNone(run.summary, "no JSON summary written" + describe(run))
        found = {}
        for entry in run.summary["thresholds"]:
            for key in ("expression", "metric", "passed", "actual", "limit"):
                self.assertIn(key, entry, describe(run))
            self.assertIsInstance(entry["passed"], bool, describe(run))
            found[entry["expression"]] = entry
        return found

    def assert_failed_with_summary(self, run):
        self.assertEqual(run.returncode, EXIT_THRESHOLD, describe(run))
        self.assertIn("Summary", run.stdout, "the summary is still printed" + describe(run))
        self.assertIs(run.summary["thresholds_passed"], False, describe(run))

    def test_passing_thresholds_exit_0(self):
        checks = ["p99<10s", "p95_ok<=5000ms", "error_rate<1%", "rps>=1", "timeouts==0"]
        run = self.run_checks("/", *[a for c in checks for a in ("--threshold", c)])
        self.assertEqual(run.returncode, EXIT_OK, describe(run))
        found = self.entries(run)
        self.assertEqual(sorted(found), sorted(checks), describe(run))
        self.assertTrue(all(e["passed"] for e in found.values()), describe(run))
        self.assertIs(run.summary["thresholds_passed"], True, describe(run))
        self.assertEqual(run.summary["total_requests"], 200, describe(run))

    def test_no_thresholds_is_null(self):
        run = self.run_checks("/", requests=20)
        self.assertEqual(run.returncode, EXIT_OK, describe(run))
        self.assertEqual(run.summary["thresholds"], [], describe(run))
        self.assertIsNone(run.summary["thresholds_passed"], describe(run))

    def test_failing_latency_threshold_exits_3_with_the_summary(self):
        run = self.run_checks("/", "--threshold", "p99<1us", "--threshold", "error_rate<1%")
        self.assert_failed_with_summary(run)
        found = self.entries(run)
        self.assertIs(found["p99<1us"]["passed"], False, describe(run))
        self.assertGreater(found["p99<1us"]["actual"], found["p99<1us"]["limit"], describe(run))
        self.assertIs(found["error_rate<1%"]["passed"], True, describe(run))
        self.assertEqual(run.summary["total_requests"], 200, "the run still completes")

    def test_failing_rps_threshold(self):
        run = self.run_checks("/", "--threshold", "rps>=100000000")
        self.assert_failed_with_summary(run)
        entry = self.entries(run)["rps>=100000000"]
        self.assertIs(entry["passed"], False, describe(run))
        self.assertLess(entry["actual"], entry["limit"], describe(run))

    def test_timeouts_threshold(self):
        run = self.run_checks("/delay/2000", "--timeout", "100ms", "-t", "1s",
                              "--threshold", "timeouts==0", requests=None)
        self.assert_failed_with_summary(run)
        entry = self.entries(run)["timeouts==0"]
        self.assertIs(entry["passed"], False, describe(run))
        self.assertGreater(entry["actual"], 0, describe(run))
        self.assertEqual(entry["actual"], run.summary["timeout_requests"], describe(run))

    def test_config_checks(self):
        run = self.run_checks("/", config='[thresholds]\nchecks = ["error_rate<1%", "p99<10s"]\n')
        self.assertEqual(run.returncode, EXIT_OK, describe(run))
        self.assertEqual(sorted(self.entries(run)), ["error_rate<1%", "p99<10s"], describe(run))
        failing = self.run_checks("/", config='[thresholds]\nchecks = ["p99<1us"]\n')
        self.assert_failed_with_summary(failing)
        self.assertIs(self.entries(failing)["p99<1us"]["passed"], False, describe(failing))

    def test_flags_add_to_config_checks(self):
        run = self.run_checks("/", "--threshold", "rps>=100000000",
                              config='[thresholds]\nchecks = ["error_rate<1%"]\n')
        self.assert_failed_with_summary(run)
        found = self.entries(run)
        self.assertEqual(sorted(found), ["error_rate<1%", "rps>=100000000"], describe(run))
        self.assertIs(found["error_rate<1%"]["passed"], True, describe(run))
        self.assertIs(found["rps>=100000000"]["passed"], False, describe(run))

    def test_abort_on_fail_stops_early(self):
        config = ('[thresholds]\nchecks = ["error_rate<1%"]\nabort_on_fail = true\n'
                  'abort_delay = "500ms"\n')
        run = self.run_checks("/status/500", "-t", "10s", config=config, requests=None)
        self.assert_aborted(run)

    def test_abort_on_fail_flag(self):
        run = self.run_checks("/status/500", "-t", "10s", "--abort-on-fail",
                              "--threshold", "error_rate<1%",
                              config='[thresholds]\nabort_delay = "500ms"\n', requests=None)
        self.assert_aborted(run)

    def assert_aborted(self, run):
        self.assert_failed_with_summary(run)
        s = run.summary
        self.assertEqual(s["stop_reason"], "threshold", describe(run))
        self.assertLess(s["duration_ms"], 5000, "abort after ~500 ms, not 10 s" + describe(run))
        self.assertGreater(s["total_requests"], 0, describe(run))
        self.assertEqual(s["non_expected_status"], s["total_requests"], describe(run))
        self.assertIs(self.entries(run)["error_rate<1%"]["passed"], False, describe(run))

    def test_abort_on_fail_lets_a_passing_run_finish(self):
        config = ('[thresholds]\nchecks = ["error_rate<1%"]\nabort_on_fail = true\n'
                  'abort_delay = "200ms"\n')
        run = self.run_checks("/", "-t", "1s", config=config, requests=None)
        self.assertEqual(run.returncode, EXIT_OK, describe(run))
        self.assertEqual(run.summary["stop_reason"], "duration", describe(run))
        self.assertIs(run.summary["thresholds_passed"], True, describe(run))

    def test_bad_expressions_exit_2_before_sending(self):
        for bad in ("p99<<5ms", "bogus<1", "p99<abc", "p99", "error_rate<1%%", ""):
            run = self.run_checks("/", "--threshold", bad)
            self.assertEqual(run.returncode, EXIT_USAGE, f"--threshold {bad!r}" + describe(run))
            self.assertTrue(error_lines(run.stderr), f"no error for {bad!r}" + describe(run))
        run = self.run_checks("/", config='[thresholds]\nchecks = ["p99 < fast"]\n')
        self.assertEqual(run.returncode, EXIT_USAGE, describe(run))
        self.assertIn("strest.toml", run.stderr, "the error names the file" + describe(run))
        self.assertEqual(self.target.stats(), 0, "nothing was sent")


if __name__ == "__main__":
    unittest.main()
