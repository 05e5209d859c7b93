"""Load shaping end to end: open loop at a fixed or staged rate, latency corrected from the
intended send time (a server stall shows in p99 even though strest's own connections were
idle), closed-loop connection ramps, warmup exclusion and per-request ids.

Every run lasts 2-4 s on loopback. Bounds are counts and integrals of the schedule, with
tolerances far wider than scheduling jitter; the one latency bound on the service side
(< 200 ms against an 800 ms stall) separates two regimes, it does not measure speed.
"""
import json
import tempfile
import time
import unittest
from pathlib import Path

from harness import (Nginx, StrestTarget, describe, process_output, run_strest, strest_process,
                     whole_seconds)

OPEN_LOOP_KEYS = (
    "open_loop", "target_rps", "rps", "scheduled_requests", "p50_latency_ms", "p99_latency_ms",
    "p999_latency_ms", "service_p50_latency_ms", "service_p99_latency_ms",
    "service_p999_latency_ms", "service_avg_latency_ms", "service_max_latency_ms",
    "service_success_p99_latency_ms", "schedule_lag_mean_ms", "schedule_lag_max_ms",
    "late_starts", "unsent_at_end", "warmup_excluded_requests", "warmup_ms", "series",
    "thresholds", "thresholds_passed")


def within(actual, expected, fraction):
    return abs(actual - expected) <= expected * fraction


def sent(summary):
    """Requests the schedule released or owed: completed, cut off at the end, never started."""
    return (summary["total_requests"] + summary["cancelled_requests"]
            + summary.get("unsent_at_end", 0))


class StallTest(unittest.TestCase):
    """a. An 800 ms stop-the-world pause of the target during an open-loop run."""

    def test_stall_shows_in_corrected_latency_not_in_service_time(self):
        with StrestTarget() as target, tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "summary.json"
            args = ["-u", target.url("/"), "--rate", 1000, "-m", 4, "-t", "4s"]
            with strest_process(args, output_path=out) as proc:
                time.sleep(1.5)
                self.assertIsNone(proc.poll(), "strest ended before the stall")
                target.stall(800)
                proc.wait(timeout=20)
                _, stderr = process_output(proc)
            self.assertEqual(proc.returncode, 0, stderr)
            s = json.loads(out.read_text())
            answered = target.stats()
        info = f"\nsummary={json.dumps(s, indent=1, sort_keys=True)}\nstderr={stderr[-1500:]}"
        for key in OPEN_LOOP_KEYS:
            self.assertIn(key, s, info)
        self.assertIs(s["open_loop"], True, info)
        self.assertGreaterEqual(s["p99_latency_ms"], 400, "the stall must show" + info)
        self.assertLess(s["service_p99_latency_ms"], 200,
                        "queued requests waited in strest, not on the wire" + info)
        self.assertGreaterEqual(s["max_latency_ms"], s["service_max_latency_ms"], info)
        self.assertTrue(within(sent(s), 4000, 0.02), info)
        self.assertTrue(within(s["scheduled_requests"], 4000, 0.02), info)
        self.assertGreater(s["late_starts"], 0, info)
        self.assertGreaterEqual(s["schedule_lag_max_ms"], 400, info)
        self.assertGreaterEqual(s["schedule_lag_max_ms"], s["schedule_lag_mean_ms"], info)
        self.assertEqual(s["error_requests"], 0, info)
        self.assertGreaterEqual(answered, s["total_requests"], info)
        self.assertLessEqual(answered, s["total_requests"] + s["cancelled_requests"], info)


