"""The live dashboard in a real terminal (tmux): what it shows during a run against nginx and
against the built-in target with errors and stalls, q and Ctrl+C ending the run with every result
kept, resizing, and the terminal given back sane after Ctrl+C, SIGTERM and a crash signal."""
import json
import re
import shlex
import unittest

from harness import Nginx, StrestTarget, strest_bin
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
