"""strest through an HTTP forward proxy (tinyproxy) and over a Unix domain socket, against a
real nginx. http:// targets are forwarded in absolute form (nginx sees tinyproxy's Via header,
tinyproxy logs 'GET http://...'), https:// and h2c targets go through a CONNECT tunnel
(tinyproxy logs one CONNECT per connection), proxy credentials come from the proxy URL, and a
refused tunnel counts as a 'proxy' transport error."""
import json
import tempfile
import unittest
from pathlib import Path

from harness import LOOPBACK, describe, refused_port, run_strest
from transport_fixtures import PROXY_CREDENTIALS, TransportTestCase, connections_of



class ProxyTest(TransportTestCase):
    @classmethod
    def setUpClass(cls):
        cls.start_nginx_and_proxies()

    def setUp(self):
        super().setUp()
        self.proxy_before = len(self.proxy.requests(settle=0.05))
        self.auth_proxy_before = len(self.auth_proxy.requests(settle=0.05))

    def proxy_requests(self, proxy=None):
        """Request lines the proxy read during this test."""
        proxy = proxy or self.proxy
        before = self.proxy_before if proxy is self.proxy else self.auth_proxy_before
        return proxy.requests()[before:]

    def forwarded_line(self):
        return f"GET {self.nginx.url('plain')} HTTP/1.1"

    def connect_line(self, name):
        return f"CONNECT {LOOPBACK}:{self.nginx.ports[name]} HTTP/1.1"

    def assert_forwarded(self, run, total, proxy=None):
        """nginx's plain server saw `total` requests, every one with tinyproxy's Via header, and
        the proxy read exactly those in absolute form."""
        entries = self.nginx.root_entries("plain")
        self.assertEqual(len(entries), total, describe(run))
        for e in entries:
            self.assertIn("tinyproxy", e["http_via"], e)
        self.assertEqual(self.proxy_requests(proxy), [self.forwarded_line()] * total,
                         describe(run))

    # http:// targets: absolute form

    def test_http_target_through_proxy(self):
        # tinyproxy closes the client connection after each response (without saying so), so
        # this run opens a connection per request.
        run = self.run_ok(["-u", self.nginx.url("plain"), "--proxy", self.proxy.url(),
                           "--disable-keepalive", "--requests", 100, "-m", 4])
        self.assert_all_ok(run, 100, protocol="HTTP/1.1")
        self.assertEqual(run.summary["connections_opened"], 100, describe(run))
        self.assert_forwarded(run, 100)

    def test_short_proxy_flag(self):
        run = self.run_ok(["-u", self.nginx.url("plain"), "-p", self.proxy.url(),
                           "--disable-keepalive", "--requests", 20, "-m", 2])
        self.assert_all_ok(run, 20)
        self.assert_forwarded(run, 20)

    def test_http_target_through_proxy_with_keepalive(self):
        # The proxy drops each connection after one response, without a "Connection: close":
        # strest must notice and reconnect. A request written in the instant before the close
        # arrives may fail as closed_early or reset (the proxy never read it); every request
        # that succeeded went through the proxy to nginx.
        run = self.run_ok(["-u", self.nginx.url("plain"), "--proxy", self.proxy.url(),
                           "--requests", 100, "-m", 2])
        s = run.summary
        self.assertEqual(s["total_requests"], 100, describe(run))
        self.assertGreater(s["successful_requests"], 0, describe(run))
        self.assertEqual(s["non_expected_status"], 0, describe(run))
        self.assertLessEqual(set(s["transport_error_kinds"]), {"closed_early", "reset"},
                             describe(run))
        self.assert_details_cover_kinds(run)
        entries = self.nginx.root_entries("plain")
        self.assertEqual(len(entries), s["successful_requests"], describe(run))
        self.assertTrue(all("tinyproxy" in e["http_via"] for e in entries))
        self.assertEqual(len(self.proxy_requests()), s["successful_requests"], describe(run))

    # https:// and h2c targets: CONNECT tunnels

    def test_https_target_through_connect(self):
        run = self.run_ok(["-u", self.nginx.url("tls"), "--cacert", self.certs.ca_pem,
                           "--proxy", self.proxy.url(), "--requests", 200, "-m", 4])
        self.assert_all_ok(run, 200, protocol="HTTP/1.1")
        s = run.summary
        entries = self.nginx.root_entries("tls")
        self.assertEqual(len(entries), 200, describe(run))
        self.assertEqual({e["http_via"] for e in entries}, {"-"}, "not a tunnel")
        self.assertEqual({e["server_protocol"] for e in entries}, {"HTTP/1.1"})
        # One CONNECT per connection, and the tunnels are kept alive.
        self.assertEqual(self.proxy_requests(),
                         [self.connect_line("tls")] * s["connections_opened"], describe(run))
        self.assertTrue(1 <= s["connections_opened"] <= 4, describe(run))
        self.assertEqual(len(connections_of(entries)), s["connections_opened"])
        self.assertEqual(s["tls_handshakes"], s["connections_opened"], describe(run))
        self.assert_phases(run, tls=True)

    def test_https_target_through_connect_disable_keepalive(self):
        run = self.run_ok(["-u", self.nginx.url("tls"), "--cacert", self.certs.ca_pem,
                           "--proxy", self.proxy.url(), "--disable-keepalive",
                           "--requests", 40, "-m", 2])
        self.assert_all_ok(run, 40)
        self.assertEqual(run.summary["connections_opened"], 40, describe(run))
        self.assertEqual(self.proxy_requests(), [self.connect_line("tls")] * 40, describe(run))
        self.assertEqual(len(self.nginx.root_entries("tls")), 40)

    def test_http2_through_connect(self):
        run = self.run_ok(["-u", self.nginx.url("tls"), "--cacert", self.certs.ca_pem,
                           "--proxy", self.proxy.url(), "--http2", "-m", 20, "--threads", 1,
                           "--streams-per-connection", 10, "--requests", 300])
        self.assert_all_ok(run, 300, protocol="HTTP/2")
        self.assertEqual(run.summary["connections_opened"], 2, describe(run))
        entries = self.nginx.root_entries("tls")
        self.assertEqual(len(entries), 300)
        self.assertEqual({e["server_protocol"] for e in entries}, {"HTTP/2.0"})
        self.assertEqual(self.proxy_requests(), [self.connect_line("tls")] * 2, describe(run))

    def test_h2c_through_connect(self):
        run = self.run_ok(["-u", self.nginx.url("h2c"), "--proxy", self.proxy.url(), "--http2",
                           "--requests", 100, "-m", 4, "--threads", 1])
        self.assert_all_ok(run, 100, protocol="HTTP/2")
        entries = self.nginx.root_entries("h2c")
        self.assertEqual(len(entries), 100)
        self.assertEqual({e["server_protocol"] for e in entries}, {"HTTP/2.0"})
        self.assertEqual(self.proxy_requests(), [self.connect_line("h2c")], describe(run))

    # Credentials

    def test_proxy_credentials(self):
        url = self.auth_proxy.url(PROXY_CREDENTIALS)
        with self.subTest("http:// target"):
            run = self.run_ok(["-u", self.nginx.url("plain"), "--proxy", url,
                               "--disable-keepalive", "--requests", 20, "-m", 2])
            self.assert_all_ok(run, 20)
            self.assertEqual(len(self.nginx.root_entries("plain")), 20)
        with self.subTest("https:// target"):
            run = self.run_ok(["-u", self.nginx.url("tls"), "--cacert", self.certs.ca_pem,
                               "--proxy", url, "--requests", 20, "-m", 2])
            self.assert_all_ok(run, 20)
            self.assertEqual(len(self.nginx.root_entries("tls")), 20)
        self.assertIn(self.connect_line("tls"), self.proxy_requests(self.auth_proxy))

    def test_wrong_proxy_credentials_refuse_the_tunnel(self):
        url = self.auth_proxy.url((PROXY_CREDENTIALS[0], "wrong"))
        run = self.run_ok(["-u", self.nginx.url("tls"), "--cacert", self.certs.ca_pem,
                           "--proxy", url, "--requests", 10, "-m", 2])
        detail = self.assert_all_transport_errors(run, "proxy", total=10)
        self.assertIn("401", detail, describe(run))  # tinyproxy's answer to bad credentials
        self.assertEqual(self.nginx.root_entries("tls"), [], "a request got through")

    def test_missing_proxy_credentials_refuse_the_tunnel(self):
        run = self.run_ok(["-u", self.nginx.url("tls"), "--cacert", self.certs.ca_pem,
                           "--proxy", self.auth_proxy.url(), "--requests", 10, "-m", 2])
        detail = self.assert_all_transport_errors(run, "proxy", total=10)
        self.assertIn("407", detail, describe(run))
        self.assertEqual(self.nginx.root_entries("tls"), [], "a request got through")

    def test_wrong_proxy_credentials_http_target(self):
        # The proxy answers the forwarded request itself (401): whether strest reports that as
        # the status or as a proxy error, nothing succeeds and nothing reaches nginx.
        url = self.auth_proxy.url((PROXY_CREDENTIALS[0], "wrong"))
        run = self.run_ok(["-u", self.nginx.url("plain"), "--proxy", url,
                           "--disable-keepalive", "--requests", 10, "-m", 2])
        s = run.summary
        self.assertEqual(s["total_requests"], 10, describe(run))
        self.assertEqual(s["successful_requests"], 0, describe(run))
        self.assertEqual(s["status_codes"].get("401", 0)
                         + s["transport_error_kinds"].get("proxy", 0), 10, describe(run))
        self.assertEqual(self.nginx.root_entries("plain"), [])

    # Bad proxies

    def test_proxy_not_listening(self):
        run = self.run_ok(["-u", self.nginx.url("tls"), "--cacert", self.certs.ca_pem,
                           "--proxy", f"http://{LOOPBACK}:{refused_port()}",
                           "--requests", 10, "-m", 2])
        s = run.summary
        self.assertEqual(s["successful_requests"], 0, describe(run))
        self.assertEqual(s["transport_errors"], 10, describe(run))
        self.assertLessEqual(set(s["transport_error_kinds"]), {"connect_refused", "proxy"},
                             describe(run))

    def test_proxy_url_must_be_http(self):
        for proxy in ("socks5://127.0.0.1:1080", "https://127.0.0.1:3128", "not a url"):
            with self.subTest(proxy=proxy):
                self.assert_usage_error(["-u", self.nginx.url("plain"), "--proxy", proxy,
                                         "--requests", 1], mentions=("--proxy",))
        self.assertEqual(self.nginx.root_entries("plain", settle=0.1), [])


