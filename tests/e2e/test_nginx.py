"""strest against a real nginx: what strest counts is what nginx served, and what strest sends
(method, body, headers) is what nginx received."""
import collections
import tempfile
import unittest

from harness import Nginx, describe, run_strest


class NginxTest(unittest.TestCase):
    def setUp(self):
        self.nginx = Nginx()
        self.nginx.__enter__()
        self.addCleanup(self.nginx.__exit__, None, None, None)

    def run_ok(self, *args, timeout=30):
        run = run_strest(["-u", self.nginx.url] + list(args), timeout=timeout)
        self.assertEqual(run.returncode, 0, describe(run))
        self.assertIsNotNone(run.summary, "no JSON summary written" + describe(run))
        return run

    def assert_all_ok(self, run, total):
        s = run.summary
        self.assertEqual(s["total_requests"], total, describe(run))
        self.assertEqual(s["successful_requests"], total, describe(run))
        self.assertEqual(s["error_requests"], 0, describe(run))
        self.assertEqual(s["status_codes"], {"200": total}, describe(run))

    def test_request_count_equals_nginx_log(self):
        run = self.run_ok("--requests", 1000, "-m", 10)
        self.assert_all_ok(run, 1000)
        self.assertEqual(run.summary["stop_reason"], "requests")
        self.assertEqual(len(self.nginx.root_entries()), 1000)

    def test_duration_count_matches_nginx_log(self):
        run = self.run_ok("-t", "2s", "-m", 20)
        s = run.summary
        total, cancelled = s["total_requests"], s["cancelled_requests"]
        self.assertGreater(total, 0, describe(run))
        self.assertEqual(s["stop_reason"], "duration")
        self.assertEqual(s["successful_requests"], total, describe(run))
        # Requests cut off at the deadline are not counted but may have reached nginx.
        served = len(self.nginx.root_entries())
        self.assertGreaterEqual(served, total, describe(run))
        self.assertLessEqual(served, total + cancelled, describe(run))
        self.assertLessEqual(cancelled, 20, describe(run))

    def test_summary_is_consistent(self):
        run = self.run_ok("--requests", 500, "-m", 5)
        s = run.summary
        self.assertEqual(s["total_requests"], s["successful_requests"] + s["error_requests"])
        self.assertEqual(s["error_requests"], s["timeout_requests"] + s["transport_errors"]
                         + s["non_expected_status"])
        self.assertGreater(s["duration_ms"], 0)
        # duration_ms is rounded to whole ms; rps comes from the µs wall clock.
        d = s["duration_ms"]
        low = s["total_requests"] * 1000 / (d + 0.5)
        high = s["total_requests"] * 1000 / max(d - 0.5, 0.001)
        self.assertTrue(low * 0.99 <= s["rps"] <= high * 1.01, f"rps {s['rps']}, {d} ms")
        self.assertGreaterEqual(s["bytes_received"], 13 * 500)
        self.assertTrue(s["target"].startswith("http://127.0.0.1:"), s["target"])
        for prefix in ("", "success_"):
            keys = [f"{prefix}{k}_latency_ms" for k in
                    ("min", "p50", "p90", "p95", "p99", "p999", "max")]
            values = [s[k] for k in keys]
            self.assertEqual(values, sorted(values), f"{prefix}percentiles not ordered: {values}")
            self.assertLessEqual(s[f"{prefix}min_latency_ms"], s[f"{prefix}avg_latency_ms"])
            self.assertLessEqual(s[f"{prefix}avg_latency_ms"], s[f"{prefix}max_latency_ms"])

    def test_connections_are_kept_alive(self):
        before = self.nginx.stub_status()["accepts"]
        run = self.run_ok("--requests", 2000, "-m", 10)
        self.assert_all_ok(run, 2000)
        accepted = self.nginx.stub_status()["accepts"] - before - 1  # -1: the status request
        self.assertLessEqual(accepted, 10, "connections were not reused")
        self.assertTrue(any(int(e["connection_requests"]) > 1 for e in self.nginx.root_entries()))

    def test_post_body_reaches_nginx(self):
        body = "name=strest&load=42"
        run = self.run_ok("-X", "POST", "-d", body, "--requests", 50, "-m", 4)
        self.assert_all_ok(run, 50)
        entries = self.nginx.root_entries()
        self.assertEqual(len(entries), 50)
        for e in entries:
            self.assertEqual(e["method"], "POST")
            self.assertEqual(e["content_length"], str(len(body)))
            self.assertGreater(int(e["request_length"]), len(body))

    def test_body_from_file(self):
        with tempfile.NamedTemporaryFile("wb", suffix=".json") as f:
            body = b'{"user": "strest", "items": [1, 2, 3]}\n' * 20
            f.write(body)
            f.flush()
            run = self.run_ok("-X", "PUT", "-D", f.name, "--requests", 20, "-m", 2)
        self.assert_all_ok(run, 20)
        entries = self.nginx.root_entries()
        self.assertEqual({e["method"] for e in entries}, {"PUT"})
        self.assertEqual({e["content_length"] for e in entries}, {str(len(body))})

    def test_body_lines_round_robin(self):
        with tempfile.NamedTemporaryFile("w", suffix=".txt") as f:
            f.write("a\nbb\nccc\n")
            f.flush()
            run = self.run_ok("-X", "POST", "-Z", f.name, "--requests", 30, "-m", 1)
        self.assert_all_ok(run, 30)
        lengths = collections.Counter(e["content_length"] for e in self.nginx.root_entries())
        self.assertEqual(lengths, {"1": 10, "2": 10, "3": 10})

    def test_custom_header_reaches_nginx(self):
        run = self.run_ok("-H", "X-E2E-Tag: tag-1234", "--requests", 40, "-m", 4)
        self.assert_all_ok(run, 40)
        entries = self.nginx.root_entries()
        self.assertEqual(len(entries), 40)
        self.assertEqual({e["x_e2e_tag"] for e in entries}, {"tag-1234"})
        self.assertEqual({e["method"] for e in entries}, {"GET"})

    def test_default_user_agent(self):
        self.run_ok("--requests", 5, "-m", 1)
        agents = {e["user_agent"] for e in self.nginx.root_entries()}
        self.assertEqual(len(agents), 1, agents)
        self.assertTrue(agents.pop().startswith("strest-loadtest/"))

    def test_no_ua_with_authorized_sends_no_user_agent(self):
        self.run_ok("--no-ua", "--authorized", "--requests", 5, "-m", 1)
        self.assertEqual({e["user_agent"] for e in self.nginx.root_entries()}, {"-"})

    def test_two_threads_request_count(self):
        run = self.run_ok("--threads", 2, "-m", 20, "--requests", 3000)
        self.assert_all_ok(run, 3000)
        self.assertEqual(len(self.nginx.root_entries()), 3000)

    def test_two_threads_duration(self):
        run = self.run_ok("--threads", 2, "-m", 20, "-t", "1s")
        s = run.summary
        self.assertGreater(s["total_requests"], 0)
        self.assertEqual(s["successful_requests"], s["total_requests"], describe(run))
        served = len(self.nginx.root_entries())
        self.assertGreaterEqual(served, s["total_requests"], describe(run))
        self.assertLessEqual(served, s["total_requests"] + s["cancelled_requests"], describe(run))


if __name__ == "__main__":
    unittest.main()
