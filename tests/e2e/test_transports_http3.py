"""strest over HTTP/3 (QUIC) against ngtcp2's example server gtlsserver on UDP 127.0.0.1: '/'
answers 200 with its index.html, a missing file 404. Run verbose, gtlsserver prints every
request's headers and every completed handshake, so the tests count what it served. A port
nobody answers on gives 'quic' transport errors, and --http3 with http:// is refused."""
import unittest

from harness import LOOPBACK, describe
from transport_fixtures import (BIG_SIZE, H3_BODY, Gtlsserver, TransportTestCase, free_udp_port,
                                temp_certs)


class Http3Test(TransportTestCase):
    @classmethod
    def setUpClass(cls):
        cls._certs = temp_certs()
        cls.certs = cls._certs.__enter__()
        cls.addClassCleanup(cls._certs.__exit__, None, None, None)

    def setUp(self):
        self.server = Gtlsserver(self.certs.server_pem, self.certs.server_key, quiet=False)
        self.server.__enter__()
        self.addCleanup(self.server.__exit__, None, None, None)

    def test_http3_insecure(self):
        run = self.run_ok(["-u", self.server.url(), "--http3", "--insecure", "--requests", 100,
                           "-m", 4, "--threads", 1])
        self.assert_all_ok(run, 100, protocol="HTTP/3")
        s = run.summary
        self.assertGreater(s["successful_requests"], 0)
        self.assertEqual(self.server.request_paths(), ["/"] * 100, describe(run))
        self.assertTrue(all(ua.startswith("strest-loadtest/") for ua in self.server.user_agents()))
        # -m 4 fits the default 10 streams of one connection.
        self.assertEqual(s["connections_opened"], 1, describe(run))
        self.assertEqual(self.server.handshakes(), 1, describe(run))
        self.assertGreaterEqual(s["bytes_received"], len(H3_BODY) * 100, describe(run))

    def test_http3_with_cacert(self):
        run = self.run_ok(["-u", self.server.url(), "--http3", "--cacert", self.certs.ca_pem,
                           "--requests", 50, "-m", 2])
        self.assert_all_ok(run, 50, protocol="HTTP/3")
        self.assertEqual(len(self.server.request_paths()), 50)

    def test_http3_by_host_name(self):
        url = f"https://localhost:{self.server.port}/"
        run = self.run_ok(["-u", url, "--http3", "--cacert", self.certs.ca_pem,
                           "--requests", 20, "-m", 2])
        self.assert_all_ok(run, 20, protocol="HTTP/3")

    def test_http3_verification_fails_without_cacert(self):
        run = self.run_ok(["-u", self.server.url(), "--http3", "--requests", 10, "-m", 2])
        s = run.summary
        self.assertEqual(s["total_requests"], 10, describe(run))
        self.assertEqual(s["successful_requests"], 0, describe(run))
        self.assertEqual(s["transport_errors"], 10, describe(run))
        kinds = s["transport_error_kinds"]
        self.assertEqual(kinds.get("tls_handshake", 0) + kinds.get("quic", 0), 10, describe(run))
        kind = "tls_handshake" if kinds.get("tls_handshake") else "quic"
        self.assertTrue(s.get("error_details", {}).get(kind), describe(run))
        self.assertEqual(self.server.request_paths(), [])

    def test_http3_streams_per_connection(self):
        run = self.run_ok(["-u", self.server.url(), "--http3", "--insecure", "-m", 8,
                           "--streams-per-connection", 4, "--threads", 1, "--requests", 200])
        self.assert_all_ok(run, 200, protocol="HTTP/3")
        self.assertEqual(run.summary["connections_opened"], 2, describe(run))
        self.assertEqual(self.server.handshakes(), 2, describe(run))
        self.assertEqual(len(self.server.request_paths()), 200)

    def test_http3_phases(self):
        run = self.run_ok(["-u", self.server.url(), "--http3", "--insecure", "--requests", 30,
                           "-m", 2])
        self.assert_all_ok(run, 30, protocol="HTTP/3")
        s = run.summary
        phases = s["phases"]
        for name in ("request_write", "wait_first_byte", "response_read"):
            self.assertEqual(phases[name]["count"], 30, (name, describe(run)))
        # QUIC has no connect apart from its handshake: each connection is timed once, as
        # connect or as TLS handshake (or both).
        self.assertEqual(max(phases["connect"]["count"], phases["tls_handshake"]["count"]),
                         s["connections_opened"], describe(run))
        for name, p in phases.items():
            if p["count"]:
                self.assertLessEqual(p["min_ms"], p["avg_ms"] + 0.001, (name, p))
                self.assertLessEqual(p["avg_ms"], p["max_ms"] + 0.001, (name, p))
        self.assertIn("http/3", run.stdout.lower(), run.stdout)

    def test_http3_big_bodies_need_flow_control(self):
        # 1 MiB bodies are past the initial QUIC stream and connection windows: strest must
        # extend them (MAX_STREAM_DATA, MAX_DATA) or the run stalls.
        run = self.run_ok(["-u", self.server.url("/big"), "--http3", "--insecure",
                           "--requests", 20, "-m", 4, "--threads", 1, "--timeout", "5s"])
        self.assert_all_ok(run, 20, protocol="HTTP/3")
        self.assertGreaterEqual(run.summary["bytes_received"], 20 * BIG_SIZE, describe(run))
        self.assertEqual(self.server.request_paths(), ["/big"] * 20)

    def test_http3_not_found_status(self):
        run = self.run_ok(["-u", self.server.url("/missing.html"), "--http3", "--insecure",
                           "--requests", 20, "-m", 2])
        s = run.summary
        self.assertEqual(s["status_codes"], {"404": 20}, describe(run))
        self.assertEqual(s["non_expected_status"], 20, describe(run))
        self.assertEqual(self.server.request_paths(), ["/missing.html"] * 20)

    def test_http3_duration(self):
        run = self.run_ok(["-u", self.server.url(), "--http3", "--insecure", "-t", "1s",
                           "-m", 4])
        s = run.summary
        self.assertGreater(s["total_requests"], 0, describe(run))
        self.assertEqual(s["successful_requests"], s["total_requests"], describe(run))
        served = len(self.server.request_paths())
        self.assertGreaterEqual(served, s["total_requests"], describe(run))
        self.assertLessEqual(served, s["total_requests"] + s["cancelled_requests"],
                             describe(run))


class Http3FailureTest(TransportTestCase):
    def test_http3_no_server(self):
        url = f"https://{LOOPBACK}:{free_udp_port()}/"
        run = self.run_ok(["-u", url, "--http3", "--insecure", "--requests", 10, "-m", 2,
                           "--connect-timeout", "1s", "--timeout", "2s"])
        self.assert_all_transport_errors(run, "quic", total=10)

    def test_http3_needs_https(self):
        self.assert_usage_error(["-u", f"http://{LOOPBACK}:{free_udp_port()}/", "--http3",
                                 "--requests", 1], mentions=("--http3",))


if __name__ == "__main__":
    unittest.main()
