"""A scenario over every transport: the same three-step flow (a body assert on '/', the 1 MiB
'/big', and '/' again with a templated header) against nginx over HTTP/1.1, TLS, HTTP/2 with
TLS, h2c, a Unix socket and an HTTP forward proxy (absolute form and CONNECT tunnel), and a
two-step flow over HTTP/3 against gtlsserver. nginx's access log proves what each step sent:
its count equals the summary's total and the per-step rows, and the templated header arrives
filled in."""
import json
import tempfile
import unittest
from collections import Counter
from pathlib import Path

from harness import describe
from transport_fixtures import (BODY, H3_BODY, Gtlsserver, TransportTestCase, Tinyproxy,
                                temp_certs)

# 20 iterations of three steps on one connection (-m 1, so that every step's count is exact):
# --requests counts requests, not iterations.
REQUESTS = 60


def three_steps(base_url):
    return {"scenario": {
        "base_url": base_url,
        "vars": {"tag": "scn"},
        "steps": [
            {"name": "root", "path": "/", "assert_status": 200,
             "assert_body_contains": BODY.strip()},
            {"name": "big", "path": "/big", "assert_status": 200},
            {"name": "tagged", "path": "/", "headers": ["X-E2E-Tag: {{tag}}-{{seq}}"]},
        ]}}


class ScenarioTransportsTest(TransportTestCase):
    @classmethod
    def setUpClass(cls):
        cls.start_nginx(servers=["plain", "tls", "h2c", "unix"])
        cls.proxy = Tinyproxy(connect_ports=[cls.nginx.ports["tls"]])
        cls.proxy.__enter__()
        cls.addClassCleanup(cls.proxy.__exit__, None, None, None)

    def setUp(self):
        super().setUp()
        self.tmp = Path(tempfile.mkdtemp(prefix="strest-scn-"))

    def config(self, scenario):
        path = self.tmp / "scenario.json"
        path.write_text(json.dumps(scenario))
        return path

    def run_flow(self, server, base_url, *flags, protocol="HTTP/1.1"):
        run = self.run_ok(["--config", self.config(three_steps(base_url)), "--requests", REQUESTS,
                           "-m", 1, *flags])
        s = run.summary
        self.assertEqual(s["total_requests"], REQUESTS, describe(run))
        self.assertEqual(s["successful_requests"], REQUESTS, describe(run))
        self.assertEqual(s.get("protocol"), protocol, describe(run))
        steps = {row["name"]: row for row in s["steps"]}
        self.assertEqual(list(steps), ["root", "big", "tagged"], describe(run))
        self.assertEqual(sum(row["requests"] for row in steps.values()), REQUESTS, describe(run))
        for row in steps.values():
            self.assertEqual(row["requests"], REQUESTS // 3, describe(run))
            self.assertEqual(row["assert_failed"], 0, describe(run))
        entries = self.nginx.entries(server)
        self.assertEqual(len(entries), REQUESTS, describe(run))
        self.assertEqual(Counter(e["uri"] for e in entries), {"/": 40, "/big": 20})
        tags = sorted(e["x_e2e_tag"] for e in entries if e["x_e2e_tag"] != "-")
        self.assertEqual(tags, sorted(f"scn-{i}" for i in range(20)), describe(run))
        return run

    def test_http1(self):
        self.run_flow("plain", self.nginx.url("plain"))

    def test_tls(self):
        self.run_flow("tls", self.nginx.url("tls"), "--cacert", self.certs.ca_pem)

    def test_http2_over_tls(self):
        self.run_flow("tls", self.nginx.url("tls"), "--cacert", self.certs.ca_pem, "--http2",
                      protocol="HTTP/2")

    def test_h2c(self):
        self.run_flow("h2c", self.nginx.url("h2c"), "--http2", protocol="HTTP/2")

    def test_unix_socket(self):
        self.run_flow("unix", "http://localhost/", "--unix-socket", self.nginx.unix_socket)

    def test_forward_proxy(self):
        # tinyproxy closes the connection after each response: every step reconnects.
        self.run_flow("plain", self.nginx.url("plain"), "--proxy", self.proxy.url(),
                      "--disable-keepalive")

    def test_connect_tunnel(self):
        self.run_flow("tls", self.nginx.url("tls"), "--cacert", self.certs.ca_pem, "--proxy",
                      self.proxy.url())


class ScenarioHttp3Test(TransportTestCase):
    @classmethod
    def setUpClass(cls):
        cls._certs = temp_certs()
        cls.certs = cls._certs.__enter__()
        cls.addClassCleanup(cls._certs.__exit__, None, None, None)

    def test_http3(self):
        with Gtlsserver(self.certs.server_pem, self.certs.server_key, quiet=False) as server:
            tmp = Path(tempfile.mkdtemp(prefix="strest-scn-"))
            config = tmp / "scenario.toml"
            config.write_text(f"""
[scenario]
base_url = "{server.url()}"

[[scenario.steps]]
name = "index"
path = "/"
assert_body_contains = "{H3_BODY.split('>')[2].split('<')[0]}"

[[scenario.steps]]
name = "again"
path = "/?n={{{{seq}}}}"
""")
            run = self.run_ok(["--config", config, "--http3", "--insecure", "--requests", 40,
                               "-m", 1])
            s = run.summary
            self.assertEqual(s["successful_requests"], 40, describe(run))
            self.assertEqual(s.get("protocol"), "HTTP/3", describe(run))
            self.assertEqual([row["requests"] for row in s["steps"]], [20, 20], describe(run))
            paths = server.request_paths()
            self.assertEqual(len(paths), 40, describe(run))
            self.assertEqual(sorted(p for p in paths if p != "/"),
                             sorted(f"/?n={i}" for i in range(20)), describe(run))


if __name__ == "__main__":
    unittest.main()
