"""`strest demo`: the built-in target and a run against it, in one process."""
import re
import tempfile
import unittest
from pathlib import Path

from harness import describe, run_strest


class DemoTest(unittest.TestCase):
    def test_duration_prints_summary(self):
        run = run_strest(["demo", "-t", "1s"], json_output=False, timeout=30)
        self.assertEqual(run.returncode, 0, describe(run))
        self.assertRegex(run.stdout, re.compile("requests", re.IGNORECASE), describe(run))

    def test_request_count_writes_json(self):
        with tempfile.TemporaryDirectory(prefix="strest-demo-") as tmp:
            run = run_strest(["demo", "--requests", 500, "-o", "out.json",
                              "--output-format", "json"], cwd=tmp, timeout=30)
            self.assertEqual(run.returncode, 0, describe(run))
            self.assertTrue((Path(tmp) / "out.json").exists(), describe(run))
        s = run.summary
        self.assertEqual(s["total_requests"], 500, describe(run))
        self.assertEqual(s["successful_requests"], 500, describe(run))
        self.assertEqual(s["stop_reason"], "requests")

    def test_path_on_target(self):
        run = run_strest(["demo", "-u", "/status/503", "--requests", 50, "-s", 503], timeout=30)
        self.assertEqual(run.returncode, 0, describe(run))
        self.assertEqual(run.summary["status_codes"], {"503": 50}, describe(run))
        self.assertEqual(run.summary["successful_requests"], 50, describe(run))


if __name__ == "__main__":
    unittest.main()