class NginxLoadShapingTest(unittest.TestCase):
    def setUp(self):
        self.nginx = Nginx()
        self.nginx.__enter__()
        self.addCleanup(self.nginx.__exit__, None, None, None)

    def run_ok(self, *args, timeout=30, cwd=None):
        run = run_strest(["-u", self.nginx.url] + list(args), timeout=timeout, cwd=cwd)
        self.assertEqual(run.returncode, 0, describe(run))
        self.assertIsNotNone(run.summary, "no JSON summary written" + describe(run))
        return run

    def assert_nginx_served(self, run, counted):
        """nginx served at least what strest counted and at most that plus the cut-off ones."""
        served = len(self.nginx.root_entries())
        self.assertGreaterEqual(served, counted, describe(run))
        self.assertLessEqual(served, counted + run.summary["cancelled_requests"], describe(run))

    def assert_series_adds_up(self, run):
        s = run.summary
        self.assertEqual(sum(e["completed"] for e in s["series"]), s["total_requests"],
                         "the series must add up to the totals" + describe(run))
        for e in s["series"]:
            self.assertEqual(e["completed"], e["ok"] + e["errors"], describe(run))

    def test_fixed_rate(self):
        """b. --rate 2000 for 3 s: 6000 requests, 2000 in every whole second."""
        run = self.run_ok("--rate", 2000, "-t", "3s")
        s = run.summary
        self.assertIs(s["open_loop"], True, describe(run))
        self.assertTrue(within(s["total_requests"] + s["cancelled_requests"], 6000, 0.02),
                        describe(run))
        self.assertTrue(within(s["target_rps"], 2000, 0.02), describe(run))
        self.assertTrue(within(s["rps"], 2000, 0.05), describe(run))
        seconds = whole_seconds(s)
        self.assertEqual(sorted(seconds), [0, 1, 2], describe(run))
        for second, entry in seconds.items():
            self.assertTrue(within(entry["completed"], 2000, 0.05),
                            f"second {second}: {entry}" + describe(run))
        self.assert_series_adds_up(run)
        self.assert_nginx_served(run, s["total_requests"])

    def test_staged_rate_profile(self):
        """c. 500 -> 1500 over 1 s, hold 1 s, -> 500 over 1 s: 1000, 1500, 1000 a second."""
        with tempfile.TemporaryDirectory() as tmp:
            config = Path(tmp) / "strest.toml"
            config.write_text(
                '[load]\nrate = 500\n\n'
                '[[load.stages]]\nduration = "1s"\ntarget = 1500\n\n'
                '[[load.stages]]\nduration = "1s"\ntarget = 1500\n\n'
                '[[load.stages]]\nduration = "1s"\ntarget = 500\n')
            run = self.run_ok("--config", config, cwd=tmp)
        s = run.summary
        self.assertIs(s["open_loop"], True, describe(run))
        self.assertEqual(s["stop_reason"], "duration", describe(run))
        self.assertGreaterEqual(s["duration_ms"], 2950, "duration = sum of stages" + describe(run))
        self.assertLess(s["duration_ms"], 4000, "duration = sum of stages" + describe(run))
        self.assertTrue(within(s["scheduled_requests"], 3500, 0.03), describe(run))
        self.assertTrue(within(s["target_rps"], 3500 / 3, 0.05), describe(run))
        seconds = whole_seconds(s)
        for second, expected in ((0, 1000), (1, 1500), (2, 1000)):
            self.assertIn(second, seconds, describe(run))
            self.assertTrue(within(seconds[second]["completed"], expected, 0.10),
                            f"second {second}: {seconds[second]}, expected ~{expected}"
                            + describe(run))
        self.assert_series_adds_up(run)
        self.assert_nginx_served(run, s["total_requests"])

    def test_warmup_is_left_out(self):
        """e. --warmup 1s -t 3s: the first second is served but counted nowhere."""
        run = self.run_ok("--warmup", "1s", "-t", "3s", "-m", 10)
        s = run.summary
        self.assertEqual(s["warmup_ms"], 1000, describe(run))
        self.assertGreater(s["warmup_excluded_requests"], 0, describe(run))
        self.assertGreater(s["total_requests"], 0, describe(run))
        self.assert_nginx_served(run, s["total_requests"] + s["warmup_excluded_requests"])
        # Whatever the series' seconds count from, warmup seconds hold nothing.
        self.assert_series_adds_up(run)
        busy = [e["second"] for e in s["series"] if e["completed"] > 0]
        self.assertLessEqual(len(busy), 3, "2 measured seconds and a partial one" + describe(run))
        measured_s = (s["duration_ms"] - s["warmup_ms"]) / 1000
        self.assertTrue(within(s["rps"], s["total_requests"] / measured_s, 0.05),
                        "rps over wall minus warmup" + describe(run))

    def test_request_id_header(self):
        """f. --request-id-header: every request carries its own decimal sequence number."""
        run = self.run_ok("--request-id-header", "X-Request-Id", "--requests", 200, "-m", 10,
                          "--threads", 2)
        self.assertEqual(run.summary["total_requests"], 200, describe(run))
        ids = [e["x_request_id"] for e in self.nginx.root_entries()]
        self.assertEqual(len(ids), 200, describe(run))
        self.assertTrue(all(i.isdigit() for i in ids), f"non-integer ids: {ids[:10]}")
        self.assertEqual(len(set(ids)), 200, f"repeated ids: {sorted(ids, key=int)[:20]}")

    def test_closed_loop_summary_has_every_key(self):
        """The summary's shape does not depend on the mode: closed loop has the open-loop keys
        with their neutral values (nothing scheduled, nothing late, service = latency)."""
        run = self.run_ok("--requests", 300, "-m", 5)
        s = run.summary
        missing = [k for k in OPEN_LOOP_KEYS if k not in s]
        self.assertEqual(missing, [], describe(run))
        self.assertIs(s["open_loop"], False, describe(run))
        self.assertEqual(s["target_rps"], 0, describe(run))
        self.assertEqual(s["late_starts"], 0, describe(run))
        self.assertEqual(s["unsent_at_end"], 0, describe(run))
        self.assertEqual(s["service_p99_latency_ms"], s["p99_latency_ms"], describe(run))

    def test_bad_load_settings_exit_2_before_sending(self):
        bad_flags = (["--rate", "abc"], ["--rate", "-5"], ["--rate", "0"], ["--warmup", "abc"],
                     ["-r", 5, "-i", "abc"], ["--warmup", "5s", "-t", "2s"])
        for flags in bad_flags:
            run = run_strest(["-u", self.nginx.url, "-t", "1s"] + flags, timeout=30)
            self.assertEqual(run.returncode, 2, f"{flags}" + describe(run))
        with tempfile.TemporaryDirectory() as tmp:
            config = Path(tmp) / "strest.toml"
            config.write_text('[load]\nrate = 100\n\n[[load.stages]]\nduration = "soon"\n'
                              'target = 200\n')
            run = run_strest(["-u", self.nginx.url, "--config", config], timeout=30)
            self.assertEqual(run.returncode, 2, describe(run))
            self.assertIn("strest.toml", run.stderr, "the error names the file" + describe(run))
        self.assertEqual(self.nginx.root_entries(settle=0.1), [], "nothing was sent")

    def test_no_request_id_header_by_default(self):
        run = self.run_ok("--requests", 20, "-m", 2)
        self.assertEqual(run.summary["total_requests"], 20, describe(run))
        self.assertEqual({e["x_request_id"] for e in self.nginx.root_entries()}, {"-"})


