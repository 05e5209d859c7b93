"""The open descriptor limit at start: strest raises its soft limit to what --max-tasks needs when
the hard limit allows it, and otherwise refuses with one line naming --max-tasks, the need and
the limit (exit 2) before anything is sent. prlimit sets the limits of each strest process."""
import re
import shutil
import unittest

from harness import Nginx, describe, error_lines, run_strest

PRLIMIT = shutil.which("prlimit")


@unittest.skipUnless(PRLIMIT, "prlimit not found (Debian package util-linux)")
class DescriptorLimitTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.nginx = Nginx(access_log=False)
        cls.nginx.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.nginx.__exit__(None, None, None)

    def run_limited(self, soft, hard, args):
        return run_strest(args, timeout=60, prefix=(PRLIMIT, f"--nofile={soft}:{hard}"))

    def test_a_soft_limit_below_the_need_is_raised(self):
        # 1000 connections under a soft limit of 256: without the raise most connects fail.
        before = self.nginx.stub_status()["requests"]
        run = self.run_limited(256, 4096, ["-u", self.nginx.url, "-m", 1000, "--threads", 2,
                                           "--requests", 5000, "-t", "30s"])
        self.assertEqual(run.returncode, 0, describe(run))
        s = run.summary
        self.assertEqual(s["successful_requests"], 5000, describe(run))
        self.assertEqual(s.get("transport_error_kinds", {}), {}, describe(run))
        served = self.nginx.stub_status()["requests"] - before - 1  # this status request
        self.assertEqual(served, 5000, describe(run))

    def test_a_hard_limit_below_the_need_is_refused_in_one_line(self):
        before = self.nginx.stub_status()["requests"]
        run = self.run_limited(200, 200, ["-u", self.nginx.url, "-m", 1000, "--requests", 10])
        self.assertEqual(run.returncode, 2, describe(run))
        lines = error_lines(run.stderr)
        self.assertEqual(len(lines), 1, describe(run))
        match = re.fullmatch(r"strest: error: --max-tasks 1000 needs (\d+) open descriptors but "
                             r"their hard limit is 200: lower --max-tasks to (\d+) or raise the "
                             r"hard limit \(ulimit -Hn, LimitNOFILE= for a service\)", lines[0])
        self.assertIsNotNone(match, lines[0])
        need, fits = int(match.group(1)), int(match.group(2))
        self.assertGreater(need, 1000)
        self.assertEqual(1000 - fits, need - 200, "the suggestion leaves the same reserve")
        self.assertIsNone(run.summary, "nothing is written for a refused run")
        self.assertEqual(self.nginx.stub_status()["requests"] - before - 1, 0, "nothing sent")

    def test_the_suggested_max_tasks_runs(self):
        run = self.run_limited(200, 200, ["-u", self.nginx.url, "-m", 1000, "--requests", 10])
        fits = int(re.search(r"lower --max-tasks to (\d+)", run.stderr).group(1))
        run = self.run_limited(200, 200, ["-u", self.nginx.url, "-m", fits, "--requests", 2 * fits])
        self.assertEqual(run.returncode, 0, describe(run))
        self.assertEqual(run.summary["successful_requests"], 2 * fits, describe(run))


if __name__ == "__main__":
    unittest.main()
