"""A real terminal for the end-to-end tests of the dashboard: a tmux server of its own (its own
socket, no user config) running one shell, driven with send-keys and read with capture-pane.

Standard library only; the server is killed on exit, whatever happened.
"""
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

HAVE_TMUX = shutil.which("tmux") is not None


class TmuxTerminal:
    def __init__(self, width=120, height=40):
        self.width = width
        self.height = height
        self.socket = f"strest-e2e-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.workdir = None

    def __enter__(self):
        self.workdir = Path(tempfile.mkdtemp(prefix="strest-tmux-"))
        env = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8")
        env.pop("TMUX", None)
        env.pop("NO_COLOR", None)
        self._tmux("-f", "/dev/null", "new-session", "-d", "-s", "e2e", "-x", str(self.width),
                   "-y", str(self.height), "bash --norc --noprofile", env=env)
        # The pane keeps the size we set, whatever clients attach.
        self._tmux("set-option", "-g", "window-size", "manual")
        self._tmux("set-option", "-g", "history-limit", "5000")
        self.wait_for(lambda screen: "$" in screen or "#" in screen, "a shell prompt")
        self.run_line(f"cd {self.workdir}; export LANG=C.UTF-8 LC_ALL=C.UTF-8 PS1='$ '")
        return self

    def __exit__(self, *exc):
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)
        shutil.rmtree(self.workdir, ignore_errors=True)
        return False

    def _tmux(self, *args, env=None):
        proc = subprocess.run(["tmux", "-L", self.socket] + list(args), capture_output=True,
                              text=True, env=env, timeout=10)
        if proc.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)} failed: {proc.stderr.strip()}")
        return proc.stdout

    def run_line(self, line):
        """Types a command line and Enter."""
        self._tmux("send-keys", "-t", "e2e", "-l", line)
        self._tmux("send-keys", "-t", "e2e", "Enter")

    def keys(self, *keys):
        """Sends tmux key names: "q", "Space", "Left", "C-c"."""
        self._tmux("send-keys", "-t", "e2e", *keys)

    def screen(self):
        """What the terminal shows now, one line per row."""
        return self._tmux("capture-pane", "-p", "-t", "e2e")

    def screen_with_styles(self):
        """The screen with its escape sequences (colours, bold) as tmux keeps them."""
        return self._tmux("capture-pane", "-p", "-e", "-t", "e2e")

    def history(self):
        """The scrollback and the screen, as printed (the summary after the dashboard)."""
        return self._tmux("capture-pane", "-p", "-J", "-S", "-5000", "-t", "e2e")

    def resize(self, width, height):
        self._tmux("resize-window", "-t", "e2e", "-x", str(width), "-y", str(height))

    def wait_for(self, predicate, what, timeout=20.0):
        """Polls the screen until predicate(screen) holds; fails after timeout seconds."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if predicate(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"the terminal never showed {what} within {timeout} s:\n{screen}")

    def wait_for_file(self, name, timeout=30.0):
        """Waits for a file the shell writes in the work folder; returns its text."""
        path = self.workdir / name
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if path.exists() and path.read_text().endswith("\n"):
                return path.read_text()
            time.sleep(0.1)
        raise AssertionError(f"{name} was not written within {timeout} s; screen:\n"
                             f"{self.screen()}")
