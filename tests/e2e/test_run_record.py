"""The run record: run log, exports, SQLite, charts and replay, end to end against nginx.

One run with every output on; then each output is checked against the printed summary, and a
replay of the run log and of each export must give back the same totals and percentiles.
"""
import csv
import json
import os
import signal
import sqlite3
import struct
import tempfile
import time
import unittest
from pathlib import Path

import harness

PERCENTILE_KEYS = ["min_latency_ms", "p50_latency_ms", "p90_latency_ms", "p99_latency_ms",
                   "p999_latency_ms", "max_latency_ms", "success_p99_latency_ms"]
COUNT_KEYS = ["total_requests", "successful_requests", "error_requests", "timeout_requests",
              "transport_errors", "non_expected_status"]
CHARTS = ["average_response_time.png", "cumulative_successful_requests.png",
          "cumulative_error_rate.png", "cumulative_total_requests.png", "requests_per_second.png",
          "latency_percentiles_P50.png", "latency_percentiles_P90.png",
          "latency_percentiles_P99.png", "timeouts_per_second.png", "error_rate_breakdown.png",
          "status_code_distribution.png", "inflight_requests.png"]


def request_records(path):
    """Request records of a run log (event records, outcome byte 255, left out)."""
    data = Path(path).read_bytes()[32:]
    return sum(1 for at in range(0, len(data) - 39, 40) if data[at + 30] != 255)


def png_size(path):
    data = Path(path).read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


class RunRecordTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = Path(tempfile.mkdtemp(prefix="strest-record-"))
        cls.nginx = harness.Nginx()
        cls.nginx.__enter__()
        d = cls.dir
        cls.record = harness.run_strest(
            ["-u", cls.nginx.url, "-t", "2s", "-m", "8", "--threads", "2", "--keep-tmp",
             "--tmp-path", d / "tmp", "--log-shards", "2", "--export-csv", d / "m.csv",
             "--export-json", d / "m.json", "--export-jsonl", d / "m.jsonl",
             "--db-url", d / "m.db", "-c", d / "charts", "-o", d / "summary.json"],
            timeout=60)

    @classmethod
    def tearDownClass(cls):
        cls.nginx.__exit__(None, None, None)
        harness.shutil.rmtree(cls.dir, ignore_errors=True)

    def summary(self):
        self.assertEqual(self.record.returncode, 0, harness.describe(self.record))
        return self.record.summary

    def test_run_log_holds_every_counted_request(self):
        total = self.summary()["total_requests"]
        logs = sorted((self.dir / "tmp").glob("strest-run-*.srl"))
        self.assertEqual(len(logs), 2, "one file per --log-shards")
        records = sum(request_records(p) for p in logs)
        self.assertEqual(records, total)
        self.assertIn("run log kept", self.record.stderr)

    def test_csv_and_jsonl_rows_equal_the_total(self):
        total = self.summary()["total_requests"]
        text = (self.dir / "m.csv").read_text().splitlines()
        rows = [line for line in text if not line.startswith("#")]
        self.assertEqual(len(list(csv.DictReader(rows))), total)
        lines = [json.loads(line) for line in (self.dir / "m.jsonl").read_text().splitlines()]
        self.assertEqual(sum(1 for x in lines if x.get("type") == "request"), total)

    def test_json_export_summary_equals_the_printed_one(self):
        summary = self.summary()
        exported = json.loads((self.dir / "m.json").read_text())
        self.assertEqual(len(exported["metrics"]), summary["total_requests"])
        for key in COUNT_KEYS + PERCENTILE_KEYS + ["rps", "duration_ms"]:
            self.assertEqual(exported["summary"][key], summary[key], key)

    def test_sqlite_has_a_row_per_request(self):
        with sqlite3.connect(self.dir / "m.db") as db:
            (rows,) = db.execute("select count(*) from metrics").fetchone()
            (runs,) = db.execute("select count(*) from runs").fetchone()
        self.assertEqual(rows, self.summary()["total_requests"])
        self.assertEqual(runs, 1)

    def test_twelve_charts_are_png_images(self):
        self.summary()
        folders = [p for p in (self.dir / "charts").iterdir() if p.is_dir()]
        self.assertEqual(len(folders), 1)
        for name in CHARTS:
            width, height = png_size(folders[0] / name)
            self.assertGreaterEqual(width, 640, name)
            self.assertGreaterEqual(height, 400, name)

    def assert_same_results(self, replayed, what):
        original = self.summary()
        for key in COUNT_KEYS + PERCENTILE_KEYS:
            self.assertEqual(replayed[key], original[key], f"{what}: {key}")

    def replay(self, *source):
        out = self.dir / f"replay-{len(os.listdir(self.dir))}.json"
        run = harness.run_strest(["--replay", *source, "-o", out], timeout=60)
        self.assertEqual(run.returncode, 0, harness.describe(run))
        return run.summary

    def test_replay_of_the_run_log_reproduces_the_results(self):
        self.assert_same_results(self.replay("--tmp-path", self.dir / "tmp"), "run log")

    def test_replay_of_each_export_reproduces_the_results(self):
        for flag, name in [("--export-csv", "m.csv"), ("--export-json", "m.json"),
                           ("--export-jsonl", "m.jsonl")]:
            self.assert_same_results(self.replay(flag, self.dir / name), name)

    def test_replay_window_and_snapshots(self):
        snaps = self.dir / "snaps"
        run = harness.run_strest(
            ["--replay", "--tmp-path", self.dir / "tmp", "--replay-start", "0s",
             "--replay-end", "1s", "--replay-snapshot-interval", "500ms",
             "--replay-snapshot-out", snaps, "--replay-snapshot-format", "jsonl"], timeout=60)
        self.assertEqual(run.returncode, 0, harness.describe(run))
        self.assertLess(run.summary["total_requests"], self.summary()["total_requests"])
        lines = [json.loads(x) for x in (snaps / "snapshots.jsonl").read_text().splitlines()]
        self.assertEqual([x["snapshot_end_ms"] for x in lines], [500, 1000])
        self.assertLessEqual(lines[0]["total_requests"], lines[1]["total_requests"])


