"""strest against its own misbehaving target: every way a request can fail is counted as the
right kind, big and oddly framed bodies are read whole, and signals still leave a summary."""
import json
import signal
import tempfile
import time
import unittest
from pathlib import Path

from harness import (StrestTarget, describe, process_output, refused_port, run_strest,
                     strest_process, unanswered_port)

# A cap so a run that never reaches its request count still ends by itself (and fails).
SAFETY_DURATION = "15s"


class TargetTest(unittest.TestCase):
    def setUp(self):
        self.target = StrestTarget()
        self.target.__enter__()
        self.addCleanup(self.target.__exit__, None, None, None)

    def run_requests(self, path, n, *args, conns=4, url=None):
        """strest --requests n against path; checks the process ended normally and counted n."""
        run = run_strest(["-u", url or self.target.url(path), "--requests", n, "-m", conns,
                          "-t", SAFETY_DURATION] + list(args), timeout=40)
        self.assertEqual(run.returncode, 0, describe(run))
        self.assertIsNotNone(run.summary, "no JSON summary written" + describe(run))
        self.assertEqual(run.summary["total_requests"], n, describe(run))
        self.assertEqual(run.summary["stop_reason"], "requests", describe(run))
        return run

    def assert_only_transport_errors(self, run, **kinds):
        s = run.summary
        total = s["total_requests"]
        self.assertEqual(s["successful_requests"], 0, describe(run))
        self.assertEqual(s["transport_errors"], total, describe(run))
        self.assertEqual(s["error_requests"], total, describe(run))
        self.assertEqual(sum(s["transport_error_kinds"].values()), total, describe(run))
        for kind, count in kinds.items():
            self.assertEqual(s["transport_error_kinds"].get(kind, 0), count, describe(run))

    def test_request_count_equals_target_count(self):
        run = self.run_requests("/", 300, conns=8)
        self.assertEqual(run.summary["successful_requests"], 300, describe(run))
        self.assertEqual(run.summary["status_codes"], {"200": 300})
        self.assertEqual(self.target.stats(), 300)

    def test_duration_count_matches_target_count(self):
        run = run_strest(["-u", self.target.url("/"), "-t", "1s", "-m", 8], timeout=30)
        self.assertEqual(run.returncode, 0, describe(run))
        s = run.summary
        self.assertGreater(s["total_requests"], 0, describe(run))
        self.assertEqual(s["stop_reason"], "duration")
        answered = self.target.stats()
        self.assertGreaterEqual(answered, s["total_requests"], describe(run))
        self.assertLessEqual(answered, s["total_requests"] + s["cancelled_requests"],
                             describe(run))

    def test_request_timeout(self):
        run = self.run_requests("/delay/2000", 8, "--timeout", "200ms")
        s = run.summary
        self.assertEqual(s["successful_requests"], 0, describe(run))
        self.assertEqual(s["timeout_requests"], 8, describe(run))
        self.assertEqual(s["timeout_kinds"].get("request", 0), 8, describe(run))
        self.assertEqual(s["timeout_kinds"].get("connect", 0), 0, describe(run))
        self.assertEqual(s["error_requests"], 8, describe(run))

    def test_non_expected_status(self):
        run = self.run_requests("/status/500", 200)
        s = run.summary
        self.assertEqual(s["non_expected_status"], 200, describe(run))
        self.assertEqual(s["successful_requests"], 0, describe(run))
        self.assertEqual(s["error_requests"], 200, describe(run))
        self.assertEqual(s["status_codes"], {"500": 200}, describe(run))
        self.assertEqual(self.target.stats(), 200)

    def test_expected_status_flag(self):
        run = self.run_requests("/status/500", 100, "-s", 500)
        self.assertEqual(run.summary["successful_requests"], 100, describe(run))
        self.assertEqual(run.summary["status_codes"], {"500": 100}, describe(run))

    def test_status_without_body(self):
        for code in (204, 304):
            with self.subTest(code=code):
                run = self.run_requests(f"/status/{code}", 50, "-s", code, "--timeout", "2s")
                self.assertEqual(run.summary["successful_requests"], 50, describe(run))

    def test_close_mid_body(self):
        run = self.run_requests("/close-mid", 50, conns=2)
        self.assert_only_transport_errors(run, closed_early=50)

    def test_close_without_response(self):
        run = self.run_requests("/close", 50, conns=2)
        self.assert_only_transport_errors(run)
        kinds = run.summary["transport_error_kinds"]
        self.assertEqual(kinds.get("closed_early", 0) + kinds.get("reset", 0), 50, kinds)

    def test_malformed_response(self):
        run = self.run_requests("/malformed", 50, conns=2)
        self.assert_only_transport_errors(run, malformed_response=50)

    def test_connect_refused(self):
        url = f"http://127.0.0.1:{refused_port()}/"
        run = self.run_requests(None, 20, conns=2, url=url)
        self.assert_only_transport_errors(run, connect_refused=20)

    def test_connect_timeout(self):
        with unanswered_port() as port:
            run = self.run_requests(None, 6, "--connect-timeout", "200ms", "--timeout", "5s",
                                    conns=2, url=f"http://127.0.0.1:{port}/")
        s = run.summary
        self.assertEqual(s["timeout_requests"], 6, describe(run))
        self.assertEqual(s["timeout_kinds"].get("connect", 0), 6, describe(run))
        self.assertEqual(s["successful_requests"], 0, describe(run))

    def test_chunked_body(self):
        run = self.run_requests("/chunked/100000", 40, "--timeout", "5s")
        self.assertEqual(run.summary["successful_requests"], 40, describe(run))
        self.assertGreaterEqual(run.summary["bytes_received"], 100000 * 40)

    def test_large_body(self):
        run = self.run_requests("/bytes/5000000", 8, "--timeout", "10s", conns=2)
        self.assertEqual(run.summary["successful_requests"], 8, describe(run))
        self.assertGreaterEqual(run.summary["bytes_received"], 5000000 * 8)

    def test_empty_body(self):
        run = self.run_requests("/bytes/0", 50, "--timeout", "2s")
        self.assertEqual(run.summary["successful_requests"], 50, describe(run))

    def test_close_delimited_body(self):
        run = self.run_requests("/eof-body", 30, "--timeout", "5s", conns=2)
        self.assertEqual(run.summary["successful_requests"], 30, describe(run))

    def test_head_request(self):
        run = self.run_requests("/", 100, "-X", "HEAD", "--timeout", "2s")
        self.assertEqual(run.summary["successful_requests"], 100, describe(run))
        self.assertEqual(self.target.stats(), 100)

    def check_signal(self, sig, expected_code):
        with tempfile.TemporaryDirectory(prefix="strest-sig-") as tmp:
            out = Path(tmp) / "summary.json"
            with strest_process(["-u", self.target.url("/"), "-t", "30s", "-m", 4],
                                output_path=out) as proc:
                deadline = time.monotonic() + 10
                while self.target.stats() == 0 and time.monotonic() < deadline:
                    self.assertIsNone(proc.poll(), "strest exited before the signal")
                    time.sleep(0.05)
                time.sleep(0.5)
                proc.send_signal(sig)
                proc.wait(timeout=10)
                stdout, stderr = process_output(proc)
                self.assertEqual(proc.returncode, expected_code,
                                 f"stdout={stdout[-1500:]}\nstderr={stderr[-1500:]}")
            self.assertTrue(out.exists(), "no summary written after the signal")
            s = json.loads(out.read_text())
        self.assertEqual(s["stop_reason"], "signal")
        self.assertGreater(s["total_requests"], 0)
        answered = self.target.stats()
        self.assertGreaterEqual(answered, s["total_requests"])
        self.assertLessEqual(answered, s["total_requests"] + s["cancelled_requests"])

    def test_sigint_writes_summary(self):
        self.check_signal(signal.SIGINT, 130)

    def test_sigterm_writes_summary(self):
        self.check_signal(signal.SIGTERM, 143)


if __name__ == "__main__":
    unittest.main()
