"""Shared helpers for the end-to-end tests: the strest binary, loopback ports, an nginx
started just for a test, the built-in `strest target`, and running strest with a bounded time.

Standard library only. Every process started here is stopped in a finally block, and all
traffic goes to 127.0.0.1.
"""
import contextlib
import grp
import http.client
import json
import os
import pwd
import resource
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest
from collections import namedtuple
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
NGINX_BIN = "/usr/sbin/nginx"
LOOPBACK = "127.0.0.1"
# The nginx access log: one request per line, fields separated by '|'.
# A header the request did not carry is logged as "-".
NGINX_LOG_FIELDS = ("method", "uri", "status", "request_length", "content_length",
                    "user_agent", "x_e2e_tag", "connection_requests", "x_request_id")
_NGINX_LOG_FORMAT = ("$request_method|$uri|$status|$request_length|$http_content_length|"
                     "$http_user_agent|$http_x_e2e_tag|$connection_requests|$http_x_request_id")


def strest_bin():
    """Path of the strest binary: $STREST_BIN, else build/strest of this checkout."""
    path = Path(os.environ.get("STREST_BIN") or REPO_ROOT / "build" / "strest")
    if not path.is_file() or not os.access(path, os.X_OK):
        raise RuntimeError(f"strest binary not found at {path}: build it "
                           "(cmake --build build) or set STREST_BIN")
    return str(path)


