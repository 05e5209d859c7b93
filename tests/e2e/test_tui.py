"""The live dashboard in a real terminal (tmux): what it shows during a run against nginx and
against the built-in target with errors and stalls, q and Ctrl+C ending the run with every result
kept, resizing, and the terminal given back sane after Ctrl+C, SIGTERM and a crash signal."""
import json
import re
import shlex
import shutil
import tempfile
import unittest

from harness import Nginx, StrestTarget, describe, run_strest, strest_bin
from tmux_terminal import HAVE_TMUX, TmuxTerminal


def requests_shown(screen):
    """The Requests counter of the dashboard, or None before it is drawn."""
    match = re.search(r"Requests\s+(\d+)", screen)
    return int(match.group(1)) if match else None


def printed_number(text, label):
    """A number of the printed summary's row `label` (thousands separators removed)."""
    match = re.search(rf"^\s+{re.escape(label)}\s+([\d,]+(?:\.\d+)?)", text, re.MULTILINE)
    if not match:
        raise AssertionError(f"no '{label}' row in the printed summary:\n{text[-3000:]}")
    return float(match.group(1).replace(",", ""))


@unittest.skipUnless(HAVE_TMUX, "tmux not installed (Debian package tmux)")
class LiveDashboardTest(unittest.TestCase):
    def start(self, term, url, *flags, duration="60s"):
        """Starts strest in the terminal; it writes summary.json and then exit.txt."""
        args = [strest_bin(), "-u", url, "-t", duration, "--no-charts", "--no-run-log",
                "-o", "summary.json", "--output-format", "json"] + list(flags)
        term.run_line(" ".join(shlex.quote(a) for a in args) + "; echo \"EXIT=$?\" > exit.txt")

    def exit_code(self, term):
        return int(term.wait_for_file("exit.txt").strip().split("=")[1])

    def summary(self, term):
        return json.loads((term.workdir / "summary.json").read_text())

    def test_dashboard_shows_the_run_and_q_ends_it_with_results_kept(self):
        with Nginx() as nginx, TmuxTerminal(120, 40) as term:
            self.start(term, nginx.url, "-m", "4")
            screen = term.wait_for(lambda s: (requests_shown(s) or 0) > 100 and "p99.9" in s,
                                   "requests being counted")
            for part in ("closed loop, c=4", "HTTP/1.1", "RPS", "Latency ms", "Requests/s",
                         "Status", "200", "q quit"):
                self.assertIn(part, screen)
            # Two screens later the counter has moved on: it is live, not a still.
            first = requests_shown(screen)
            term.wait_for(lambda s: (requests_shown(s) or 0) > first, "the counter growing")

            term.resize(80, 24)
            small = term.wait_for(lambda s: len(s.splitlines()) <= 24 and "q quit" in s and
                                  "Requests" in s,
                                  "the dashboard redrawn at 80x24")
            for part in ("Requests", "Errors", "Latency ms", "Status"):
                self.assertIn(part, small)
            self.assertNotIn("enlarge", small)
            term.resize(120, 40)
            term.wait_for(lambda s: "Requests/s" in s and len(s.splitlines()) > 24,
                          "the dashboard redrawn at 120x40")

            term.keys("q")
            self.assertEqual(self.exit_code(term), 0)
            summary = self.summary(term)
            self.assertEqual(summary["stop_reason"], "user")
            printed = term.history()
            self.assertIn("ended by the user (q)", printed)
            # The printed summary is the JSON summary of the same run.
            self.assertEqual(printed_number(printed, "Completed"), summary["total_requests"])
            self.assertEqual(printed_number(printed, "OK"), summary["successful_requests"])
            for label, key in (("p50", "p50_latency_ms"), ("p99", "p99_latency_ms"),
                               ("p99.9", "p999_latency_ms")):
                self.assertAlmostEqual(printed_number(printed, label), summary[key], places=3)
            self.assertGreater(summary["total_requests"], 0)
            self.assertEqual(summary["error_requests"], 0)

    def test_errors_and_stalls_are_counted_on_screen(self):
        with StrestTarget() as target, TmuxTerminal(120, 40) as term:
            self.start(term, target.url("/status/503"), "-m", "2", "--timeout", "300ms")
            term.wait_for(lambda s: "non-expected status" in s and "503" in s,
                          "non-expected 503s in the breakdown")
            target.stall(1500)  # longer than --timeout: the requests in flight time out
            screen = term.wait_for(lambda s: "request timeout" in s, "request timeouts")
            self.assertRegex(screen, r"timeout [1-9]")
            term.keys("q")
            self.assertEqual(self.exit_code(term), 0)
            summary = self.summary(term)
            self.assertGreater(summary["timeout_requests"], 0)
            self.assertGreater(summary["non_expected_status"], 0)

    def test_no_color_draws_without_colours(self):
        colour = re.compile(r"\x1b\[[0-9;]*3[0-7]m|\x1b\[[0-9;]*38;5;")
        with Nginx() as nginx, TmuxTerminal(100, 30) as term:
            self.start(term, nginx.url, "-m", "2", duration="30s")
            term.wait_for(lambda s: (requests_shown(s) or 0) > 0, "the dashboard")
            self.assertRegex(term.screen_with_styles(), colour)  # the test can tell colours
            term.keys("q")
            self.exit_code(term)
            term.run_line("export NO_COLOR=1")
            self.start(term, nginx.url, "-m", "2", duration="30s")
            term.wait_for(lambda s: (requests_shown(s) or 0) > 0 and "elapsed" in s,
                          "the dashboard without colour")
            self.assertNotRegex(term.screen_with_styles(), colour)
            term.keys("q")

    def test_an_error_after_the_dashboard_opened_leaves_the_terminal_sane(self):
        with Nginx() as nginx, TmuxTerminal(100, 30) as term:
            term.run_line("stty -a > before.txt; touch not-a-folder")
            # The run log folder is under a file: the run fails after the dashboard took the
            # terminal.
            args = [strest_bin(), "-u", nginx.url, "-t", "30s", "--no-charts", "--tmp-path",
                    "not-a-folder/logs"]
            term.run_line(" ".join(shlex.quote(a) for a in args) +
                          "; echo \"EXIT=$?\" > exit.txt")
            self.assertEqual(self.exit_code(term), 1)
            term.run_line("stty -a > after.txt; echo done > stty.txt")
            term.wait_for_file("stty.txt")
            self.assertEqual((term.workdir / "before.txt").read_text(),
                             (term.workdir / "after.txt").read_text())
            self.assertIn("strest: error:", term.history())

    def assert_terminal_restored_after(self, end_the_run, expected_exit):
        with Nginx() as nginx, TmuxTerminal(100, 30) as term:
            term.run_line("stty -a > before.txt")
            self.start(term, nginx.url, "-m", "2")
            term.wait_for(lambda s: (requests_shown(s) or 0) > 0, "the dashboard")
            end_the_run(term)
            self.assertEqual(self.exit_code(term), expected_exit)
            term.run_line("stty -a > after.txt; echo done > stty.txt")
            term.wait_for_file("stty.txt")
            self.assertEqual((term.workdir / "before.txt").read_text(),
                             (term.workdir / "after.txt").read_text())
            # Back on the normal screen with the shell prompt usable.
            term.run_line("echo still-here")
            term.wait_for(lambda s: "still-here" in s, "the shell answering")

    def test_ctrl_c_ends_the_run_and_the_terminal_is_sane(self):
        self.assert_terminal_restored_after(lambda term: term.keys("C-c"), 130)

    def test_sigterm_leaves_the_terminal_sane(self):
        def terminate(term):
            # A second shell command would wait for strest: signal it from outside.
            import subprocess
            subprocess.run(["pkill", "-TERM", "-f", f"{strest_bin()} -u http"], check=False)
        self.assert_terminal_restored_after(terminate, 143)

    def test_a_crash_signal_leaves_the_terminal_sane(self):
        def crash(term):
            import subprocess
            subprocess.run(["pkill", "-SEGV", "-f", f"{strest_bin()} -u http"], check=False)
        self.assert_terminal_restored_after(crash, 139)


