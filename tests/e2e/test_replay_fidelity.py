"""Replay fidelity: a replay of a kept run log gives back the live run's summary, field by field,
and the same per-second series, for closed-loop runs against nginx (HTTP/1.1, and HTTP/2 over
TLS), runs against the built-in target with transport errors and with timeouts, and an
open-loop --rate run with a warmup.

The per-second series is the summary's "series" (the numbers the charts draw; strest has no
separate per-second CSV), and the twelve PNG charts must be the same files.
"""
import json
import tempfile
import threading
import unittest
from pathlib import Path

import harness
import transport_fixtures

# Summary fields a replay may report differently from the live run. None today: the run log
# keeps how the run ended (duration, stop reason, schedule), its connections and phases, and
# its error details. A field that must differ goes here, with the reason.
FIELDS_THAT_DIFFER = set()


def request_records(path):
    """Request records of a run log (event records, outcome byte 255, left out)."""
    data = Path(path).read_bytes()[32:]
    return sum(1 for at in range(0, len(data) - 39, 40) if data[at + 30] != 255)


class ReplayFidelityTest(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="strest-fidelity-"))
        self.addCleanup(harness.shutil.rmtree, self.dir, ignore_errors=True)

    def live_args(self, args):
        return [*args, "--keep-tmp", "--tmp-path", self.dir / "tmp", "-o", self.dir / "live.json",
                "-c", self.dir / "live-charts"]

    def charts(self, name):
        """{file name: bytes} of the one run folder under name."""
        (folder,) = [p for p in (self.dir / name).iterdir() if p.is_dir()]
        return {p.name: p.read_bytes() for p in sorted(folder.glob("*.png"))}

    def replay_and_compare(self, live_returncode=0):
        live = json.loads((self.dir / "live.json").read_text())
        replay = harness.run_strest(
            ["--replay", "--tmp-path", self.dir / "tmp", "-o", self.dir / "replay.json",
             "-c", self.dir / "replay-charts"], timeout=60)
        self.assertEqual(replay.returncode, live_returncode, harness.describe(replay))
        replayed = replay.summary
        logs = sorted((self.dir / "tmp").glob("strest-run-*.srl"))
        self.assertEqual(sum(request_records(p) for p in logs), live["total_requests"])
        keys = set(live) | set(replayed)
        for key in sorted(keys - FIELDS_THAT_DIFFER):
            self.assertEqual(replayed.get(key), live.get(key), f"summary field {key!r}")
        # The per-second series (also what the charts draw), second by second.
        self.assertGreater(len(live["series"]), 0)
        for a, b in zip(live["series"], replayed["series"]):
            self.assertEqual(b, a, f"second {a['second']}")
        self.assertEqual(len(replayed["series"]), len(live["series"]))
        # The charts are drawn from the same numbers, so they are the same files, byte for byte.
        live_charts, replay_charts = self.charts("live-charts"), self.charts("replay-charts")
        self.assertEqual(len(live_charts), 12)
        for name, data in live_charts.items():
            self.assertEqual(replay_charts[name], data, f"chart {name}")
        return live

    def test_closed_loop_against_nginx(self):
        with harness.Nginx() as nginx:
            run = harness.run_strest(self.live_args(
                ["-u", nginx.url, "-t", "2s", "-m", "8", "--threads", "2", "--log-shards", "2"]),
                timeout=60)
        self.assertEqual(run.returncode, 0, harness.describe(run))
        live = self.replay_and_compare()
        self.assertGreater(live["connections_opened"], 0)
        self.assertGreater(live["phases"]["wait_first_byte"]["count"], 0)

    def test_http2_over_tls_against_nginx(self):
        with transport_fixtures.TransportNginx(servers=["tls"]) as nginx:
            run = harness.run_strest(self.live_args(
                ["-u", nginx.url("tls"), "--http2", "--cacert", nginx.certs.ca_pem, "-t", "1s",
                 "-m", "4", "--threads", "2"]), timeout=60)
        self.assertEqual(run.returncode, 0, harness.describe(run))
        live = self.replay_and_compare()
        self.assertEqual(live["protocol"], "HTTP/2")
        self.assertGreater(live["tls_handshakes"], 0)

    def test_transport_errors_against_the_built_in_target(self):
        with harness.StrestTarget() as target:
            run = harness.run_strest(self.live_args(
                ["-u", target.url("/close-mid"), "-t", "1s", "-m", "4", "--threads", "2"]),
                timeout=60)
        self.assertEqual(run.returncode, 0, harness.describe(run))
        live = self.replay_and_compare()
        self.assertGreater(live["transport_errors"], 0)
        self.assertTrue(live["error_details"], "an error detail to carry over")

    def test_timeouts_during_a_stall_of_the_built_in_target(self):
        with harness.StrestTarget() as target:
            stall = threading.Timer(0.5, target.stall, args=(700,))
            stall.start()
            try:
                run = harness.run_strest(self.live_args(
                    ["-u", target.url("/"), "-t", "2s", "-m", "4", "--timeout", "200ms"]),
                    timeout=60)
            finally:
                stall.join()
        self.assertEqual(run.returncode, 0, harness.describe(run))
        live = self.replay_and_compare()
        self.assertGreater(live["timeout_requests"], 0)

    def test_open_loop_rate_against_nginx(self):
        with harness.Nginx() as nginx:
            run = harness.run_strest(self.live_args(
                ["-u", nginx.url, "--rate", "300", "--warmup", "500ms", "-t", "2s", "-m", "8",
                 "--threads", "2"]), timeout=60)
        self.assertEqual(run.returncode, 0, harness.describe(run))
        live = self.replay_and_compare()
        self.assertTrue(live["open_loop"])
        self.assertGreater(live["scheduled_requests"], 0)
        self.assertGreater(live["warmup_excluded_requests"], 0)


