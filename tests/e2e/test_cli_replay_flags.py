"""The replay, chart and SQLite flags on the real binary: every bad use of them is refused with
one line on stderr and exit code 2, before anything is read, written or sent."""
import os
import tempfile
import unittest
from pathlib import Path

from harness import describe, error_lines, run_strest

RECORDING_FIX = "keep a run's log with --keep-tmp, or replay an export with --export-jsonl PATH"


class ReplayFlagErrorsTest(unittest.TestCase):
    def setUp(self):
        tmp = tempfile.TemporaryDirectory(prefix="strest-replay-flags-")
        self.addCleanup(tmp.cleanup)
        self.cwd = Path(tmp.name)  # empty, so no strest.toml is discovered by accident
        self.home = self.cwd / "home"
        self.home.mkdir()
        self.env = dict(os.environ, HOME=str(self.home))

    def run_in_cwd(self, args):
        return run_strest(args, timeout=30, cwd=self.cwd, json_output=False, env=self.env)

    def assert_usage_error(self, args, message):
        """Exit 2, exactly one line on stderr: "strest: error: <message>", nothing on stdout."""
        run = self.run_in_cwd(args)
        self.assertEqual(run.returncode, 2, describe(run))
        lines = error_lines(run.stderr)
        self.assertEqual(lines, ["strest: error: " + message], describe(run))
        self.assertEqual(run.stdout, "", describe(run))

    def run_log_folder(self, name="logs"):
        """A folder holding one (empty) run log: the command line checks names only."""
        folder = self.cwd / name
        folder.mkdir()
        (folder / "strest-run-1700000000000-42-0.srl").write_bytes(b"")
        return name

    # Which recording to read

    def test_missing_export(self):
        for flag in ("--export-csv", "--export-json", "--export-jsonl"):
            with self.subTest(flag=flag):
                self.assert_usage_error(
                    ["--replay", flag, "gone.x"],
                    f"{flag}: 'gone.x' does not exist; with --replay, {flag} names the export "
                    "to read")

    def test_export_is_a_folder(self):
        (self.cwd / "m.json").mkdir()
        self.assert_usage_error(
            ["--replay", "--export-json", "m.json"],
            "--export-json: 'm.json' is a folder; with --replay, --export-json names the export "
            "file to read")

    def test_two_inputs(self):
        (self.cwd / "a.csv").write_text("")
        (self.cwd / "b.jsonl").write_text("")
        self.assert_usage_error(
            ["--replay", "--export-csv", "a.csv", "--export-jsonl", "b.jsonl"],
            "--export-csv and --export-jsonl both name a recording to replay: pass one")
        logs = self.run_log_folder()
        self.assert_usage_error(
            ["--replay", "--tmp-path", logs, "--export-csv", "a.csv"],
            "--export-csv and --tmp-path both name a recording to replay: pass one")

    def test_no_run_log(self):
        self.assert_usage_error(
            ["--replay"],
            f"--tmp-path (default ~/.strest/tmp): '{self.home}/.strest/tmp' does not exist, so "
            f"there is no run log to replay; {RECORDING_FIX}")
        self.assert_usage_error(
            ["--replay", "--tmp-path", "nowhere"],
            f"--tmp-path: 'nowhere' does not exist, so there is no run log to replay; "
            f"{RECORDING_FIX}")
        (self.cwd / "empty").mkdir()
        self.assert_usage_error(
            ["--replay", "--tmp-path", "empty"],
            f"--tmp-path: no run logs (strest-run-*.srl) in 'empty'; {RECORDING_FIX}")

    def test_output_would_overwrite_the_export(self):
        (self.cwd / "m.jsonl").write_text("")
        self.assert_usage_error(
            ["--replay", "--export-jsonl", "m.jsonl", "-o", "m.jsonl"],
            "--output would overwrite 'm.jsonl', the export --export-jsonl replays: give "
            "another file")

    # Windows and snapshots

    def test_windows(self):
        logs = self.run_log_folder()
        cases = [
            (["--replay-start", "2m", "--replay-end", "10s"],
             "--replay-start (2m) must be before --replay-end (10s)"),
            (["--replay-start", "max"],
             "--replay-start max leaves nothing to replay: use min or a time such as 10s"),
            (["--replay-end", "min"],
             "--replay-end min leaves nothing to replay: use max or a time such as 2m"),
            (["--replay-end", "soon"],
             "--replay-end: 'soon' is not min, max or a duration: use e.g. min, max, 10s or 2m"),
            (["--replay-snapshot-start", "1m", "--replay-snapshot-end", "1m"],
             "--replay-snapshot-start (1m) must be before --replay-snapshot-end (1m)"),
            (["--replay-snapshot-interval", "0"],
             "--replay-snapshot-interval must be greater than 0"),
            (["--replay-snapshot-interval", "5s", "--replay-snapshot-format", "text"],
             "--replay-snapshot-format must be json, jsonl or csv (got 'text')"),
            (["--replay-snapshot-format", "csv"],
             "--replay-snapshot-format needs a snapshot to write: add "
             "--replay-snapshot-interval, --replay-snapshot-start, --replay-snapshot-end or "
             "--replay-snapshot-out"),
        ]
        for flags, message in cases:
            with self.subTest(flags=flags):
                self.assert_usage_error(["--replay", "--tmp-path", logs] + flags, message)

    def test_replay_step_needs_replay(self):
        self.assert_usage_error(["-u", "http://127.0.0.1:1/", "--replay-step", "5s"],
                                "--replay-step needs --replay: it applies only when replaying a "
                                "recorded run")

    # Flags in the wrong mode

    def test_replay_flags_need_replay(self):
        for flag, value in (("--replay-start", "10s"), ("--replay-end", "max"),
                            ("--replay-snapshot-interval", "30s"),
                            ("--replay-snapshot-start", "min"), ("--replay-snapshot-end", "2m"),
                            ("--replay-snapshot-out", "snaps"),
                            ("--replay-snapshot-format", "jsonl")):
            with self.subTest(flag=flag):
                self.assert_usage_error(
                    ["-u", "http://127.0.0.1:9/", flag, value],
                    f"{flag} needs --replay: it applies only when replaying a recorded run")

    def test_run_flags_are_refused_in_replay(self):
        logs = self.run_log_folder()
        for flags, name in ((["-u", "http://127.0.0.1:9/"], "--url"), (["--rate", "10"], "--rate"),
                            (["--requests", "5"], "--requests"), (["-t", "5s"], "--duration"),
                            (["-m", "5"], "--max-tasks"), (["--http2"], "--http2"),
                            (["-H", "X-Env: ci"], "--headers"), (["--insecure"], "--insecure")):
            with self.subTest(flag=name):
                self.assert_usage_error(
                    ["--replay", "--tmp-path", logs] + flags,
                    f"{name} does not apply to --replay, which sends nothing: drop it")

    def test_demo_does_not_replay(self):
        self.assert_usage_error(
            ["demo", "--replay"],
            "--replay does not apply to 'strest demo': run strest --replay instead")

    def test_config_cannot_ask_for_a_replay(self):
        (self.cwd / "strest.toml").write_text('url = "http://127.0.0.1:9/"\nreplay = true\n')
        self.assert_usage_error(
            ["--requests", "1"],
            "strest.toml: key 'replay' cannot be set in a config file: replay is command-line "
            "only; pass --replay")

    # Charts and SQLite

    def test_db_url_must_be_sqlite(self):
        self.assert_usage_error(
            ["-u", "http://127.0.0.1:9/", "--db-url", "postgres://db/x"],
            "--db-url: 'postgres://db/x' is not a SQLite database; give a file path or "
            "sqlite://PATH")
        self.assert_usage_error(
            ["-u", "http://127.0.0.1:9/", "--db-url", "sqlite://"],
            "--db-url must name a SQLite file, e.g. ./strest.db or sqlite://strest.db")

    def test_charts_path_must_not_be_empty(self):
        self.assert_usage_error(["-u", "http://127.0.0.1:9/", "-c", ""],
                                "--charts-path must not be empty: give a path")

    def test_help_lists_the_flags(self):
        run = self.run_in_cwd(["--help"])
        self.assertEqual(run.returncode, 0, describe(run))
        for text in ("--replay ", "--replay-start min|max|DURATION",
                     "--replay-snapshot-format json|jsonl|csv", "--no-charts",
                     "-c,--charts-path DIR", "--db-url PATH"):
            self.assertIn(text, run.stdout)


if __name__ == "__main__":
    unittest.main()
