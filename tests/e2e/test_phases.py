"""Phase timings that took time show it: the request write ends after the write, the response
read ends after the read that completed the response, and the phases of a request add up to its
latency. No timing bound is asserted: only that measured phases are not stamped as zero."""
import unittest

from harness import Nginx, StrestTarget, describe, run_strest

# A cap so a run that never reaches its request count still ends by itself (and fails).
SAFETY_DURATION = "20s"
PHASES = ("request_write", "wait_first_byte", "response_read")


class PhaseTimingsTest(unittest.TestCase):
    def run_requests(self, url, n, conns):
        run = run_strest(["-u", url, "--requests", n, "-m", conns, "-t", SAFETY_DURATION],
                         timeout=60)
        self.assertEqual(run.returncode, 0, describe(run))
        s = run.summary
        self.assertEqual(s["successful_requests"], n, describe(run))
        for name in PHASES:
            self.assertEqual(s["phases"][name]["count"], n, describe(run))
        return s

    def assert_phases_add_up_to_latency(self, s):
        """Each request's three phases run from its send to its last byte, as its latency does:
        their means add up to the mean latency (which the HDR histogram keeps to ~1%)."""
        phases = sum(s["phases"][name]["avg_ms"] for name in PHASES)
        latency = s["avg_latency_ms"]
        self.assertAlmostEqual(phases, latency, delta=0.02 + 0.05 * latency,
                               msg=f"phases {s['phases']} vs latency {latency}")

    def test_a_large_body_shows_its_response_read(self):
        with StrestTarget() as target:
            s = self.run_requests(target.url("/bytes/8388608"), 20, 2)
        read = s["phases"]["response_read"]
        self.assertGreater(read["min_ms"], 0, s["phases"])
        self.assertGreater(read["avg_ms"], 0, s["phases"])
        self.assertGreater(s["phases"]["wait_first_byte"]["avg_ms"], 0, s["phases"])
        self.assert_phases_add_up_to_latency(s)

    def test_the_write_of_a_small_request_is_measured(self):
        # Every request of a keep-alive run against nginx fits one write and its response one
        # read: the write is a system call, so some of them take a microsecond or more.
        with Nginx(access_log=False) as nginx:
            s = self.run_requests(nginx.url, 2000, 4)
        self.assertGreater(s["phases"]["request_write"]["max_ms"], 0, s["phases"])
        self.assertGreater(s["phases"]["wait_first_byte"]["avg_ms"], 0, s["phases"])
        self.assert_phases_add_up_to_latency(s)


if __name__ == "__main__":
    unittest.main()