class ReplayObserversTest(unittest.TestCase):
    """A replay gets the live run's observers: sinks, and the threshold watch that stops it at a
    failed threshold with abort_on_fail."""

    def test_sinks_of_a_replay_end_as_the_live_ones(self):
        workdir = Path(tempfile.mkdtemp(prefix="strest-fidelity-"))
        self.addCleanup(harness.shutil.rmtree, workdir, ignore_errors=True)
        for name in ("live", "replay"):
            (workdir / f"{name}.toml").write_text(
                f'[sinks]\nupdate_interval_ms = 500\n[sinks.prometheus]\n'
                f'path = "{workdir / name}.prom"\n')
        with harness.Nginx() as nginx:
            live = harness.run_strest(
                ["-u", nginx.url, "--warmup", "500ms", "-t", "1500ms", "-m", "4", "--keep-tmp",
                 "--tmp-path", workdir / "tmp", "--config", workdir / "live.toml"], timeout=60)
        self.assertEqual(live.returncode, 0, harness.describe(live))
        replay = harness.run_strest(["--replay", "--tmp-path", workdir / "tmp", "--config",
                                     workdir / "replay.toml"], timeout=60)
        self.assertEqual(replay.returncode, 0, harness.describe(replay))
        # Same target label, same warmup left out of the rate, same totals.
        self.assertEqual((workdir / "replay.prom").read_text(), (workdir / "live.prom").read_text())

    def test_abort_on_fail_stops_a_replay_early_with_exit_3(self):
        workdir = Path(tempfile.mkdtemp(prefix="strest-fidelity-"))
        self.addCleanup(harness.shutil.rmtree, workdir, ignore_errors=True)
        with harness.StrestTarget() as target:
            live = harness.run_strest(
                ["-u", target.url("/status/500"), "-t", "1500ms", "-m", "2", "--keep-tmp",
                 "--tmp-path", workdir / "tmp"], timeout=60)
        self.assertEqual(live.returncode, 0, harness.describe(live))
        config = workdir / "abort.toml"
        config.write_text('[thresholds]\nchecks = ["error_rate<1%"]\nabort_on_fail = true\n'
                          'abort_delay = "500ms"\n')
        replay = harness.run_strest(["--replay", "--tmp-path", workdir / "tmp", "--config", config],
                                    timeout=60)
        self.assertEqual(replay.returncode, 3, harness.describe(replay))
        self.assertEqual(replay.summary["stop_reason"], "threshold")
        self.assertLess(replay.summary["total_requests"], live.summary["total_requests"])


if __name__ == "__main__":
    unittest.main()