if __name__ == "__main__":
    unittest.main()


def elapsed_shown(screen):
    """The dashboard's elapsed time in seconds, or None."""
    match = re.search(r"elapsed (\d+\.\d)s", screen)
    return float(match.group(1)) if match else None


def near(shown, expected):
    """The shown time is the expected one, up to the screen's rounding to a tenth."""
    return shown is not None and abs(shown - expected) < 0.11


def near_start(shown):
    """Shown a moment after a restart: well before the end of the 4 s recording."""
    return shown is not None and shown < 3.0


@unittest.skipUnless(HAVE_TMUX, "tmux not installed (Debian package tmux)")
class ReplayDashboardTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.logs = tempfile.mkdtemp(prefix="strest-replay-tui-")
        with StrestTarget() as target:
            run = run_strest(["-u", target.url("/"), "-t", "4s", "-m", "2", "--keep-tmp",
                              "--tmp-path", cls.logs], timeout=30)
        assert run.returncode == 0, describe(run)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.logs, ignore_errors=True)

    def replay(self, term, *flags):
        args = [strest_bin(), "--replay", "--tmp-path", self.logs, "--no-charts",
                "--replay-step", "1s", "--replay-snapshot-out", "snaps"] + list(flags)
        term.run_line(" ".join(shlex.quote(a) for a in args) + "; echo \"EXIT=$?\" > exit.txt")

    def paused_at(self, term):
        screen = term.wait_for(lambda s: "[replay, paused]" in s and elapsed_shown(s) is not None,
                               "the replay paused")
        return elapsed_shown(screen)

    def test_keys_pause_seek_restart_and_quit(self):
        with TmuxTerminal(100, 30) as term:
            self.replay(term)
            screen = term.wait_for(lambda s: "[replay]" in s, "the replay dashboard")
            for part in ("space play/pause", "seek 1.0s", "r restart", "s/e mark",
                         "w write snapshot", "replay of a closed-loop run"):
                self.assertIn(part, screen)
            term.keys("Space")
            position = self.paused_at(term)
            # Paused, the position holds; seeking moves it by exactly the step (the screen
            # rounds to a tenth of a second).
            self.assertEqual(self.paused_at(term), position)
            term.keys("Right")
            term.wait_for(lambda s: near(elapsed_shown(s), position + 1.0), "a seek one step on")
            term.keys("Left")
            term.wait_for(lambda s: near(elapsed_shown(s), position), "a seek one step back")
            term.keys("Right", "Right", "Right", "Right", "Right")
            term.wait_for(lambda s: "finished" in s and "100%" in s, "the end of the recording")
            term.keys("r")
            term.keys("Space")
            term.wait_for(lambda s: "[replay, paused]" in s and near_start(elapsed_shown(s)),
                          "the replay restarted from the beginning")
            term.keys("q")
            self.assertEqual(int(term.wait_for_file("exit.txt").strip().split("=")[1]), 0)
            self.assertIn("Requests", term.history())

    def test_marked_snapshot_equals_a_replay_of_the_same_window(self):
        with TmuxTerminal(100, 30) as term:
            self.replay(term)
            term.wait_for(lambda s: "[replay]" in s, "the replay dashboard")
            term.keys("Space")
            start = self.paused_at(term)
            term.keys("Right")
            term.wait_for(lambda s: near(elapsed_shown(s), start + 1.0), "the seek")
            term.keys("s")
            term.wait_for(lambda s: "snapshot start marked" in s, "the start mark")
            term.keys("Right", "Right")
            term.keys("e")
            term.wait_for(lambda s: "snapshot end marked" in s, "the end mark")
            term.keys("w")
            term.wait_for(lambda s: "written to snaps" in s, "the snapshot written")
            term.keys("q")
            term.wait_for_file("exit.txt")
            files = list((term.workdir / "snaps").glob("snapshot-*.json"))
            self.assertEqual(len(files), 1, files)
            snapshot = json.loads(files[0].read_text())
            window = run_strest(["--replay", "--tmp-path", self.logs,
                                 "--replay-start", f"{snapshot['snapshot_start_ms']}ms",
                                 "--replay-end", f"{snapshot['snapshot_end_ms']}ms"])
            self.assertEqual(window.returncode, 0, describe(window))
            self.assertGreater(snapshot["total_requests"], 0)
            for key in ("total_requests", "successful_requests", "error_requests",
                        "status_codes", "p50_latency_ms", "p99_latency_ms", "max_latency_ms"):
                self.assertEqual(snapshot.get(key), window.summary.get(key), key)
