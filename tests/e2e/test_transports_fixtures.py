"""The transport fixtures themselves, proven with other clients (curl, h2load, openssl s_client,
gtlsclient) and no strest: when a test_transports*.py test fails, this module says whether the
server side still behaves as those tests assume. curl (Debian package curl) and gtlsclient
(ngtcp2-client) are only needed here: without them these tests are skipped."""
import os
import shutil
import subprocess
import unittest

from harness import LOOPBACK, describe
from transport_fixtures import (BIG_SIZE, BODY, H3_BODY, PROXY_CREDENTIALS, Gtlsserver,
                                TransportTestCase, curl, temp_certs)

GTLSCLIENT_BIN = "/usr/bin/gtlsclient"
HAVE_CURL = shutil.which("curl") is not None


@unittest.skipUnless(HAVE_CURL, "curl not installed (Debian package curl)")
class NginxFixtureTest(TransportTestCase):
    @classmethod
    def setUpClass(cls):
        cls.start_nginx()
        cls.ca = cls.nginx.certs.ca_pem

    def get(self, url, *args):
        """(curl exit code, 'STATUS VERSION', stderr) of one GET with the test CA trusted."""
        code, out, err = curl(["--cacert", self.ca, "-o", "/dev/null",
                               "-w", "%{http_code} %{http_version}"] + list(args) + [url])
        return code, out, err

    def test_tls_server_speaks_h2_and_http11(self):
        self.assertEqual(self.get(self.nginx.url("tls"))[:2], (0, "200 2"))
        self.assertEqual(self.get(self.nginx.url("tls"), "--http1.1")[:2], (0, "200 1.1"))
        self.assertEqual(self.get(self.nginx.url("tls", host="localhost"))[:2], (0, "200 2"))
        entries = self.nginx.root_entries("tls")
        self.assertEqual([(e["server_protocol"], e["ssl_protocol"]) for e in entries],
                         [("HTTP/2.0", "TLSv1.3"), ("HTTP/1.1", "TLSv1.3"),
                          ("HTTP/2.0", "TLSv1.3")])
        self.assertEqual([e["ssl_server_name"] for e in entries], ["-", "-", "localhost"])

    def test_body(self):
        code, out, _ = curl(["--cacert", self.ca, self.nginx.url("tls")])
        self.assertEqual((code, out), (0, BODY))
        code, out, _ = curl(["--cacert", self.ca, "-o", "/dev/null", "-w", "%{size_download}",
                             self.nginx.url("tls", "/big")])
        self.assertEqual((code, out), (0, str(BIG_SIZE)))

    def test_tls_h1_server_has_no_h2(self):
        self.assertEqual(self.get(self.nginx.url("tls_h1"), "--http2")[:2], (0, "200 1.1"))

    def test_h2c_prior_knowledge(self):
        self.assertEqual(self.get(self.nginx.url("h2c"), "--http2-prior-knowledge")[:2],
                         (0, "200 2"))
        self.assertEqual(self.nginx.root_entries("h2c")[0]["server_protocol"], "HTTP/2.0")

    def test_tls_version_floor_and_ceiling(self):
        self.assertEqual(self.get(self.nginx.url("tls"), "--tls-max", "1.2")[:2], (0, "200 2"))
        self.assertEqual(self.nginx.root_entries("tls")[0]["ssl_protocol"], "TLSv1.2")
        code, _, err = self.get(self.nginx.url("tls12"), "--tlsv1.3")
        self.assertEqual(code, 35, err)
        self.assertIn("protocol version", err)
        code, _, err = self.get(self.nginx.url("tls13"), "--tls-max", "1.2")
        self.assertEqual(code, 35, err)
        self.assertIn("protocol version", err)
        self.assertEqual(self.get(self.nginx.url("tls12"))[:2], (0, "200 2"))
        self.assertEqual(self.get(self.nginx.url("tls13"))[:2], (0, "200 2"))

    def test_verification(self):
        code, _, err = curl(["-o", "/dev/null", self.nginx.url("tls")])
        self.assertEqual(code, 60, err)  # unable to get local issuer certificate
        code, _, err = self.get(self.nginx.url("selfsigned"))
        self.assertEqual(code, 60, err)
        code, out, _ = curl(["--cacert", self.nginx.certs.self_pem, "-o", "/dev/null",
                             "-w", "%{http_code}", self.nginx.url("selfsigned")])
        self.assertEqual((code, out), (0, "200"))
        code, out, _ = curl(["-k", "-o", "/dev/null", "-w", "%{http_code}",
                             self.nginx.url("selfsigned")])
        self.assertEqual((code, out), (0, "200"))

    def test_mutual_tls(self):
        certs = self.nginx.certs
        self.assertEqual(self.get(self.nginx.url("mtls"), "--cert", certs.client_pem,
                                  "--key", certs.client_key)[:2], (0, "200 2"))
        self.assertEqual(self.get(self.nginx.url("mtls"))[:2], (0, "400 2"))
        self.assertEqual(self.get(self.nginx.url("mtls"), "--cert", certs.self_pem,
                                  "--key", certs.self_key)[:2], (0, "400 2"))
        verdicts = [e["ssl_client_verify"] for e in self.nginx.root_entries("mtls")]
        self.assertEqual(verdicts[:2], ["SUCCESS", "NONE"])
        self.assertTrue(verdicts[2].startswith("FAILED"), verdicts)

    def test_session_resumption(self):
        session = f"{self.nginx.prefix}/fixture.session"
        port = self.nginx.ports["tls"]
        for flag in ("-sess_out", "-sess_in"):
            proc = subprocess.run(
                ["openssl", "s_client", "-connect", f"{LOOPBACK}:{port}", "-CAfile", self.ca,
                 "-alpn", "http/1.1", "-ign_eof", flag, session],
                input=b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                capture_output=True, timeout=20)
            self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual([e["ssl_session_reused"] for e in self.nginx.root_entries("tls")],
                         [".", "r"])

    def test_reset_and_close_after_n_requests(self):
        code, _, err = self.get(self.nginx.url("tls", "/reset"))
        self.assertEqual(code, 92, err)  # HTTP/2 stream not closed cleanly
        self.assertIn("PROTOCOL_ERROR", err)
        code, _, _ = self.get(self.nginx.url("tls", "/reset"), "--http1.1")
        self.assertEqual(code, 52)  # empty reply
        if shutil.which("h2load"):
            proc = subprocess.run(["h2load", "-n", "60", "-c", "1", "-m", "1", "--h1",
                                   self.nginx.url("short")], capture_output=True, timeout=30)
            self.assertIn(b"60 succeeded", proc.stdout)
            counts = [int(e["connection_requests"]) for e in self.nginx.root_entries("short")]
            self.assertEqual(max(counts), 20)

    def test_unix_socket(self):
        code, out, _ = curl(["--unix-socket", self.nginx.unix_socket, "-o", "/dev/null",
                             "-w", "%{http_code} %{http_version}", "http://localhost/"])
        self.assertEqual((code, out), (0, "200 1.1"))
        self.assertEqual(self.nginx.root_entries("unix")[0]["host"], "localhost")

    def test_stub_status(self):
        # stub_status counts every request and connection of the whole nginx, each read its
        # own: between two reads, exactly strest's requests and its one keep-alive connection,
        # plus the second read.
        before = self.nginx.stub_status()
        run = self.run_ok(["-u", self.nginx.url("plain"), "--requests", 37, "-m", 1])
        self.assert_all_ok(run, 37)
        after = self.nginx.stub_status()
        self.assertEqual(after["requests"] - before["requests"], 37 + 1, describe(run))
        self.assertEqual(after["accepts"] - before["accepts"], 1 + 1, describe(run))
        self.assertEqual(after["handled"] - before["handled"], 1 + 1, describe(run))


