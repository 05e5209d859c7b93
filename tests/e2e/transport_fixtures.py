"""Fixtures for the transport tests (TLS, HTTP/2, HTTP/3, proxies, Unix sockets): certificates
made with the openssl CLI, an nginx with one server per transport, tinyproxy as a forward
proxy, ngtcp2's gtlsserver as an HTTP/3 server, and the assertions the tests share.
test_transports_fixtures.py proves each fixture with curl, h2load, openssl s_client and
gtlsclient, so a failing strest test can be told from a broken fixture.

Standard library only, like harness.py. Every process started here is stopped when its context
manager exits, all traffic stays on 127.0.0.1 (and a Unix socket in a temp folder), and every
wait is bounded.
"""
import contextlib
import grp
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest
from pathlib import Path

from harness import (LOOPBACK, NGINX_BIN, Nginx, _children, _nofile_limit, describe,
                     error_lines, free_port, http_get, nginx_config_head, parse_stub_status, read_log, run_strest,
                     settled_root_entries, stop_process, wait_for_port)

OPENSSL_BIN = shutil.which("openssl") or "/usr/bin/openssl"
TINYPROXY_BIN = shutil.which("tinyproxy") or "/usr/bin/tinyproxy"
GTLSSERVER_BIN = "/usr/sbin/gtlsserver"
CURL_BIN = shutil.which("curl") or "/usr/bin/curl"

# The body every nginx server of TransportNginx answers at '/' (status 200). Each also answers
# /big with BIG_SIZE bytes (more than the initial HTTP/2 and QUIC flow control windows) and
# /reset with nginx's 444: the connection (HTTP/1.1) or the stream (HTTP/2) is closed unanswered.
BODY = "transport ok\n"
BIG_SIZE = 1024 * 1024 + 17
# The file gtlsserver serves at '/' (its document root's index.html).
H3_BODY = "<html><body>strest http/3</body></html>\n"

# One access log per server, one request per line, fields separated by '|'. $ssl_protocol is
# "" on cleartext servers (logged as "-"), $ssl_session_reused is "r" for a resumed TLS session
# and "." otherwise, $http_via is set by tinyproxy on the requests it forwards, $ssl_server_name
# is the SNI the client sent and $host the Host header or :authority without the port.
TRANSPORT_LOG_FIELDS = ("server_protocol", "ssl_protocol", "ssl_session_reused", "connection",
                        "connection_requests", "status", "method", "uri", "http_via",
                        "ssl_client_verify", "ssl_server_name", "host", "x_e2e_tag",
                        "user_agent")
_TRANSPORT_LOG_FORMAT = "|".join("$" + f for f in TRANSPORT_LOG_FIELDS[:6]) + \
    "|$request_method|$uri|$http_via|$ssl_client_verify|$ssl_server_name|$host" \
    "|$http_x_e2e_tag|$http_user_agent"