class UnixSocketTest(TransportTestCase):
    @classmethod
    def setUpClass(cls):
        cls.start_nginx(servers=["plain", "unix"])

    def test_unix_socket(self):
        run = self.run_ok(["-u", "http://localhost/", "--unix-socket", self.nginx.unix_socket,
                           "--requests", 500, "-m", 4])
        self.assert_all_ok(run, 500, protocol="HTTP/1.1")
        entries = self.nginx.root_entries("unix")
        self.assertEqual(len(entries), 500, describe(run))
        self.assertEqual({e["host"] for e in entries}, {"localhost"})
        self.assertEqual(self.nginx.root_entries("plain"), [])
        s = run.summary
        self.assertTrue(1 <= s["connections_opened"] <= 4, describe(run))
        self.assertEqual(len(connections_of(entries)), s["connections_opened"])
        self.assertEqual(s["tls_handshakes"], 0, describe(run))
        self.assert_phases(run, tls=False)

    def test_unix_socket_disable_keepalive(self):
        run = self.run_ok(["-u", "http://localhost/", "--unix-socket", self.nginx.unix_socket,
                           "--disable-keepalive", "--requests", 100, "-m", 4])
        self.assert_all_ok(run, 100)
        self.assertEqual(run.summary["connections_opened"], 100, describe(run))
        entries = self.nginx.root_entries("unix")
        self.assertEqual(len(entries), 100)
        self.assertEqual({e["connection_requests"] for e in entries}, {"1"})

    def test_unix_socket_duration(self):
        run = self.run_ok(["-u", "http://localhost/", "--unix-socket", self.nginx.unix_socket,
                           "-t", "1s", "-m", 8])
        s = run.summary
        total, cancelled = s["total_requests"], s["cancelled_requests"]
        self.assertGreater(total, 0, describe(run))
        self.assertEqual(s["successful_requests"], total, describe(run))
        served = len(self.nginx.root_entries("unix"))
        self.assertGreaterEqual(served, total, describe(run))
        self.assertLessEqual(served, total + cancelled, describe(run))

    def test_unix_socket_from_config_file(self):
        with tempfile.TemporaryDirectory(prefix="strest-unix-config-") as tmp:
            conf = Path(tmp) / "unix.json"
            conf.write_text(json.dumps({"url": "http://localhost/", "requests": 30,
                                        "unix_socket": self.nginx.unix_socket}))
            run = self.run_ok(["--config", conf, "-m", 2], cwd=tmp)
            self.assert_all_ok(run, 30)
            self.assertEqual(len(self.nginx.root_entries("unix")), 30)

    def test_missing_unix_socket(self):
        # Nothing at the path: refused up front with a one-line error, nothing sent.
        path = f"{self.nginx.prefix}/absent.sock"
        run = run_strest(["-u", "http://localhost/", "--unix-socket", path, "--requests", 5,
                          "-m", 1, "-t", "10s"], timeout=40)
        self.assertEqual(run.returncode, 2, describe(run))
        self.assertIn("--unix-socket", run.stderr, describe(run))
        self.assertIn("does not exist", run.stderr, describe(run))


if __name__ == "__main__":
    unittest.main()