@unittest.skipUnless(HAVE_CURL, "curl not installed (Debian package curl)")
class TinyproxyFixtureTest(TransportTestCase):
    @classmethod
    def setUpClass(cls):
        cls.start_nginx_and_proxies()

    def via(self, proxy, url, *args):
        code, out, err = curl(["-x", proxy, "--cacert", self.nginx.certs.ca_pem,
                               "-o", "/dev/null", "-w", "%{http_code} %{http_version}"] +
                              list(args) + [url])
        return code, out

    def test_forward_and_connect(self):
        before = len(self.proxy.requests(settle=0.05))
        self.assertEqual(self.via(self.proxy.url(), self.nginx.url("plain")), (0, "200 1.1"))
        self.assertEqual(self.via(self.proxy.url(), self.nginx.url("tls")), (0, "200 2"))
        self.assertEqual(self.via(self.proxy.url(), self.nginx.url("h2c"), "-p",
                                  "--http2-prior-knowledge"), (0, "200 2"))
        self.assertEqual(self.proxy.requests()[before:], [
            f"GET {self.nginx.url('plain')} HTTP/1.1",
            f"CONNECT {LOOPBACK}:{self.nginx.ports['tls']} HTTP/1.1",
            f"CONNECT {LOOPBACK}:{self.nginx.ports['h2c']} HTTP/1.1"])
        self.assertIn("tinyproxy", self.nginx.root_entries("plain")[0]["http_via"])

    def test_credentials(self):
        good = self.auth_proxy.url(PROXY_CREDENTIALS)
        bad = self.auth_proxy.url((PROXY_CREDENTIALS[0], "wrong"))
        self.assertEqual(self.via(good, self.nginx.url("plain")), (0, "200 1.1"))
        self.assertEqual(self.via(good, self.nginx.url("tls")), (0, "200 2"))
        self.assertEqual(self.via(bad, self.nginx.url("plain")), (0, "401 1"))
        self.assertEqual(self.via(self.auth_proxy.url(), self.nginx.url("plain")),
                         (0, "407 1"))
        self.assertEqual(self.via(bad, self.nginx.url("tls"))[0], 56)  # CONNECT refused
        self.assertEqual(len(self.nginx.root_entries("plain")), 1)
        self.assertEqual(len(self.nginx.root_entries("tls")), 1)


@unittest.skipUnless(os.access(GTLSCLIENT_BIN, os.X_OK),
                     "gtlsclient not installed (Debian package ngtcp2-client)")
class GtlsserverFixtureTest(unittest.TestCase):
    def test_serves_http3(self):
        with temp_certs() as certs, \
                Gtlsserver(certs.server_pem, certs.server_key, quiet=False) as server:
            for path in ("/", "/missing"):
                proc = subprocess.run(
                    [GTLSCLIENT_BIN, "--no-quic-dump", "--exit-on-all-streams-close",
                     "--timeout=5s", "-n", "2", LOOPBACK, str(server.port), server.url(path)],
                    capture_output=True, timeout=30)
                self.assertEqual(proc.returncode, 0, proc.stderr[-2000:])
                status = "200" if path == "/" else "404"
                self.assertEqual(proc.stderr.count(f"[:status: {status}]".encode()), 2)
            self.assertEqual(server.request_paths(), ["/", "/", "/missing", "/missing"])
            self.assertEqual(server.handshakes(), 2)
        self.assertIn(b"strest http/3", H3_BODY.encode())


if __name__ == "__main__":
    unittest.main()
