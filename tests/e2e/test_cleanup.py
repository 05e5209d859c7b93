"""`strest cleanup`: deletes only old run logs (strest-run-<n>-<n>-<n>.srl starting with the
run log magic) directly in the folder; lists them with --dry-run, deletes with --force, asks on a
terminal and refuses without one. Everything happens in a temporary folder, with $HOME pointed
at it so that the default ~/.strest/tmp is never the user's real one."""
import os
import pty
import select
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

from harness import describe, error_lines, run_strest, strest_bin

MAGIC = b"STRESTLG"
DAY = 24 * 3600
OLD_LOGS = ("strest-run-1700000000000-42-0.srl", "strest-run-1700000000000-42-1.srl")


class CleanupTest(unittest.TestCase):
    def setUp(self):
        tmp = tempfile.TemporaryDirectory(prefix="strest-cleanup-")
        self.addCleanup(tmp.cleanup)
        self.root = Path(tmp.name)
        self.logs = self.root / "logs"
        self.logs.mkdir()
        self.env = dict(os.environ, HOME=str(self.root))

    def make(self, path, age_s, data=MAGIC + bytes(56)):
        path.write_bytes(data)
        self.age(path, age_s)

    @staticmethod
    def age(path, age_s):
        when = time.time() - age_s
        os.utime(path, (when, when), follow_symlinks=False)

    def make_mixed_folder(self):
        """Two old run logs, and every kind of thing a cleanup must leave alone."""
        self.make(self.logs / OLD_LOGS[0], 2 * DAY, MAGIC + bytes(2 * 1024 * 1024))
        self.make(self.logs / OLD_LOGS[1], DAY + 3600)
        self.make(self.logs / "strest-run-1700090000000-43-0.srl", 3600)  # too new
        self.make(self.logs / "strest-run-1-2-3.srl", 2 * DAY, b"NOTALOG!" + bytes(56))
        self.make(self.logs / "strest-run-1-2-4.srl", 2 * DAY, b"STRE")
        self.make(self.logs / "notes.txt", 2 * DAY)
        self.make(self.logs / "strest-run-1-2-3.srl.bak", 2 * DAY)
        self.make(self.root / "outside.srl", 2 * DAY)
        (self.logs / "strest-run-9-9-9.srl").symlink_to(self.root / "outside.srl")
        self.age(self.logs / "strest-run-9-9-9.srl", 2 * DAY)
        sub = self.logs / "strest-run-8-8-8.srl"
        sub.mkdir()
        self.make(sub / "strest-run-7-7-7.srl", 2 * DAY)
        self.age(sub, 2 * DAY)

    def everything(self):
        return sorted(str(p.relative_to(self.root)) for p in self.root.rglob("*"))

    def cleanup(self, *args):
        return run_strest(["cleanup", *args], timeout=30, json_output=False, no_tui=False,
                          cwd=self.root, env=self.env)

    def assert_usage_error(self, run, mentions):
        self.assertEqual(run.returncode, 2, describe(run))
        lines = error_lines(run.stderr)
        self.assertEqual(len(lines), 1, lines)
        self.assertTrue(lines[0].startswith("strest: error: "), lines[0])
        self.assertIn(mentions, lines[0])

    def test_dry_run_lists_and_deletes_nothing(self):
        self.make_mixed_folder()
        before = self.everything()
        run = self.cleanup("--tmp-path", self.logs, "--older-than", "24h", "--dry-run")
        self.assertEqual(run.returncode, 0, describe(run))
        self.assertEqual(self.everything(), before)
        lines = run.stdout.splitlines()
        self.assertEqual(lines, [
            f"would delete {self.logs / OLD_LOGS[0]} (2.0 MiB)",
            f"would delete {self.logs / OLD_LOGS[1]} (64 B)",
            f"would delete 2 run logs (2.0 MiB) older than 24h in {self.logs}; nothing deleted",
        ])

    def test_force_deletes_exactly_the_old_run_logs(self):
        self.make_mixed_folder()
        expected = [p for p in self.everything() if Path(p).name not in OLD_LOGS]
        run = self.cleanup("--tmp-path", self.logs, "--older-than", "24h", "--force")
        self.assertEqual(run.returncode, 0, describe(run))
        self.assertEqual(self.everything(), expected)
        self.assertTrue((self.logs / "strest-run-9-9-9.srl").is_symlink())
        self.assertIn(f"deleted 2 run logs (2.0 MiB) older than 24h in {self.logs}",
                      run.stdout.splitlines()[-1])

    def test_refuses_without_a_terminal_or_a_flag(self):
        self.make_mixed_folder()
        before = self.everything()
        run = self.cleanup("--tmp-path", self.logs, "--older-than", "24h")
        self.assert_usage_error(run, "pass --dry-run to list the old run logs or --force")
        self.assertEqual(self.everything(), before)

    def test_default_folder_is_under_home(self):
        default = self.root / ".strest" / "tmp"
        default.mkdir(parents=True)
        self.make(default / OLD_LOGS[0], 2 * DAY)
        run = self.cleanup("--older-than", "24h", "--force")
        self.assertEqual(run.returncode, 0, describe(run))
        self.assertFalse((default / OLD_LOGS[0]).exists())
        self.assertIn(str(default), run.stdout)

    def test_usage_errors(self):
        cases = [
            (["--older-than", "1h", "--tmp-path", self.root / "missing", "--force"],
             "there is no folder"),
            (["--older-than", "1h", "--dry-run", "--force"], "exclude each other"),
            (["--tmp-path", self.logs], "needs --older-than"),
            (["--older-than", "soon", "--dry-run"], "--older-than: invalid duration"),
            (["--older-than", "1h", "--url", "http://127.0.0.1/"], "--url"),
        ]
        for args, mentions in cases:
            with self.subTest(args=args):
                self.assert_usage_error(self.cleanup(*args), mentions)

    def run_on_terminal(self, answer):
        """Runs a plain cleanup with a pseudo-terminal as stdin, typing `answer`."""
        leader, follower = pty.openpty()
        try:
            proc = subprocess.Popen(
                [strest_bin(), "cleanup", "--tmp-path", str(self.logs), "--older-than", "24h"],
                stdin=follower, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=self.env)
            os.close(follower)
            follower = None
            os.write(leader, answer.encode())
            out, err = proc.communicate(timeout=30)
            # Drain the terminal's echo so that nothing is left blocked on it.
            while select.select([leader], [], [], 0)[0]:
                try:
                    if not os.read(leader, 4096):
                        break
                except OSError:
                    break
            return proc.returncode, out.decode(), err.decode()
        finally:
            if follower is not None:
                os.close(follower)
            os.close(leader)

    def test_asks_on_a_terminal_and_deletes_on_yes(self):
        self.make_mixed_folder()
        code, out, err = self.run_on_terminal("y\n")
        self.assertEqual(code, 0, err)
        self.assertIn(f"Delete 2 run logs (2.0 MiB) older than 24h in {self.logs}? [y/N]", out)
        for name in OLD_LOGS:
            self.assertFalse((self.logs / name).exists(), name)
        self.assertTrue((self.logs / "strest-run-1700090000000-43-0.srl").exists())

    def test_asks_on_a_terminal_and_keeps_on_no(self):
        self.make_mixed_folder()
        before = self.everything()
        code, out, err = self.run_on_terminal("n\n")
        self.assertEqual(code, 0, err)
        self.assertIn("[y/N]", out)
        self.assertIn("nothing deleted", out)
        self.assertEqual(self.everything(), before)

    def test_a_kept_run_log_is_cleaned_up_later(self):
        """A real run log (--keep-tmp) qualifies once it is old, and only then."""
        run = run_strest(["demo", "--requests", 20, "-m", 2, "--keep-tmp", "--tmp-path",
                          self.logs], timeout=60, json_output=False, cwd=self.root, env=self.env)
        self.assertEqual(run.returncode, 0, describe(run))
        kept = sorted(self.logs.glob("strest-run-*.srl"))
        self.assertTrue(kept, f"no run log was kept in {self.logs}: {describe(run)}")
        fresh = self.cleanup("--tmp-path", self.logs, "--older-than", "1h", "--force")
        self.assertEqual(fresh.returncode, 0, describe(fresh))
        self.assertTrue(all(p.exists() for p in kept))
        for path in kept:
            self.age(path, 2 * 3600)
        old = self.cleanup("--tmp-path", self.logs, "--older-than", "1h", "--force")
        self.assertEqual(old.returncode, 0, describe(old))
        self.assertFalse(any(p.exists() for p in kept), describe(old))


if __name__ == "__main__":
    unittest.main()
