"""The command line and config files: bad input is refused with one clear line and exit code 2
before anything is sent; config files are found, read, and overridden by flags."""
import json
import os
import re
import tempfile
import unittest
from pathlib import Path

from harness import StrestTarget, describe, error_lines, run_strest


class CliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.target = StrestTarget()
        cls.target.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.target.__exit__(None, None, None)

    def setUp(self):
        tmp = tempfile.TemporaryDirectory(prefix="strest-cli-")
        self.addCleanup(tmp.cleanup)
        self.cwd = Path(tmp.name)  # empty, so no strest.toml is discovered by accident
        self.sent_before = self.target.stats()

    def run_in_cwd(self, args, json_output=True, env=None):
        return run_strest(args, timeout=30, cwd=self.cwd, json_output=json_output, env=env)

    def assert_usage_error(self, args, mentions, env=None):
        """Exit 2, one line on stderr that names `mentions` (the flag, key or file at fault)."""
        run = self.run_in_cwd(args, json_output=False, env=env)
        self.assertEqual(run.returncode, 2, describe(run))
        lines = error_lines(run.stderr)
        self.assertEqual(len(lines), 1, f"expected one line on stderr: {lines}")
        self.assertTrue(lines[0].startswith("strest: error:"), lines[0])
        self.assertIn(mentions, lines[0])
        self.assertEqual(self.target.stats(), self.sent_before, "requests were sent")

    def write_config(self, name, text):
        (self.cwd / name).write_text(text)

    def test_unknown_flag(self):
        self.assert_usage_error(["-u", self.target.url(), "--requests", 1, "--no-such-flag"],
                                mentions="--no-such-flag")

    def test_bad_duration(self):
        self.assert_usage_error(["-u", self.target.url(), "-t", "2parsecs"], mentions="--duration")

    def test_missing_url(self):
        self.assert_usage_error(["--requests", 1], mentions="--url")

    def test_bad_url(self):
        self.assert_usage_error(["-u", "not a url", "--requests", 1], mentions="--url")

    def test_bad_status(self):
        for status in ("abc", "99999"):
            with self.subTest(status=status):
                self.assert_usage_error(["-u", self.target.url(), "--requests", 1, "-s", status],
                                        mentions="--status")

    def test_bad_request_count(self):
        self.assert_usage_error(["-u", self.target.url(), "--requests", "many"],
                                mentions="--requests")

    def test_no_ua_requires_authorized(self):
        self.assert_usage_error(["-u", self.target.url(), "--requests", 1, "--no-ua"],
                                mentions="--no-ua requires --authorized")

    def test_unknown_config_key(self):
        self.write_config("strest.toml", f'url = "{self.target.url()}"\nrequests = 1\n'
                                         'bogus_key = 1\n')
        self.assert_usage_error([], mentions="bogus_key")

    def test_missing_config_file(self):
        self.assert_usage_error(["--config", str(self.cwd / "absent.toml")], mentions="absent.toml")

    def test_invalid_toml(self):
        self.write_config("strest.toml", 'url = "http://127.0.0.1:1/\n')  # unterminated string
        self.assert_usage_error([], mentions="strest.toml: invalid TOML")

    def test_tls_flag_for_http_is_refused(self):
        self.assert_usage_error(["-u", self.target.url(), "--requests", 1, "--tls-min", "1.2"],
                                mentions="--tls-min applies to https:// URLs only")

    def test_config_tls_keys_for_http_warn_and_run(self):
        """The reference's example strest.toml: TLS keys with an http:// URL are ignored, each
        with one warning line naming the key and the file."""
        self.write_config("strest.toml", f'url = "{self.target.url()}"\nrequests = 3\n'
                                         'tls_min = "1.2"\ntls_max = "1.3"\nalpn = ["h2"]\n')
        run = self.run_in_cwd([])
        self.assertEqual(run.returncode, 0, describe(run))
        self.assertEqual(run.summary["total_requests"], 3, describe(run))
        warnings = [line for line in error_lines(run.stderr) if "warning" in line]
        self.assertEqual(warnings, [
            f"strest: warning: strest.toml: key '{key}' applies to https:// URLs only; ignored "
            "for this http:// run" for key in ("tls_min", "tls_max", "alpn")], describe(run))

    def test_strest_log_error_silences_warnings(self):
        self.write_config("strest.toml", f'url = "{self.target.url()}"\nrequests = 2\n'
                                         'tls_min = "1.2"\n')
        run = self.run_in_cwd([], env=dict(os.environ, STREST_LOG="error"))
        self.assertEqual(run.returncode, 0, describe(run))
        self.assertNotIn("warning", run.stderr, describe(run))

    def test_strest_log_debug_shows_the_request_head(self):
        run = self.run_in_cwd(["-u", self.target.url(), "--requests", 1],
                              env=dict(os.environ, STREST_LOG="debug"))
        self.assertEqual(run.returncode, 0, describe(run))
        self.assertIn("strest: request head", run.stderr, describe(run))

    def test_bad_strest_log_is_refused(self):
        self.assert_usage_error(["-u", self.target.url(), "--requests", 1],
                                mentions="STREST_LOG: 'loud' is not a log level: use error, warn, "
                                         "info or debug",
                                env=dict(os.environ, STREST_LOG="loud"))

    def test_config_auto_discovery(self):
        self.write_config("strest.toml", f'url = "{self.target.url()}"\nrequests = 25\n')
        run = self.run_in_cwd([])
        self.assertEqual(run.returncode, 0, describe(run))
        self.assertEqual(run.summary["total_requests"], 25, describe(run))
        self.assertEqual(run.summary["successful_requests"], 25, describe(run))
        self.assertEqual(self.target.stats() - self.sent_before, 25)

    def test_json_config_auto_discovery(self):
        self.write_config("strest.json", json.dumps({"url": self.target.url(), "requests": 12}))
        run = self.run_in_cwd([])
        self.assertEqual(run.returncode, 0, describe(run))
        self.assertEqual(run.summary["total_requests"], 12, describe(run))

    def test_toml_preferred_over_json(self):
        self.write_config("strest.toml", f'url = "{self.target.url()}"\nrequests = 6\n')
        self.write_config("strest.json", json.dumps({"url": self.target.url(), "requests": 9}))
        run = self.run_in_cwd([])
        self.assertEqual(run.returncode, 0, describe(run))
        self.assertEqual(run.summary["total_requests"], 6, describe(run))

    def test_explicit_config_file(self):
        path = self.cwd / "load.json"
        path.write_text(json.dumps({"url": self.target.url(), "requests": 15}))
        run = self.run_in_cwd(["--config", str(path)])
        self.assertEqual(run.returncode, 0, describe(run))
        self.assertEqual(run.summary["total_requests"], 15, describe(run))

    def test_cli_overrides_config(self):
        self.write_config("strest.toml", f'url = "{self.target.url("/status/500")}"\n'
                                         'requests = 25\n')
        run = self.run_in_cwd(["--requests", 7, "-u", self.target.url("/")])
        self.assertEqual(run.returncode, 0, describe(run))
        self.assertEqual(run.summary["total_requests"], 7, describe(run))
        self.assertEqual(run.summary["status_codes"], {"200": 7}, describe(run))

    def test_help(self):
        run = self.run_in_cwd(["--help"], json_output=False)
        self.assertEqual(run.returncode, 0, describe(run))
        for flag in ("--url", "--duration", "--requests", "--max-tasks"):
            self.assertIn(flag, run.stdout)

    def test_version(self):
        run = self.run_in_cwd(["--version"], json_output=False)
        self.assertEqual(run.returncode, 0, describe(run))
        self.assertRegex(run.stdout, re.compile(r"\d+\.\d+\.\d+"))


if __name__ == "__main__":
    unittest.main()