class KilledRunTest(unittest.TestCase):
    def test_sigterm_keeps_every_counted_request_in_the_log(self):
        with harness.Nginx() as nginx, tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "summary.json"
            with harness.strest_process(["-u", nginx.url, "-t", "20s", "-m", "4", "--keep-tmp",
                                         "--tmp-path", tmp, "--no-charts"],
                                        output_path=out) as proc:
                time.sleep(1.0)
                proc.send_signal(signal.SIGTERM)
                self.assertEqual(proc.wait(timeout=15), 143)
            summary = json.loads(out.read_text())
            logs = list(Path(tmp).glob("strest-run-*.srl"))
            self.assertEqual(len(logs), 1)
            size = logs[0].stat().st_size
            self.assertEqual((size - 32) % 40, 0, "no partial record after a clean stop")
            self.assertEqual(request_records(logs[0]), summary["total_requests"])
            self.assertEqual(summary["stop_reason"], "signal")

    def test_a_killed_run_leaves_a_log_replay_can_read(self):
        with harness.Nginx() as nginx, tempfile.TemporaryDirectory() as tmp:
            with harness.strest_process(["-u", nginx.url, "-t", "20s", "-m", "4", "--keep-tmp",
                                         "--tmp-path", tmp, "--no-charts"]) as proc:
                time.sleep(1.5)
                proc.send_signal(signal.SIGKILL)
                proc.wait(timeout=10)
            logs = list(Path(tmp).glob("strest-run-*.srl"))
            self.assertEqual(len(logs), 1)
            run = harness.run_strest(["--replay", "--tmp-path", tmp], timeout=60)
            self.assertEqual(run.returncode, 0, harness.describe(run))
            whole = request_records(logs[0])
            self.assertEqual(run.summary["total_requests"], whole)
            self.assertGreater(whole, 0)


if __name__ == "__main__":
    unittest.main()