def free_port():
    """A loopback TCP port that was free a moment ago (the kernel picked it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def refused_port():
    """A loopback port nobody listens on: bound once to reserve a number, closed, never listened."""
    return free_port()


@contextlib.contextmanager
def unanswered_port():
    """A loopback port whose connects hang: a listener with a full accept queue that never
    accepts, so the kernel drops new SYNs (a connect timeout without leaving 127.0.0.1)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    filler = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.bind((LOOPBACK, 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        filler.connect((LOOPBACK, port))  # takes the one slot of the accept queue
        yield port
    finally:
        filler.close()
        listener.close()


def wait_for_port(port, timeout=10.0, proc=None):
    """Waits until something accepts on 127.0.0.1:port; fails early if proc has exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before listening")
        try:
            with socket.create_connection((LOOPBACK, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"nothing listens on {LOOPBACK}:{port} after {timeout} s")


def http_get(port, path, timeout=5.0):
    """(status, body bytes) of one GET to 127.0.0.1:port."""
    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=timeout)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def _children(pid):
    """Direct children of pid (Linux /proc), to stop nginx workers if the master is killed."""
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found += [int(p) for p in f.read().split()]
    except OSError:
        pass
    return found


def stop_process(proc, sig=signal.SIGTERM, grace=5.0, kill_children=False):
    """Sends sig, waits up to grace seconds, then SIGKILLs (and the children, if asked)."""
    if proc.poll() is not None:
        return proc.returncode
    children = _children(proc.pid) if kill_children else []
    try:
        proc.send_signal(sig)
        return proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        for pid in children + _children(proc.pid):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        proc.kill()
        return proc.wait(timeout=grace)


def _nofile_limit(wanted):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    return wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)


def nginx_config_head(prefix, cpu_affinity, log):
    """nginx.conf up to the servers: one worker, every path inside prefix, the http block opened
    with `log` (access log lines) and generous keep-alive. The caller closes the http block."""
    user = ""
    if os.geteuid() == 0:  # workers run as the current user, not nobody
        user = (f"user {pwd.getpwuid(os.geteuid()).pw_name} "
                f"{grp.getgrgid(os.getegid()).gr_name};")
    affinity = f"worker_cpu_affinity {cpu_affinity};" if cpu_affinity else ""
    return f"""
{user}
daemon off;
master_process on;
worker_processes 1;
{affinity}
worker_rlimit_nofile {_nofile_limit(65536)};
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{
    worker_connections 16384;
    multi_accept on;
}}
http {{
    {log}
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    keepalive_requests 1000000;
    keepalive_timeout 65;"""


def nginx_config(prefix, port, access_log=True, cpu_affinity=None):
    """nginx.conf text for one worker on 127.0.0.1:port with every path inside prefix."""
    log = (f"log_format e2e '{_NGINX_LOG_FORMAT}';\n    access_log {prefix}/access.log e2e;"
           if access_log else "access_log off;")
    return f"""{nginx_config_head(prefix, cpu_affinity, log)}
    server_tokens off;
    server {{
        listen {LOOPBACK}:{port} reuseport backlog=4096;
        default_type text/plain;
        location = / {{
            return 200 "Hello, world!";
        }}
        location /nginx_status {{
            stub_status;
        }}
    }}
}}
"""


def read_log(path, fields):
    """Lines of a '|'-separated nginx access log as dicts keyed by `fields`."""
    path = Path(path)
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(errors="replace").splitlines():
        parts = line.split("|")
        if len(parts) == len(fields):
            entries.append(dict(zip(fields, parts)))
    return entries


def settled_root_entries(read, settle=0.3, timeout=5.0):
    """Entries for path '/' from read(), taken once the log stopped growing for settle s."""
    deadline = time.monotonic() + timeout
    last = read()
    while time.monotonic() < deadline:
        time.sleep(settle)
        now = read()
        if len(now) == len(last):
            break
        last = now
    return [e for e in last if e["uri"] == "/"]


def parse_stub_status(port):
    """nginx's stub_status counters at 127.0.0.1:port: active, accepts, handled, requests."""
    status, body = http_get(port, "/nginx_status")
    if status != 200:
        raise RuntimeError(f"/nginx_status answered {status}")
    lines = body.decode().splitlines()
    accepts, handled, requests = (int(x) for x in lines[2].split())
    active = int(lines[0].split(":")[1])
    return {"active": active, "accepts": accepts, "handled": handled, "requests": requests}


class Nginx:
    """An nginx master + one worker on 127.0.0.1, with its own temp prefix, for one test.
    Subclasses serve other configurations by overriding _prepare, _pick_ports, _config and
    _wait_ready."""

    prefix_name = "strest-nginx-"

    def __init__(self, access_log=True, cpu_affinity=None, taskset_cpu=None):
        self.access_log = access_log
        self.cpu_affinity = cpu_affinity
        self.taskset_cpu = taskset_cpu
        self.prefix = None
        self.port = None
        self.proc = None

    def __enter__(self):
        if not os.access(NGINX_BIN, os.X_OK):
            raise RuntimeError(f"{NGINX_BIN} not found: install the Debian package nginx "
                               "(scripts/setup does)")
        self.prefix = tempfile.mkdtemp(prefix=self.prefix_name)
        os.chmod(self.prefix, 0o755)
        try:
            self._prepare()
            self._start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _prepare(self):
        """Files the configuration needs, made once in the prefix."""

    def _pick_ports(self):
        """Chooses the ports to listen on; False when the picks collide (then it is retried)."""
        self.port = free_port()
        return True

    def _config(self):
        return nginx_config(self.prefix, self.port, self.access_log, self.cpu_affinity)

    def _wait_ready(self):
        wait_for_port(self.port, timeout=10.0, proc=self.proc)

    def _start(self):
        for attempt in range(5):  # a free port may be taken between probe and bind
            if not self._pick_ports():
                continue
            conf = Path(self.prefix) / "nginx.conf"
            conf.write_text(self._config())
            cmd = [NGINX_BIN, "-p", self.prefix, "-c", str(conf), "-e", f"{self.prefix}/error.log"]
            if self.taskset_cpu is not None:
                cmd = ["taskset", "-c", str(self.taskset_cpu)] + cmd
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            try:
                self._wait_ready()
                return
            except RuntimeError:
                stop_process(self.proc, signal.SIGKILL, kill_children=True)
                err = self.proc.stderr.read().decode(errors="replace")
                self.proc.stderr.close()
                self.proc = None
                if "Address already in use" not in err + self.error_log() or attempt == 4:
                    raise RuntimeError(f"nginx failed to start: {err}\n{self.error_log()}")
        raise RuntimeError("nginx: no distinct free ports")

    def __exit__(self, *exc):
        try:
            if self.proc is not None:
                stop_process(self.proc, signal.SIGQUIT, grace=5.0, kill_children=True)
                self.proc.stderr.close()
        finally:
            if self.prefix and not os.environ.get("STREST_E2E_KEEP"):
                shutil.rmtree(self.prefix, ignore_errors=True)
        return False

    @property
    def url(self):
        return f"http://{LOOPBACK}:{self.port}/"

    def error_log(self):
        with contextlib.suppress(OSError):
            return (Path(self.prefix) / "error.log").read_text(errors="replace")
        return ""

    def worker_pids(self):
        return _children(self.proc.pid)

    def access_entries(self):
        """Parsed access log lines (dicts keyed by NGINX_LOG_FIELDS)."""
        return read_log(Path(self.prefix) / "access.log", NGINX_LOG_FIELDS)

    def root_entries(self, settle=0.3, timeout=5.0):
        """Access log entries for path '/', read once the log stopped growing for settle s."""
        return settled_root_entries(self.access_entries, settle, timeout)

    def stub_status(self):
        """nginx's stub_status counters: active, accepts, handled, requests."""
        return parse_stub_status(self.port)


class StrestTarget:
    """`strest target --listen 127.0.0.1:0`: the built-in misbehaving test server."""

    def __init__(self, extra_args=()):
        self.extra_args = list(extra_args)
        self.proc = None
        self.port = None

    def __enter__(self):
        self.proc = subprocess.Popen(
            [strest_bin(), "target", "--listen", f"{LOOPBACK}:0"] + self.extra_args,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            line = _read_line(self.proc.stdout, timeout=10.0)
            prefix = f"listening on {LOOPBACK}:"
            if not line.startswith(prefix):
                raise RuntimeError(f"strest target printed {line!r}, expected '{prefix}PORT'")
            self.port = int(line[len(prefix):].strip())
            wait_for_port(self.port, timeout=5.0, proc=self.proc)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        if self.proc is not None:
            stop_process(self.proc, signal.SIGTERM, grace=5.0)
            self.proc.stdout.close()
            self.proc.stderr.close()
        return False

    def url(self, path="/"):
        return f"http://{LOOPBACK}:{self.port}{path}"

    def stats(self):
        """Requests the target answered, /__stats excluded."""
        status, body = http_get(self.port, "/__stats")
        if status != 200:
            raise RuntimeError(f"/__stats answered {status}")
        return json.loads(body)["requests"]

    def stall(self, ms):
        """GET /stall/{ms} on a connection of its own: the whole target stops answering for ms
        milliseconds from now (connections are kept; what arrives meanwhile is answered after).
        Returns at once, with the stall in force."""
        status, body = http_get(self.port, f"/stall/{ms}")
        if status != 200 or body != f"stalled {ms}ms".encode():
            raise RuntimeError(f"/stall/{ms} answered {status} {body!r}")


def _read_line(stream, timeout):
    """One line from a pipe, or an error after timeout seconds (never blocks forever)."""
    deadline = time.monotonic() + timeout
    data = b""
    fd = stream.fileno()
    while not data.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise RuntimeError(f"no line within {timeout} s (got {data!r})")
        chunk = os.read(fd, 1)
        if not chunk:
            raise RuntimeError(f"stream closed before a full line (got {data!r})")
        data += chunk
    return data.decode(errors="replace")


Run = namedtuple("Run", "returncode stdout stderr summary")


def _with_output(args, workdir):
    """args plus -o FILE --output-format json, unless the caller already chose an output."""
    if "-o" in args or "--output" in args:
        i = args.index("-o") if "-o" in args else args.index("--output")
        return args, Path(workdir, args[i + 1]) if workdir else Path(args[i + 1])
    out = Path(tempfile.mkdtemp(prefix="strest-out-")) / "summary.json"
    return args + ["-o", str(out), "--output-format", "json"], out


def run_strest(args, timeout=30.0, json_output=True, no_tui=True, cwd=None, env=None,
               prefix=(), binary=None):
    """Runs strest with args; returns Run(returncode, stdout, stderr, summary dict or None).

    json_output adds -o FILE --output-format json (unless args has -o) and parses the file.
    The process is killed if it runs past timeout seconds, and the test then fails.
    prefix is a command that runs strest (e.g. prlimit with its options); binary replaces
    strest_bin().
    """
    args = [str(a) for a in args]
    if no_tui and "--no-tui" not in args:
        args.append("--no-tui")
    # Charts are on by default (as in the reference); load runs in tests that want them name
    # a folder. Subcommands such as cleanup take no run flags (they pass no_tui=False).
    if no_tui and not {"--no-charts", "-c", "--charts-path"} & set(args):
        args.append("--no-charts")
    out_path = None
    if json_output:
        args, out_path = _with_output(args, cwd)
    try:
        proc = subprocess.run(list(prefix) + [binary or strest_bin()] + args, capture_output=True,
                              timeout=timeout,
                              cwd=cwd, env=env, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as e:
        raise AssertionError(f"strest {' '.join(args)} ran past {timeout} s and was killed; "
                             f"stderr: {(e.stderr or b'').decode(errors='replace')[-2000:]}")
    return Run(proc.returncode, proc.stdout.decode(errors="replace"),
               proc.stderr.decode(errors="replace"), _load_summary(out_path))


def _load_summary(path):
    if path is None:
        return None
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None
    finally:
        if path.parent.name.startswith("strest-out-"):
            shutil.rmtree(path.parent, ignore_errors=True)


@contextlib.contextmanager
def strest_process(args, output_path=None):
    """Starts strest in the background (for signal tests); killed on exit if still running.

    Its stdout and stderr go to temporary files (a pipe nobody reads could block it); read
    them with process_output(proc) once it has exited.
    """
    args = [str(a) for a in args]
    if "--no-tui" not in args:
        args.append("--no-tui")
    if output_path is not None:
        args += ["-o", str(output_path), "--output-format", "json"]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([strest_bin()] + args, stdin=subprocess.DEVNULL,
                                stdout=out, stderr=err)
        proc.output_files = (out, err)
        try:
            yield proc
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=10)


def process_output(proc):
    """(stdout, stderr) text of a process started by strest_process."""
    texts = []
    for f in proc.output_files:
        f.seek(0)
        texts.append(f.read().decode(errors="replace"))
    return tuple(texts)


def describe(run):
    """Text for assertion messages: exit code, summary and the tail of the output."""
    summary = json.dumps(run.summary, indent=1, sort_keys=True) if run.summary else None
    return (f"\nexit={run.returncode}\nsummary={summary}\n"
            f"stdout={run.stdout[-1500:]}\nstderr={run.stderr[-1500:]}")


def whole_seconds(summary):
    """{second: entry} of the summary's per-second series for the seconds the run lasted
    whole (a run without warmup): the partial last second and anything later left out."""
    whole = summary["duration_ms"] // 1000
    return {e["second"]: e for e in summary.get("series", []) if e["second"] < whole}


def error_lines(stderr):
    """Non-empty lines of stderr."""
    return [line for line in stderr.splitlines() if line.strip()]


class TargetTestCase(unittest.TestCase):
    """A test with the built-in target running (self.target) and a temporary folder (self.tmp),
    both gone after it."""

    def setUp(self):
        self.target = StrestTarget()
        self.target.__enter__()
        self.addCleanup(self.target.__exit__, None, None, None)
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.tmp = Path(tmp.name)
