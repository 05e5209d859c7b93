"""strest over TLS against a real nginx: certificates are checked (or not, with --insecure),
--tls-min/--tls-max decide the version nginx logs, mutual TLS sends the client certificate,
--disable-keepalive opens a connection per request and resumes TLS sessions, and the summary
counts connections, handshakes and the phases of a request. What strest counts is what nginx
served, per server access log.

The HTTP/2, proxy, Unix socket and HTTP/3 tests are in test_transports_*.py."""
import json
import tempfile
import unittest
from pathlib import Path

from harness import LOOPBACK, describe, refused_port
from transport_fixtures import (BIG_SIZE, TransportTestCase, connections_of,
                                temp_certs)


class TlsTest(TransportTestCase):
    @classmethod
    def setUpClass(cls):
        cls.start_nginx()

    def url(self, name="tls", path="/"):
        return self.nginx.url(name, path)

    def assert_nginx_served(self, run, name, total, server_protocol="HTTP/1.1",
                            ssl_protocols=("TLSv1.2", "TLSv1.3")):
        """nginx's log of server `name` has `total` requests for '/', all answered 200 over
        server_protocol and a TLS version in ssl_protocols; returns the entries."""
        entries = self.nginx.root_entries(name)
        self.assertEqual(len(entries), total, describe(run))
        self.assertEqual({e["status"] for e in entries}, {"200"})
        self.assertEqual({e["server_protocol"] for e in entries}, {server_protocol})
        self.assertLessEqual({e["ssl_protocol"] for e in entries}, set(ssl_protocols))
        return entries

    # Verification

    def test_https_http1_with_cacert(self):
        run = self.run_ok(["-u", self.url(), "--cacert", self.certs.ca_pem,
                           "--requests", 200, "-m", 4])
        self.assert_all_ok(run, 200, protocol="HTTP/1.1")
        entries = self.assert_nginx_served(run, "tls", 200)
        s = run.summary
        # Kept alive: at most one connection (and one full handshake) per -m.
        self.assertTrue(1 <= s["connections_opened"] <= 4, describe(run))
        self.assertEqual(s["tls_handshakes"], s["connections_opened"], describe(run))
        self.assertEqual(len(connections_of(entries)), s["connections_opened"], describe(run))
        self.assertTrue(any(int(e["connection_requests"]) > 1 for e in entries))
        self.assert_phases(run, tls=True)
        self.assertEqual(s["phases"]["response_read"]["count"], 200, describe(run))
        self.assertTrue(s["target"].startswith("https://127.0.0.1:"), s["target"])

    def test_https_by_host_name(self):
        # The certificate names localhost as well as 127.0.0.1: the name is what is checked.
        url = self.nginx.url("tls", host="localhost")
        run = self.run_ok(["-u", url, "--cacert", self.certs.ca_pem, "--requests", 50, "-m", 2])
        self.assert_all_ok(run, 50, protocol="HTTP/1.1")
        entries = self.assert_nginx_served(run, "tls", 50)
        self.assertEqual({(e["ssl_server_name"], e["host"]) for e in entries},
                         {("localhost", "localhost")}, "SNI or Host is not the URL's host")

    def test_verification_fails_without_cacert(self):
        run = self.run_ok(["-u", self.url(), "--requests", 20, "-m", 2])
        detail = self.assert_all_transport_errors(run, "tls_handshake", total=20)
        self.assertRegex(detail.lower(), r"certificate|verif", describe(run))
        self.assertEqual(self.nginx.root_entries("tls"), [], "a request reached nginx")
        self.assertEqual(run.summary["status_codes"], {}, describe(run))

    def test_insecure_skips_verification(self):
        run = self.run_ok(["-u", self.url(), "--insecure", "--requests", 100, "-m", 4])
        self.assert_all_ok(run, 100, protocol="HTTP/1.1")
        self.assert_nginx_served(run, "tls", 100)

    def test_self_signed_certificate(self):
        url = self.url("selfsigned")
        with self.subTest("the test CA does not vouch for it"):
            run = self.run_ok(["-u", url, "--cacert", self.certs.ca_pem, "--requests", 10,
                               "-m", 2])
            detail = self.assert_all_transport_errors(run, "tls_handshake", total=10)
            self.assertRegex(detail.lower(), r"certificate|verif|self.signed", describe(run))
        with self.subTest("trusted as its own CA"):
            run = self.run_ok(["-u", url, "--cacert", self.certs.self_pem, "--requests", 10,
                               "-m", 2])
            self.assert_all_ok(run, 10)
        with self.subTest("--insecure"):
            run = self.run_ok(["-u", url, "--insecure", "--requests", 10, "-m", 2])
            self.assert_all_ok(run, 10)
        self.assertEqual(len(self.nginx.root_entries("selfsigned")), 20)

    def test_text_summary_shows_protocol_phases_and_error_details(self):
        run = self.run_ok(["-u", self.url(), "--cacert", self.certs.ca_pem, "--requests", 20,
                           "-m", 2])
        self.assert_all_ok(run, 20, protocol="HTTP/1.1")
        text = run.stdout.lower()
        self.assertIn("http/1.1", text, run.stdout)
        self.assertIn("handshake", text, run.stdout)
        self.assertIn("connect", text, run.stdout)
        self.assertIn("first byte", text.replace("_", " "), run.stdout)
        run = self.run_ok(["-u", self.url(), "--requests", 4, "-m", 1])
        detail = self.assert_all_transport_errors(run, "tls_handshake", total=4)
        self.assertIn("tls_handshake", run.stdout.replace(" ", "_").lower(), run.stdout)
        self.assertIn(detail[:30], run.stdout, "the text summary leaves out the error detail")

    # Versions

    def test_tls_min_13_against_tls12_only_server(self):
        run = self.run_ok(["-u", self.url("tls12"), "--cacert", self.certs.ca_pem,
                           "--tls-min", "1.3", "--requests", 20, "-m", 2])
        detail = self.assert_all_transport_errors(run, "tls_handshake", total=20)
        self.assertRegex(detail.lower(), r"version|protocol", describe(run))
        self.assertEqual(self.nginx.root_entries("tls12"), [])

    def test_tls_max_12_against_tls13_only_server(self):
        run = self.run_ok(["-u", self.url("tls13"), "--cacert", self.certs.ca_pem,
                           "--tls-max", "1.2", "--requests", 20, "-m", 2])
        detail = self.assert_all_transport_errors(run, "tls_handshake", total=20)
        self.assertRegex(detail.lower(), r"version|protocol", describe(run))
        self.assertEqual(self.nginx.root_entries("tls13"), [])

    def test_tls_max_12_negotiates_tls12(self):
        run = self.run_ok(["-u", self.url(), "--cacert", self.certs.ca_pem, "--tls-max", "1.2",
                           "--requests", 50, "-m", 2])
        self.assert_all_ok(run, 50)
        self.assert_nginx_served(run, "tls", 50, ssl_protocols=("TLSv1.2",))

    def test_tls_min_13_negotiates_tls13(self):
        run = self.run_ok(["-u", self.url(), "--cacert", self.certs.ca_pem, "--tls-min", "1.3",
                           "--requests", 50, "-m", 2])
        self.assert_all_ok(run, 50)
        self.assert_nginx_served(run, "tls", 50, ssl_protocols=("TLSv1.3",))

    def test_tls_12_only_server_with_matching_range(self):
        run = self.run_ok(["-u", self.url("tls12"), "--cacert", self.certs.ca_pem,
                           "--tls-min", "1.2", "--tls-max", "1.2", "--requests", 30, "-m", 2])
        self.assert_all_ok(run, 30)
        self.assert_nginx_served(run, "tls12", 30, ssl_protocols=("TLSv1.2",))

    def test_tls_min_above_max_is_a_usage_error(self):
        line = self.assert_usage_error(["-u", self.url(), "--insecure", "--tls-min", "1.3",
                                        "--tls-max", "1.2", "--requests", 1],
                                       mentions=("--tls-min", "--tls-max"))
        self.assertIn("1.3", line)
        self.assertEqual(self.nginx.root_entries("tls", settle=0.1), [], "requests were sent")

    def test_bad_tls_version_is_a_usage_error(self):
        for flag, value in (("--tls-min", "1.4"), ("--tls-max", "tls1.2"), ("--tls-min", "")):
            with self.subTest(flag=flag, value=value):
                self.assert_usage_error(["-u", self.url(), "--insecure", flag, value,
                                         "--requests", 1], mentions=(flag,))

    def test_missing_ca_file_is_a_usage_error(self):
        self.assert_usage_error(["-u", self.url(), "--cacert", "/nonexistent/strest-ca.pem",
                                 "--requests", 1], mentions=("/nonexistent/strest-ca.pem",))

    # Mutual TLS

    def test_mutual_tls_with_client_certificate(self):
        run = self.run_ok(["-u", self.url("mtls"), "--cacert", self.certs.ca_pem,
                           "--cert", self.certs.client_pem, "--key", self.certs.client_key,
                           "--requests", 50, "-m", 2])
        self.assert_all_ok(run, 50)
        entries = self.assert_nginx_served(run, "mtls", 50)
        self.assertEqual({e["ssl_client_verify"] for e in entries}, {"SUCCESS"})

    def test_mutual_tls_without_client_certificate_fails(self):
        # nginx (ssl_verify_client on) completes the handshake, then answers 400 "No required
        # SSL certificate was sent": the requests fail as a non-expected status.
        run = self.run_ok(["-u", self.url("mtls"), "--cacert", self.certs.ca_pem,
                           "--requests", 20, "-m", 2])
        s = run.summary
        self.assertEqual(s["total_requests"], 20, describe(run))
        self.assertEqual(s["successful_requests"], 0, describe(run))
        self.assertEqual(s["status_codes"], {"400": 20}, describe(run))
        self.assertEqual(s["non_expected_status"], 20, describe(run))
        entries = self.nginx.root_entries("mtls")
        self.assertEqual(len(entries), 20)
        self.assertEqual({(e["status"], e["ssl_client_verify"]) for e in entries},
                         {("400", "NONE")})

    def test_mutual_tls_with_untrusted_client_certificate_fails(self):
        run = self.run_ok(["-u", self.url("mtls"), "--cacert", self.certs.ca_pem,
                           "--cert", self.certs.self_pem, "--key", self.certs.self_key,
                           "--requests", 10, "-m", 2])
        s = run.summary
        self.assertEqual(s["successful_requests"], 0, describe(run))
        self.assertEqual(s["total_requests"], 10, describe(run))
        # nginx answers 400 (TLS 1.3: the verdict comes after the handshake) or, with TLS 1.2,
        # may end the handshake: either way nothing succeeds.
        self.assertEqual(s["status_codes"].get("400", 0) + s["transport_errors"], 10,
                         describe(run))
        for e in self.nginx.root_entries("mtls"):
            self.assertEqual(e["status"], "400")
            self.assertTrue(e["ssl_client_verify"].startswith("FAILED"), e)

    # Connections, handshakes, resumption

    def test_disable_keepalive_opens_a_connection_per_request(self):
        run = self.run_ok(["-u", self.url(), "--cacert", self.certs.ca_pem,
                           "--disable-keepalive", "--requests", 100, "-m", 4])
        self.assert_all_ok(run, 100, protocol="HTTP/1.1")
        s = run.summary
        self.assertEqual(s["connections_opened"], 100, describe(run))
        self.assertEqual(s["tls_handshakes"], 100, describe(run))
        entries = self.assert_nginx_served(run, "tls", 100)
        self.assertEqual({e["connection_requests"] for e in entries}, {"1"})
        self.assertEqual(len(connections_of(entries)), 100)
        self.assert_phases(run, tls=True)
        self.assertEqual(s["phases"]["connect"]["count"], 100, describe(run))
        self.assertEqual(s["phases"]["tls_handshake"]["count"], 100, describe(run))

    def test_disable_keepalive_cleartext(self):
        run = self.run_ok(["-u", self.url("plain"), "--disable-keepalive", "--requests", 100,
                           "-m", 4])
        self.assert_all_ok(run, 100, protocol="HTTP/1.1")
        s = run.summary
        self.assertEqual(s["connections_opened"], 100, describe(run))
        self.assertEqual(s["tls_handshakes"], 0, describe(run))
        entries = self.nginx.root_entries("plain")
        self.assertEqual(len(entries), 100)
        self.assertEqual({e["connection_requests"] for e in entries}, {"1"})
        self.assert_phases(run, tls=False)

    def test_tls_sessions_are_resumed(self):
        for version in ("1.3", "1.2"):
            with self.subTest(tls=version):
                self.nginx.mark()
                run = self.run_ok(["-u", self.url(), "--cacert", self.certs.ca_pem,
                                   "--tls-min", version, "--tls-max", version,
                                   "--disable-keepalive", "--requests", 60, "-m", 2])
                self.assert_all_ok(run, 60)
                s = run.summary
                self.assertEqual(s["tls_handshakes"], 60, describe(run))
                self.assertGreater(s["tls_resumed"], 0, describe(run))
                self.assertLessEqual(s["tls_resumed"], s["tls_handshakes"], describe(run))
                entries = self.assert_nginx_served(run, "tls", 60,
                                                   ssl_protocols=(f"TLSv{version}",))
                resumed = sum(e["ssl_session_reused"] == "r" for e in entries)
                self.assertEqual(resumed, s["tls_resumed"], describe(run))

    def test_keepalive_counts_one_handshake_per_connection(self):
        run = self.run_ok(["-u", self.url(), "--cacert", self.certs.ca_pem, "--requests", 300,
                           "-m", 3, "--threads", 1])
        self.assert_all_ok(run, 300)
        s = run.summary
        self.assertEqual(s["connections_opened"], 3, describe(run))
        self.assertEqual(s["tls_handshakes"], 3, describe(run))
        self.assertEqual(len(connections_of(self.nginx.root_entries("tls"))), 3)

    def test_duration_run_matches_nginx(self):
        run = self.run_ok(["-u", self.url(), "--cacert", self.certs.ca_pem, "-t", "1s",
                           "-m", 8])
        s = run.summary
        total, cancelled = s["total_requests"], s["cancelled_requests"]
        self.assertGreater(total, 0, describe(run))
        self.assertEqual(s["successful_requests"], total, describe(run))
        served = len(self.nginx.root_entries("tls"))
        self.assertGreaterEqual(served, total, describe(run))
        self.assertLessEqual(served, total + cancelled, describe(run))

    def test_post_body_over_tls(self):
        run = self.run_ok(["-u", self.url(), "--cacert", self.certs.ca_pem, "-X", "POST",
                           "-d", "name=strest", "-H", "X-E2E-Tag: tls-post",
                           "--requests", 30, "-m", 2])
        self.assert_all_ok(run, 30)
        entries = self.nginx.root_entries("tls")
        self.assertEqual({(e["method"], e["x_e2e_tag"]) for e in entries}, {("POST", "tls-post")})
        self.assertEqual(len(entries), 30)

    # Bodies and closes

    def test_big_bodies_over_tls(self):
        run = self.run_ok(["-u", self.url("tls", "/big"), "--cacert", self.certs.ca_pem,
                           "--requests", 20, "-m", 2])
        self.assert_all_ok(run, 20, protocol="HTTP/1.1")
        self.assertGreaterEqual(run.summary["bytes_received"], 20 * BIG_SIZE, describe(run))
        entries = self.nginx.entries("tls")
        self.assertEqual([e["uri"] for e in entries], ["/big"] * 20)

    def test_server_closes_after_n_requests(self):
        # nginx says "Connection: close" on every 20th response of a connection: strest opens
        # a new one and no request fails.
        run = self.run_ok(["-u", self.url("short"), "--cacert", self.certs.ca_pem,
                           "--requests", 200, "-m", 4])
        self.assert_all_ok(run, 200, protocol="HTTP/1.1")
        entries = self.nginx.root_entries("short")
        self.assertEqual(len(entries), 200)
        self.assertLessEqual(max(int(e["connection_requests"]) for e in entries), 20)
        s = run.summary
        self.assertGreaterEqual(s["connections_opened"], 10, describe(run))
        self.assertEqual(s["connections_opened"], len(connections_of(entries)), describe(run))
        self.assertEqual(s["tls_handshakes"], s["connections_opened"], describe(run))

    def test_server_closes_without_answer(self):
        # nginx's 444 closes the TLS connection without a response.
        run = self.run_ok(["-u", self.url("tls", "/reset"), "--cacert", self.certs.ca_pem,
                           "--requests", 20, "-m", 2])
        s = run.summary
        self.assertEqual(s["total_requests"], 20, describe(run))
        self.assertEqual(s["transport_errors"], 20, describe(run))
        self.assertLessEqual(set(s["transport_error_kinds"]), {"closed_early", "reset"},
                             describe(run))
        self.assertEqual(len(self.nginx.entries("tls")), 20)

    # Config file

    def test_tls_settings_from_config_file(self):
        with tempfile.TemporaryDirectory(prefix="strest-tls-config-") as tmp:
            toml = Path(tmp) / "tls.toml"
            toml.write_text(f'url = "{self.url("mtls")}"\nrequests = 40\n'
                            f'cacert = "{self.certs.ca_pem}"\n'
                            f'cert = "{self.certs.client_pem}"\n'
                            f'key = "{self.certs.client_key}"\n'
                            'tls_min = "1.2"\ntls_max = "1.2"\n'
                            'disable_keepalive = true\n')
            run = self.run_ok(["--config", toml, "-m", 2], cwd=tmp)
            self.assert_all_ok(run, 40)
            self.assertEqual(run.summary["connections_opened"], 40, describe(run))
            entries = self.assert_nginx_served(run, "mtls", 40, ssl_protocols=("TLSv1.2",))
            self.assertEqual({e["ssl_client_verify"] for e in entries}, {"SUCCESS"})
            self.assertEqual({e["connection_requests"] for e in entries}, {"1"})

            self.nginx.mark()
            conf = Path(tmp) / "insecure.json"
            conf.write_text(json.dumps({"url": self.url("selfsigned"), "requests": 10,
                                        "insecure": True}))
            run = self.run_ok(["--config", conf, "-m", 2], cwd=tmp)
            self.assert_all_ok(run, 10)
            self.assertEqual(len(self.nginx.root_entries("selfsigned")), 10)

    def test_flags_override_config_tls_settings(self):
        with tempfile.TemporaryDirectory(prefix="strest-tls-config-") as tmp:
            toml = Path(tmp) / "tls.toml"
            toml.write_text(f'url = "{self.url()}"\nrequests = 20\n'
                            f'cacert = "{self.certs.ca_pem}"\ntls_max = "1.2"\n')
            run = self.run_ok(["--config", toml, "--tls-max", "1.3", "--tls-min", "1.3",
                               "-m", 2], cwd=tmp)
            self.assert_all_ok(run, 20)
            self.assert_nginx_served(run, "tls", 20, ssl_protocols=("TLSv1.3",))

    def test_ipv4_literal_host_is_not_sent_as_sni(self):
        # SNI must not carry an IP address (RFC 6066); nginx still answers the default server.
        run = self.run_ok(["-u", f"https://{LOOPBACK}:{self.nginx.ports['tls']}/",
                           "--cacert", self.certs.ca_pem, "--requests", 5, "-m", 1])
        self.assert_all_ok(run, 5)
        entries = self.nginx.root_entries("tls")
        self.assertEqual({(e["ssl_server_name"], e["host"]) for e in entries},
                         {("-", LOOPBACK)}, "an IP address was sent as SNI")


class TlsUsageTest(TransportTestCase):
    """TLS files that cannot be read: bad input, refused before anything is sent (exit 2, as
    for an unreadable data file; see docs/exit-codes.md)."""

    def test_missing_client_certificate_files_are_usage_errors(self):
        with temp_certs() as certs, tempfile.TemporaryDirectory(prefix="strest-tls-") as tmp:
            absent = str(Path(tmp) / "absent.pem")
            url = f"https://{LOOPBACK}:{refused_port()}/"
            for flags, named in ((["--cert", absent, "--key", certs.client_key], "--cert"),
                                 (["--cert", certs.client_pem, "--key", absent], "--key")):
                with self.subTest(missing=named):
                    self.assert_usage_error(["-u", url, "--insecure"] + flags +
                                            ["--requests", 1], mentions=(named, absent))


if __name__ == "__main__":
    unittest.main()