class SpawnRampTest(unittest.TestCase):
    """d. Closed loop, -m 20 opened 5 at a time every 500 ms against /delay/50."""

    def test_spawn_ramp_limits_early_throughput(self):
        with StrestTarget() as target:
            url = target.url("/delay/50")
            ramp = run_strest(["-u", url, "-m", 20, "-r", 5, "-i", 500, "-t", "2s"], timeout=30)
            full = run_strest(["-u", url, "-m", 20, "-t", "2s"], timeout=30)
        for run in (ramp, full):
            self.assertEqual(run.returncode, 0, describe(run))
            self.assertIsNotNone(run.summary, describe(run))
            self.assertIs(run.summary["open_loop"], False, describe(run))
            self.assertEqual(run.summary["target_rps"], 0, describe(run))
        ramped, unramped = whole_seconds(ramp.summary), whole_seconds(full.summary)
        self.assertEqual(sorted(ramped), [0, 1], describe(ramp))
        self.assertEqual(sorted(unramped), [0, 1], describe(full))
        # Each request takes >= 50 ms: in second 0, 5 connections for 1 s and 5 more for its
        # second half finish at most 5*20 + 5*10 = 150; all 20 at once finish up to 400.
        first = ramped[0]["completed"]
        self.assertLessEqual(first, 165, describe(ramp))
        self.assertLess(first, 0.6 * unramped[0]["completed"], describe(ramp) + describe(full))
        # Second 1 has 15 then 20 connections: clearly more than second 0's 5 then 10.
        self.assertGreaterEqual(ramped[1]["completed"], 1.5 * first, describe(ramp))


if __name__ == "__main__":
    unittest.main()