def big_body():
    """The BIG_SIZE bytes served at /big: a repeating pattern, so no compression shrinks a
    transfer that must cross flow control windows."""
    return (bytes(range(256)) * (BIG_SIZE // 256 + 1))[:BIG_SIZE]


def require_binary(path, package):
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"{path} not found: install the Debian package {package} "
                           "(scripts/setup does)")


def _run_openssl(args, cwd):
    proc = subprocess.run([OPENSSL_BIN] + args, cwd=cwd, capture_output=True, timeout=30,
                          stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        raise RuntimeError(f"openssl {' '.join(args)} failed: "
                           f"{proc.stderr.decode(errors='replace')}")


class Certs:
    """Certificates made with the openssl CLI in `directory` (P-256 keys, valid 2 days):

    ca.pem/ca.key            the test CA
    server.pem/server.key    signed by the CA, SAN IP:127.0.0.1, IP:::1, DNS:localhost
    client.pem/client.key    signed by the CA, for mutual TLS (clientAuth)
    self.pem/self.key        self-signed, same SAN, trusted by nobody
    """

    def __init__(self, directory):
        require_binary(OPENSSL_BIN, "openssl")
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        d = str(self.dir)
        key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        san = "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost"
        _run_openssl(["req", "-x509"] + key + [
            "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=strest e2e CA",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign"], d)
        for name, cn, ext in (
                ("server", "localhost", f"{san}\nextendedKeyUsage=serverAuth\n"),
                ("client", "strest e2e client", "extendedKeyUsage=clientAuth\n")):
            (self.dir / f"{name}.ext").write_text(
                f"basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n{ext}")
            _run_openssl(["req"] + key + ["-keyout", f"{name}.key", "-out", f"{name}.csr",
                                          "-subj", f"/CN={cn}"], d)
            _run_openssl(["x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem",
                          "-CAkey", "ca.key", "-set_serial", str(int.from_bytes(
                              os.urandom(8), "big")), "-days", "2", "-out", f"{name}.pem",
                          "-extfile", f"{name}.ext"], d)
        _run_openssl(["req", "-x509"] + key + [
            "-keyout", "self.key", "-out", "self.pem", "-days", "2",
            "-subj", "/CN=localhost", "-addext", san], d)
        for name in ("ca", "server", "client", "self"):
            setattr(self, f"{name}_pem", str(self.dir / f"{name}.pem"))
            setattr(self, f"{name}_key", str(self.dir / f"{name}.key"))


@contextlib.contextmanager
def temp_certs():
    """Certs in a temp folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="strest-certs-") as tmp:
        yield Certs(tmp)


# The servers of TransportNginx: name -> (listen parameters, extra server directives). TLS
# servers use the CA-signed server certificate unless they name another one.
_TLS = "ssl_certificate {certs.server_pem};\n        ssl_certificate_key {certs.server_key};"
NGINX_SERVERS = {
    # cleartext HTTP/1.1 (proxy targets, stub_status)
    "plain": ("", ""),
    # TLS 1.2 and 1.3, ALPN h2 and http/1.1, session cache and tickets for resumption. nginx
    # 1.22's default ssl_protocols leave TLS 1.3 out, so every TLS server names its versions.
    "tls": ("ssl http2", _TLS + "\n        ssl_protocols TLSv1.2 TLSv1.3;"),
    # TLS without http2: ALPN can only pick http/1.1 (the fallback of --http2)
    "tls_h1": ("ssl", _TLS + "\n        ssl_protocols TLSv1.2 TLSv1.3;"),
    # HTTP/2 cleartext with prior knowledge (h2c): nginx answers no HTTP/1.1 here
    "h2c": ("http2", ""),
    # one TLS version only: a client that cannot speak it gets a protocol_version alert
    "tls13": ("ssl http2", _TLS + "\n        ssl_protocols TLSv1.3;"),
    "tls12": ("ssl http2", _TLS + "\n        ssl_protocols TLSv1.2;"),
    # mutual TLS: nginx completes the handshake without a (valid) client certificate and then
    # answers 400 ("No required SSL certificate was sent" / "The SSL certificate error")
    "mtls": ("ssl http2", _TLS + "\n        ssl_protocols TLSv1.2 TLSv1.3;"
             "\n        ssl_verify_client on;\n        ssl_client_certificate {certs.ca_pem};"),
    # the self-signed certificate, which the test CA does not vouch for
    "selfsigned": ("ssl http2", "ssl_certificate {certs.self_pem};\n"
                   "        ssl_certificate_key {certs.self_key};\n"
                   "        ssl_protocols TLSv1.2 TLSv1.3;"),
    # closes every connection after 20 requests: HTTP/1.1 "Connection: close" on the 20th
    # response, HTTP/2 GOAWAY once the 20th stream is opened (later streams are refused)
    "short": ("ssl http2", _TLS + "\n        ssl_protocols TLSv1.2 TLSv1.3;"
              "\n        keepalive_requests 20;"),
    "unix": (None, ""),  # listen unix:PREFIX/nginx.sock
}


def transport_nginx_config(prefix, ports, certs, access_log=True, cpu_affinity=None,
                           servers=None):
    """nginx.conf text: one worker, one server per entry of NGINX_SERVERS (all of them unless
    `servers` names some), each on 127.0.0.1:ports[name] with its own access log NAME.log."""
    blocks = []
    for name in servers or NGINX_SERVERS:
        params, extra = NGINX_SERVERS[name]
        if params is None:
            listen = f"unix:{prefix}/nginx.sock"
        else:
            listen = f"{LOOPBACK}:{ports[name]} {params}".strip()
        log = f"access_log {prefix}/{name}.log e2e;" if access_log else "access_log off;"
        status = "location /nginx_status { stub_status; }" if name == "plain" else ""
        blocks.append(f"""
    server {{
        listen {listen} backlog=4096;
        {extra.format(certs=certs)}
        {log}
        default_type text/plain;
        location = / {{
            return 200 "{BODY.strip()}\\n";
        }}
        location = /big {{
            default_type application/octet-stream;
            alias {prefix}/big.bin;
        }}
        location = /reset {{
            return 444;
        }}
        {status}
    }}""")
    return f"""{nginx_config_head(prefix, cpu_affinity, f"log_format e2e '{_TRANSPORT_LOG_FORMAT}';")}
    http2_max_concurrent_streams 128;
    server_tokens off;
    ssl_session_cache shared:e2e:1m;
    ssl_session_timeout 10m;
    ssl_session_tickets on;
    {''.join(blocks)}
}}
"""


class TransportNginx(Nginx):
    """An nginx master + one worker with one server per transport (see NGINX_SERVERS), its own
    temp prefix and certificates (a Certs made in the prefix unless `certs` is given)."""

    prefix_name = "strest-tnginx-"

    def __init__(self, certs=None, access_log=True, cpu_affinity=None, taskset_cpu=None,
                 servers=None):
        super().__init__(access_log, cpu_affinity, taskset_cpu)
        self.certs = certs
        self.servers = list(servers or NGINX_SERVERS)
        self.ports = {}
        self.marks = {}

    def _prepare(self):
        if self.certs is None:
            self.certs = Certs(Path(self.prefix) / "certs")
        (Path(self.prefix) / "big.bin").write_bytes(big_body())

    def _pick_ports(self):
        self.ports = {name: free_port() for name in self.servers if name != "unix"}
        with contextlib.suppress(FileNotFoundError):  # left by a failed attempt
            os.unlink(self.unix_socket)
        return len(set(self.ports.values())) == len(self.ports)

    def _config(self):
        return transport_nginx_config(self.prefix, self.ports, self.certs, self.access_log,
                                      self.cpu_affinity, self.servers)

    def _wait_ready(self):
        for port in self.ports.values():
            wait_for_port(port, timeout=10.0, proc=self.proc)
        if "unix" in self.servers:
            self._wait_for_unix_socket(10.0)

    def _wait_for_unix_socket(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited with code {self.proc.returncode}")
            with contextlib.suppress(OSError), \
                    socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(0.5)
                sock.connect(self.unix_socket)
                return
            time.sleep(0.02)
        raise RuntimeError(f"nothing listens on {self.unix_socket} after {timeout} s")

    @property
    def unix_socket(self):
        return f"{self.prefix}/nginx.sock"

    def url(self, name, path="/", host=LOOPBACK):
        """URL of server `name`: https:// for the TLS ones, http:// for plain and h2c."""
        scheme = "http" if NGINX_SERVERS[name][0] in ("", "http2") else "https"
        return f"{scheme}://{host}:{self.ports[name]}{path}"

    def entries(self, name):
        """Parsed access log lines of server `name` (dicts keyed by TRANSPORT_LOG_FIELDS),
        those logged since the last mark() only."""
        entries = read_log(Path(self.prefix) / f"{name}.log", TRANSPORT_LOG_FIELDS)
        return entries[self.marks.get(name, 0):]

    def mark(self):
        """From now on entries() and root_entries() leave out what every log has so far (one
        nginx can then serve the tests of a class one after the other)."""
        self.marks = {}
        self.marks = {name: len(self.entries(name)) for name in self.servers}

    def root_entries(self, name, settle=0.3, timeout=5.0):
        """Entries of server `name` for '/' since the last mark(), read once its log stopped
        growing for settle s."""
        return settled_root_entries(lambda: self.entries(name), settle, timeout)

    def stub_status(self):
        """stub_status counters of the whole nginx (every server): accepts, handled, requests."""
        return parse_stub_status(self.ports["plain"])


class Tinyproxy:
    """tinyproxy on 127.0.0.1 in the foreground (-d), allowing 127.0.0.1 only, with CONNECT
    allowed to `connect_ports`, and Basic credentials required when `auth` = (user, password).

    Its log (LogLevel Info) has a line per request it read; `requests()` parses them."""

    def __init__(self, connect_ports=(), auth=None):
        self.connect_ports = list(connect_ports)
        self.auth = auth
        self.dir = None
        self.port = None
        self.proc = None

    def __enter__(self):
        require_binary(TINYPROXY_BIN, "tinyproxy")
        self.dir = tempfile.mkdtemp(prefix="strest-tinyproxy-")
        os.chmod(self.dir, 0o777)  # tinyproxy may drop to nobody, who must write its log
        try:
            self._start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _config(self):
        lines = [f"Port {self.port}", f"Listen {LOOPBACK}", "Timeout 30", f"Allow {LOOPBACK}",
                 "MaxClients 200", "LogLevel Info", f"LogFile \"{self.dir}/tinyproxy.log\"",
                 f"PidFile \"{self.dir}/tinyproxy.pid\"", "DisableViaHeader No"]
        if os.geteuid() == 0:
            lines += ["User nobody", "Group nogroup"]
        lines += [f"ConnectPort {p}" for p in self.connect_ports]
        if self.auth:
            lines.append(f"BasicAuth {self.auth[0]} {self.auth[1]}")
        return "\n".join(lines) + "\n"

    def _start(self):
        for attempt in range(5):
            self.port = free_port()
            conf = Path(self.dir) / "tinyproxy.conf"
            conf.write_text(self._config())
            stderr_path = Path(self.dir) / "stderr.txt"
            with open(stderr_path, "wb") as stderr:  # a file: a full pipe would block it
                self.proc = subprocess.Popen([TINYPROXY_BIN, "-d", "-c", str(conf)],
                                             stdin=subprocess.DEVNULL, stdout=stderr,
                                             stderr=subprocess.STDOUT)
            try:
                wait_for_port(self.port, timeout=10.0, proc=self.proc)
                return
            except RuntimeError:
                stop_process(self.proc, signal.SIGKILL)
                err = stderr_path.read_text(errors="replace") + self.log()
                self.proc = None
                if "in use" not in err or attempt == 4:
                    raise RuntimeError(f"tinyproxy failed to start: {err}")

    def __exit__(self, *exc):
        try:
            if self.proc is not None:
                stop_process(self.proc, signal.SIGTERM, grace=5.0)
        finally:
            if self.dir and not os.environ.get("STREST_E2E_KEEP"):
                shutil.rmtree(self.dir, ignore_errors=True)
        return False

    def url(self, credentials=None):
        """http://[user:pass@]127.0.0.1:PORT, credentials = (user, password)."""
        auth = f"{credentials[0]}:{credentials[1]}@" if credentials else ""
        return f"http://{auth}{LOOPBACK}:{self.port}"

    def log(self):
        with contextlib.suppress(OSError):
            return (Path(self.dir) / "tinyproxy.log").read_text(errors="replace")
        return ""

    def requests(self, settle=0.3, timeout=5.0):
        """The request lines tinyproxy read, e.g. 'GET http://127.0.0.1:8080/ HTTP/1.1' or
        'CONNECT 127.0.0.1:8443 HTTP/1.1', read once its log stopped growing for settle s."""
        deadline = time.monotonic() + timeout
        last = self._request_lines()
        while time.monotonic() < deadline:
            time.sleep(settle)
            now = self._request_lines()
            if len(now) == len(last):
                break
            last = now
        return last

    def _request_lines(self):
        return re.findall(r"Request \(file descriptor \d+\): (.*)$", self.log(), re.M)


class Gtlsserver:
    """ngtcp2's example HTTP/3 server (gtlsserver, GnuTLS) on UDP 127.0.0.1, serving a temp
    document root whose index.html is H3_BODY: '/' answers 200 with it (content-type
    text/html), '/big' with BIG_SIZE bytes, any missing path 404. ALPN h3, TLS 1.3 (QUIC's).

    quiet (-q) prints nothing per request. Otherwise its debug output (packets and HTTP/3
    headers, bodies left out) goes to a file, and request_paths() / handshakes() count what it
    served: fine for a few hundred requests, too slow for a benchmark."""

    def __init__(self, cert, key, quiet=True, extra_args=()):
        self.cert = cert
        self.key = key
        self.quiet = quiet
        self.extra_args = list(extra_args)
        self.dir = None
        self.port = None
        self.proc = None
        self.log_file = None

    def __enter__(self):
        require_binary(GTLSSERVER_BIN, "ngtcp2-server")
        self.dir = tempfile.mkdtemp(prefix="strest-h3-")
        try:
            htdocs = Path(self.dir) / "htdocs"
            htdocs.mkdir()
            (htdocs / "index.html").write_text(H3_BODY)
            (htdocs / "big").write_bytes(big_body())
            output = ["-q"] if self.quiet else ["--no-quic-dump", "--no-http-dump"]
            self.log_file = open(Path(self.dir) / "gtlsserver.log", "wb")
            for attempt in range(5):  # a free UDP port may be taken between probe and bind
                self.port = free_udp_port()
                self.proc = subprocess.Popen(
                    [GTLSSERVER_BIN, "--timeout=10s", "-d", str(htdocs)] + output +
                    self.extra_args + [LOOPBACK, str(self.port), self.key, self.cert],
                    stdin=subprocess.DEVNULL, stdout=self.log_file, stderr=subprocess.STDOUT)
                try:
                    wait_for_udp_bound(self.port, timeout=10.0, proc=self.proc)
                    break
                except RuntimeError:
                    stop_process(self.proc, signal.SIGKILL)
                    self.proc = None
                    if attempt == 4:
                        raise RuntimeError(f"gtlsserver failed to start: {self.output()}")
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        try:
            if self.proc is not None:
                stop_process(self.proc, signal.SIGTERM, grace=5.0)
        finally:
            if self.log_file is not None:
                self.log_file.close()
            if self.dir and not os.environ.get("STREST_E2E_KEEP"):
                shutil.rmtree(self.dir, ignore_errors=True)
        return False

    def url(self, path="/"):
        return f"https://{LOOPBACK}:{self.port}{path}"

    def output(self):
        with contextlib.suppress(OSError):
            return (Path(self.dir) / "gtlsserver.log").read_text(errors="replace")
        return ""

    def _settled_output(self, settle=0.3, timeout=5.0):
        deadline = time.monotonic() + timeout
        last = self.output()
        while time.monotonic() < deadline:
            time.sleep(settle)
            now = self.output()
            if len(now) == len(last):
                break
            last = now
        return last

    def request_paths(self):
        """The :path of every request it read (quiet=False only)."""
        return re.findall(r"^http: stream \S+ \[:path: (.*)\]$", self._settled_output(), re.M)

    def user_agents(self):
        return re.findall(r"^http: stream \S+ \[user-agent: (.*)\]$", self._settled_output(),
                          re.M)

    def handshakes(self):
        """QUIC handshakes it completed (quiet=False only): one per connection."""
        return self._settled_output().count("QUIC handshake has completed")


def free_udp_port():
    """A loopback UDP port that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def udp_port_bound(port):
    """True when some socket is bound to UDP 127.0.0.1:port (or the wildcard), per /proc."""
    with contextlib.suppress(OSError), open("/proc/net/udp") as f:
        for line in f.read().splitlines()[1:]:
            local = line.split()[1]
            if int(local.split(":")[1], 16) == port:
                return True
    return False


def wait_for_udp_bound(port, timeout=10.0, proc=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before binding")
        if udp_port_bound(port):
            return
        time.sleep(0.02)
    raise RuntimeError(f"nothing bound UDP {LOOPBACK}:{port} after {timeout} s")


def curl(args, timeout=20.0):
    """(exit code, stdout, stderr) of curl with args: to prove a fixture by hand."""
    proc = subprocess.run([CURL_BIN, "-sS", "--max-time", str(int(timeout))] + list(args),
                          capture_output=True, timeout=timeout + 5, stdin=subprocess.DEVNULL)
    return (proc.returncode, proc.stdout.decode(errors="replace"),
            proc.stderr.decode(errors="replace"))


PHASES = ("connect", "tls_handshake", "request_write", "wait_first_byte", "response_read")
# The transport error kinds that came with TLS, HTTP/2, HTTP/3 and proxies: each one counted
# has a reason in the summary's error_details.
TRANSPORT_KINDS = ("tls_handshake", "stream_reset", "refused_stream", "protocol_error", "proxy",
                   "quic")
# A time cap on every bounded run, so one that never reaches its request count still ends.
SAFETY_DURATION = "6s"


PROXY_CREDENTIALS = ("strest", "s3cret")


class TransportTestCase(unittest.TestCase):
    """Assertions the transport tests share, on strest's JSON summary (see describe())."""

    nginx = None

    @classmethod
    def start_nginx(cls, servers=None):
        """One TransportNginx for the whole class (cls.nginx, its certificates cls.certs),
        stopped after its last test; setUp() then marks its logs before each test."""
        cls.nginx = TransportNginx(servers=servers)
        cls.nginx.__enter__()
        cls.addClassCleanup(cls.nginx.__exit__, None, None, None)
        cls.certs = cls.nginx.certs

    @classmethod
    def start_nginx_and_proxies(cls):
        """nginx with its plain, TLS and h2c servers, and two tinyproxies that may CONNECT to
        the latter two: cls.proxy (open) and cls.auth_proxy (PROXY_CREDENTIALS required)."""
        cls.start_nginx(servers=["plain", "tls", "h2c"])
        ports = [cls.nginx.ports["tls"], cls.nginx.ports["h2c"]]
        cls.proxy = Tinyproxy(connect_ports=ports)
        cls.proxy.__enter__()
        cls.addClassCleanup(cls.proxy.__exit__, None, None, None)
        cls.auth_proxy = Tinyproxy(connect_ports=ports, auth=PROXY_CREDENTIALS)
        cls.auth_proxy.__enter__()
        cls.addClassCleanup(cls.auth_proxy.__exit__, None, None, None)

    def setUp(self):
        if self.nginx is not None:
            self.nginx.mark()

    def run_ok(self, args, timeout=40, **kwargs):
        """strest with args (plus a SAFETY_DURATION cap unless args has -t): exit 0 and a
        JSON summary."""
        args = [str(a) for a in args]
        if "-t" not in args and "--duration" not in args:
            args += ["-t", SAFETY_DURATION]
        run = run_strest(args, timeout=timeout, **kwargs)
        self.assertEqual(run.returncode, 0, describe(run))
        self.assertIsNotNone(run.summary, "no JSON summary written" + describe(run))
        return run

    def assert_all_ok(self, run, total, protocol=None, status="200"):
        s = run.summary
        self.assertEqual(s["total_requests"], total, describe(run))
        self.assertEqual(s["successful_requests"], total, describe(run))
        self.assertEqual(s["error_requests"], 0, describe(run))
        self.assertEqual(s["status_codes"], {status: total}, describe(run))
        if protocol:
            self.assertEqual(s.get("protocol"), protocol, describe(run))

    def assert_all_transport_errors(self, run, kind, total=None):
        """Every request failed with transport error `kind`; returns error_details[kind]."""
        s = run.summary
        total = s["total_requests"] if total is None else total
        self.assertEqual(s["total_requests"], total, describe(run))
        self.assertGreater(total, 0, describe(run))
        self.assertEqual(s["successful_requests"], 0, describe(run))
        self.assertEqual(s["transport_errors"], total, describe(run))
        self.assertEqual(s["transport_error_kinds"].get(kind, 0), total, describe(run))
        details = s.get("error_details")
        self.assertIsInstance(details, dict, "no error_details" + describe(run))
        self.assertIn(kind, details, describe(run))
        self.assertIsInstance(details[kind], str)
        self.assertTrue(details[kind].strip(), "empty error detail" + describe(run))
        return details[kind]

    def assert_details_cover_kinds(self, run):
        """error_details has a non-empty reason for every kind of TRANSPORT_KINDS counted (the
        kinds older than the transports, such as closed_early, need none)."""
        s = run.summary
        details = s.get("error_details")
        self.assertIsInstance(details, dict, "no error_details" + describe(run))
        for kind, count in s["transport_error_kinds"].items():
            if count and kind in TRANSPORT_KINDS:
                self.assertTrue(str(details.get(kind, "")).strip(),
                                f"no error detail for {kind}" + describe(run))

    def assert_phases(self, run, tls):
        """phases has the five timings, each consistent, counted once per connection (connect,
        tls_handshake) or per answered request (the other three)."""
        s = run.summary
        phases = s.get("phases")
        self.assertIsInstance(phases, dict, "no phases" + describe(run))
        self.assertEqual(set(phases), set(PHASES), describe(run))
        for name in PHASES:
            p = phases[name]
            self.assertEqual(set(p), {"count", "avg_ms", "min_ms", "max_ms"}, (name, p))
            if p["count"]:
                self.assertGreaterEqual(p["min_ms"], 0, (name, p))
                self.assertLessEqual(p["min_ms"], p["avg_ms"] + 0.001, (name, p))
                self.assertLessEqual(p["avg_ms"], p["max_ms"] + 0.001, (name, p))
        self.assertGreater(phases["connect"]["count"], 0, describe(run))
        self.assertEqual(phases["connect"]["count"], s["connections_opened"], describe(run))
        if tls:
            self.assertGreater(phases["tls_handshake"]["count"], 0, describe(run))
            self.assertEqual(phases["tls_handshake"]["count"], s["tls_handshakes"],
                             describe(run))
            # Even a resumed handshake waits a round trip for the server's answer.
            self.assertGreater(phases["tls_handshake"]["min_ms"], 0, describe(run))
        else:
            self.assertEqual(phases["tls_handshake"]["count"], 0, describe(run))
        for name in ("request_write", "wait_first_byte", "response_read"):
            self.assertGreaterEqual(phases[name]["count"], s["successful_requests"],
                                    (name, describe(run)))
            self.assertLessEqual(phases[name]["count"], s["total_requests"],
                                 (name, describe(run)))

    def assert_usage_error(self, args, mentions=(), cwd=None):
        """Exit 2 with one line on stderr, 'strest: error: ...', naming each of `mentions`."""
        run = run_strest(args, timeout=30, json_output=False, cwd=cwd)
        self.assertEqual(run.returncode, 2, describe(run))
        lines = error_lines(run.stderr)
        self.assertEqual(len(lines), 1, f"expected one line on stderr: {lines}")
        self.assertTrue(lines[0].startswith("strest: error:"), lines[0])
        for word in mentions:
            self.assertIn(word, lines[0])
        return lines[0]


def connections_of(entries):
    """nginx connection serial numbers of access log entries: one per TCP connection."""
    return {e["connection"] for e in entries}
