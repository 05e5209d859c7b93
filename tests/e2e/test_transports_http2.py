"""strest over HTTP/2 against a real nginx: --http2 negotiates h2 by ALPN over TLS (falling
back to HTTP/1.1 when the server has no h2) and uses prior knowledge (h2c) over http:// (falling
back to HTTP/1.1 when the server speaks HTTP/1.x only), --alpn
chooses what is offered, and --streams-per-connection decides how many connections carry
--max-tasks requests in flight. nginx logs $server_protocol per request, so every test proves
which protocol each request really used."""
import json
import math
import tempfile
import unittest
from pathlib import Path

from harness import StrestTarget, describe
from transport_fixtures import BIG_SIZE, TransportTestCase, connections_of


class Http2Test(TransportTestCase):
    @classmethod
    def setUpClass(cls):
        cls.start_nginx()

    def tls_args(self, name="tls"):
        return ["-u", self.nginx.url(name), "--cacert", self.certs.ca_pem]

    def assert_served(self, run, name, total, server_protocol):
        entries = self.nginx.root_entries(name)
        self.assertEqual(len(entries), total, describe(run))
        self.assertEqual({e["status"] for e in entries}, {"200"})
        self.assertEqual({e["server_protocol"] for e in entries}, {server_protocol},
                         describe(run))
        return entries

    # Negotiation

    def test_http2_over_tls(self):
        run = self.run_ok(self.tls_args() + ["--http2", "--requests", 300, "-m", 8])
        self.assert_all_ok(run, 300, protocol="HTTP/2")
        entries = self.assert_served(run, "tls", 300, "HTTP/2.0")
        s = run.summary
        self.assertEqual(len(connections_of(entries)), s["connections_opened"], describe(run))
        self.assertEqual(s["tls_handshakes"], s["connections_opened"], describe(run))
        self.assert_phases(run, tls=True)
        self.assertEqual(s["phases"]["response_read"]["count"], 300, describe(run))

    def test_alpn_http11_only(self):
        run = self.run_ok(self.tls_args() + ["--alpn", "http/1.1", "--requests", 100, "-m", 4])
        self.assert_all_ok(run, 100, protocol="HTTP/1.1")
        self.assert_served(run, "tls", 100, "HTTP/1.1")

    def test_alpn_h2(self):
        run = self.run_ok(self.tls_args() + ["--alpn", "h2", "--requests", 100, "-m", 4])
        self.assert_all_ok(run, 100, protocol="HTTP/2")
        self.assert_served(run, "tls", 100, "HTTP/2.0")

    def test_alpn_repeated_prefers_the_first(self):
        # nginx picks the client's most preferred protocol it supports.
        run = self.run_ok(self.tls_args() + ["--alpn", "h2", "--alpn", "http/1.1",
                                             "--requests", 50, "-m", 2])
        self.assert_all_ok(run, 50, protocol="HTTP/2")
        self.assert_served(run, "tls", 50, "HTTP/2.0")

    def test_http2_falls_back_to_http11(self):
        # The server has no h2: ALPN settles on http/1.1 and the run goes on over HTTP/1.1.
        run = self.run_ok(self.tls_args("tls_h1") + ["--http2", "--requests", 100, "-m", 4])
        self.assert_all_ok(run, 100, protocol="HTTP/1.1")
        self.assert_served(run, "tls_h1", 100, "HTTP/1.1")

    def test_without_http2_flag_tls_stays_http11(self):
        run = self.run_ok(self.tls_args() + ["--requests", 50, "-m", 2])
        self.assert_all_ok(run, 50, protocol="HTTP/1.1")
        self.assert_served(run, "tls", 50, "HTTP/1.1")

    def test_h2c_prior_knowledge(self):
        run = self.run_ok(["-u", self.nginx.url("h2c"), "--http2", "--requests", 300, "-m", 8])
        self.assert_all_ok(run, 300, protocol="HTTP/2")
        entries = self.assert_served(run, "h2c", 300, "HTTP/2.0")
        s = run.summary
        self.assertEqual(s["tls_handshakes"], 0, describe(run))
        self.assertEqual(len(connections_of(entries)), s["connections_opened"], describe(run))
        self.assert_phases(run, tls=False)

    # h2c fallback: --http2 on http:// to servers that speak HTTP/1.x only

    FALLBACK_NOTE = "does not speak HTTP/2 over cleartext (h2c); the run used HTTP/1.1"

    def test_h2c_falls_back_to_http11_on_nginx_without_http2(self):
        # nginx answers the h2c preface with a status line; strest reconnects as HTTP/1.1 and
        # no request fails for it.
        run = self.run_ok(["-u", self.nginx.url("plain"), "--http2", "--requests", 100, "-m", 4])
        self.assert_all_ok(run, 100, protocol="HTTP/1.1")
        self.assert_served(run, "plain", 100, "HTTP/1.1")
        self.assertEqual(run.stderr.count(self.FALLBACK_NOTE), 1, describe(run))

    def test_h2c_fallback_is_remembered_for_later_connections(self):
        # A new connection per request: only the first tries h2c, the 19 after it go straight
        # to HTTP/1.1, so nginx answers exactly one request that is not strest's GET /.
        run = self.run_ok(["-u", self.nginx.url("plain"), "--http2", "--disable-keepalive",
                           "--requests", 20, "-m", 1])
        self.assert_all_ok(run, 20, protocol="HTTP/1.1")
        self.assert_served(run, "plain", 20, "HTTP/1.1")
        others = [e for e in self.nginx.entries("plain") if e["status"] != "200"]
        self.assertEqual(len(others), 1, f"{others}{describe(run)}")
        self.assertEqual(run.summary["connections_opened"], 20, describe(run))

    def test_h2c_falls_back_to_http11_on_the_builtin_target(self):
        with StrestTarget() as target:
            run = self.run_ok(["-u", target.url(), "--http2", "--requests", 50, "-m", 2])
        self.assert_all_ok(run, 50, protocol="HTTP/1.1")
        self.assertEqual(run.stderr.count(self.FALLBACK_NOTE), 1, describe(run))

    def test_h2c_server_gets_no_fallback_note(self):
        run = self.run_ok(["-u", self.nginx.url("h2c"), "--http2", "--requests", 20, "-m", 2])
        self.assert_all_ok(run, 20, protocol="HTTP/2")
        self.assertNotIn(self.FALLBACK_NOTE, run.stderr, describe(run))

    def test_h2c_over_tls_port_fails(self):
        # Prior knowledge to a TLS port: nothing the server answers is HTTP/2 (nginx answers a
        # plain-HTTP-to-HTTPS 400 page or closes), so no request succeeds.
        run = self.run_ok(["-u", self.nginx.url("tls").replace("https://", "http://"),
                           "--http2", "--requests", 10, "-m", 2, "--timeout", "2s"])
        s = run.summary
        self.assertEqual(s["successful_requests"], 0, describe(run))
        self.assertEqual(s["total_requests"], 10, describe(run))

    # Streams and connections

    def test_streams_per_connection_sets_connection_count(self):
        cases = ((20, 10, None), (20, 5, None), (25, None, 10), (4, None, 10), (7, 3, None))
        for tasks, streams, default in cases:
            per_connection = streams or default
            expected = math.ceil(tasks / per_connection)
            with self.subTest(max_tasks=tasks, streams=streams):
                self.nginx.mark()
                args = self.tls_args() + ["--http2", "-m", tasks, "--threads", 1,
                                          "--requests", 400]
                if streams:
                    args += ["--streams-per-connection", streams]
                run = self.run_ok(args)
                self.assert_all_ok(run, 400, protocol="HTTP/2")
                self.assertEqual(run.summary["connections_opened"], expected, describe(run))
                entries = self.assert_served(run, "tls", 400, "HTTP/2.0")
                self.assertEqual(len(connections_of(entries)), expected, describe(run))

    def test_streams_per_connection_h2c(self):
        run = self.run_ok(["-u", self.nginx.url("h2c"), "--http2", "-m", 20,
                           "--streams-per-connection", 10, "--threads", 1, "--requests", 400])
        self.assert_all_ok(run, 400, protocol="HTTP/2")
        self.assertEqual(run.summary["connections_opened"], 2, describe(run))
        entries = self.assert_served(run, "h2c", 400, "HTTP/2.0")
        self.assertEqual(len(connections_of(entries)), 2)
        # Each connection carried many requests (nginx numbers them per connection).
        self.assertGreater(max(int(e["connection_requests"]) for e in entries), 100)

    def test_streams_per_connection_zero_is_a_usage_error(self):
        self.assert_usage_error(self.tls_args() + ["--http2", "--streams-per-connection", 0,
                                                   "--requests", 1],
                                mentions=("--streams-per-connection",))

    def test_http2_disable_keepalive(self):
        run = self.run_ok(self.tls_args() + ["--http2", "--disable-keepalive",
                                             "--requests", 60, "-m", 4])
        self.assert_all_ok(run, 60, protocol="HTTP/2")
        self.assertEqual(run.summary["connections_opened"], 60, describe(run))
        entries = self.assert_served(run, "tls", 60, "HTTP/2.0")
        self.assertEqual({e["connection_requests"] for e in entries}, {"1"})

    def test_http2_duration_run_matches_nginx(self):
        run = self.run_ok(["-u", self.nginx.url("h2c"), "--http2", "-t", "1s", "-m", 16])
        s = run.summary
        total, cancelled = s["total_requests"], s["cancelled_requests"]
        self.assertGreater(total, 0, describe(run))
        self.assertEqual(s["successful_requests"], total, describe(run))
        self.assertEqual(s.get("protocol"), "HTTP/2", describe(run))
        served = len(self.nginx.root_entries("h2c"))
        self.assertGreaterEqual(served, total, describe(run))
        self.assertLessEqual(served, total + cancelled, describe(run))
        self.assertLessEqual(cancelled, 16, describe(run))

    def test_http2_two_threads(self):
        run = self.run_ok(self.tls_args() + ["--http2", "--threads", 2, "-m", 20,
                                             "--requests", 1000])
        self.assert_all_ok(run, 1000, protocol="HTTP/2")
        self.assert_served(run, "tls", 1000, "HTTP/2.0")

    # Flow control, resets, GOAWAY

    def test_http2_big_bodies_need_flow_control(self):
        # 1 MiB bodies are far past the 64 KiB initial windows: strest must send WINDOW_UPDATE
        # for the connection and each stream, or the run stalls.
        for name in ("tls", "h2c"):
            with self.subTest(server=name):
                self.nginx.mark()
                args = ["-u", self.nginx.url(name, "/big"), "--http2", "--requests", 30,
                        "-m", 6, "--threads", 1, "--timeout", "5s"]
                if name == "tls":
                    args += ["--cacert", self.certs.ca_pem]
                run = self.run_ok(args)
                self.assert_all_ok(run, 30, protocol="HTTP/2")
                self.assertGreaterEqual(run.summary["bytes_received"], 30 * BIG_SIZE,
                                        describe(run))
                self.assertEqual(run.summary["connections_opened"], 1, describe(run))
                entries = self.nginx.entries(name)
                self.assertEqual([(e["uri"], e["server_protocol"]) for e in entries],
                                 [("/big", "HTTP/2.0")] * 30)

    def test_http2_stream_reset_keeps_the_connection(self):
        # nginx's 444 over HTTP/2 resets the stream (RST_STREAM) and keeps the connection.
        run = self.run_ok(["-u", self.nginx.url("tls", "/reset"), "--cacert",
                           self.certs.ca_pem, "--http2", "--requests", 40, "-m", 4,
                           "--threads", 1])
        self.assert_all_transport_errors(run, "stream_reset", total=40)
        self.assertEqual(run.summary["connections_opened"], 1, describe(run))
        entries = [e for e in self.nginx.entries("tls") if e["uri"] == "/reset"]
        self.assertEqual(len(entries), 40)
        self.assertEqual(len(connections_of(entries)), 1)

    def test_http2_goaway_after_n_requests(self):
        # nginx sends GOAWAY once a connection's 20th stream opens; streams strest had already
        # opened past it are refused (never processed). strest reconnects and goes on, counts
        # the refused ones as refused_stream, and nginx served exactly the successful ones.
        run = self.run_ok(["-u", self.nginx.url("short"), "--cacert", self.certs.ca_pem,
                           "--http2", "--requests", 300, "-m", 10, "--threads", 1])
        s = run.summary
        self.assertEqual(s["total_requests"], 300, describe(run))
        self.assertEqual(s["stop_reason"], "requests", describe(run))
        self.assertLessEqual(set(s["transport_error_kinds"]), {"refused_stream"}, describe(run))
        self.assertEqual(s["successful_requests"] + s["transport_errors"], 300, describe(run))
        self.assertGreaterEqual(s["successful_requests"], 150, describe(run))
        entries = self.assert_served(run, "short", s["successful_requests"], "HTTP/2.0")
        self.assertLessEqual(max(int(e["connection_requests"]) for e in entries), 20)
        self.assertEqual(s["connections_opened"], len(connections_of(entries)), describe(run))
        self.assertGreaterEqual(s["connections_opened"], s["successful_requests"] // 20,
                                describe(run))
        self.assert_details_cover_kinds(run)

    # What is sent

    def test_http2_request_headers_and_body(self):
        run = self.run_ok(self.tls_args() + ["--http2", "-X", "POST", "-d", "name=strest",
                                             "-H", "X-E2E-Tag: h2-tag", "--requests", 40,
                                             "-m", 4])
        self.assert_all_ok(run, 40, protocol="HTTP/2")
        entries = self.assert_served(run, "tls", 40, "HTTP/2.0")
        self.assertEqual({(e["method"], e["x_e2e_tag"]) for e in entries},
                         {("POST", "h2-tag")})
        self.assertEqual({e["host"] for e in entries}, {"127.0.0.1"})
        self.assertTrue(all(e["user_agent"].startswith("strest-loadtest/") for e in entries))

    def test_http2_bytes_received(self):
        run = self.run_ok(["-u", self.nginx.url("h2c"), "--http2", "--requests", 50, "-m", 5])
        self.assert_all_ok(run, 50, protocol="HTTP/2")
        # At least the bodies ("transport ok\n", 13 bytes each) were received.
        self.assertGreaterEqual(run.summary["bytes_received"], 13 * 50, describe(run))

    # Config file

    def test_http2_settings_from_config_file(self):
        with tempfile.TemporaryDirectory(prefix="strest-h2-config-") as tmp:
            toml = Path(tmp) / "h2.toml"
            toml.write_text(f'url = "{self.nginx.url("tls")}"\nrequests = 200\n'
                            f'cacert = "{self.certs.ca_pem}"\nhttp2 = true\n'
                            'streams_per_connection = 5\nmax_tasks = 10\nthreads = 1\n')
            run = self.run_ok(["--config", toml], cwd=tmp)
            self.assert_all_ok(run, 200, protocol="HTTP/2")
            self.assertEqual(run.summary["connections_opened"], 2, describe(run))
            self.assert_served(run, "tls", 200, "HTTP/2.0")

            self.nginx.mark()
            conf = Path(tmp) / "alpn.json"
            conf.write_text(json.dumps({"url": self.nginx.url("tls"), "requests": 30,
                                        "cacert": self.certs.ca_pem, "alpn": ["h2"]}))
            run = self.run_ok(["--config", conf, "-m", 2], cwd=tmp)
            self.assert_all_ok(run, 30, protocol="HTTP/2")
            self.assert_served(run, "tls", 30, "HTTP/2.0")


if __name__ == "__main__":
    unittest.main()
