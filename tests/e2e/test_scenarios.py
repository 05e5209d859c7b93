"""Scenario runs end to end (docs/scenarios.md): multi-step iterations against the built-in
target's scenario routes (/login, /profile, /checkout, ...; its /stats counts requests per
route) and against nginx over HTTP/1.1 and HTTP/2, with extraction, cookies, asserts, CSV
variables, the named registry, a WASM script, open loop, think time and replay.

Every run is short (at most 2 s of load); timing is only ever asserted loosely.
"""
import json
import os
import shutil
import socket
import subprocess
import tempfile
import unittest
from pathlib import Path

import harness
import transport_fixtures
from harness import LOOPBACK, StrestTarget, describe, error_lines, run_strest

# The per-step counters of a `steps` row that add up to the summary's totals.
STEP_TOTALS = {"requests": "total_requests", "ok": "successful_requests",
               "timeouts": "timeout_requests", "transport_errors": "transport_errors",
               "non_expected_status": "non_expected_status"}
LATENCY_KEYS = {"p50", "p90", "p99", "max", "mean"}


def toml_value(value):
    """A Python value as TOML: strings in JSON quoting (valid TOML basic strings), lists and
    inline tables."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML for {value!r}")


def scenario_toml(table, scenario):
    """`[table]` with the scenario's keys, then one `[[table.steps]]` per step."""
    lines = [f"[{table}]"]
    lines += [f"{k} = {toml_value(v)}" for k, v in scenario.items() if k != "steps"]
    for step in scenario.get("steps", []):
        lines += ["", f"[[{table}.steps]]"]
        lines += [f"{k} = {toml_value(v)}" for k, v in step.items()]
    return "\n".join(lines) + "\n"


def login_step(**extra):
    """POST /login for {{user}} that extracts the token (the session cookie comes along)."""
    step = {"name": "login", "method": "post", "path": "/login",
            "headers": ["Content-Type: application/json"], "data": '{"user": "{{user}}"}',
            "assert_status": 200, "extract": {"token": "json:$.token"}}
    step.update(extra)
    return step


def bearer_step(name, method, path, **extra):
    step = {"name": name, "method": method, "path": path,
            "headers": ["Authorization: Bearer {{token}}"], "assert_status": 200}
    step.update(extra)
    return step


def examples_dir():
    """Folder of the example WASM modules: $STREST_EXAMPLES_DIR, else examples/wasm next to
    the strest binary (build/strest -> build/examples/wasm)."""
    if os.environ.get("STREST_EXAMPLES_DIR"):
        return Path(os.environ["STREST_EXAMPLES_DIR"])
    return Path(harness.strest_bin()).resolve().parent / "examples" / "wasm"


def route_stats(target):
    """The target's /stats: {"requests": N, "routes": {"/login": n, ...}}."""
    status, body = harness.http_get(target.port, "/stats")
    if status != 200:
        raise RuntimeError(f"/stats answered {status}")
    return json.loads(body)


class TargetOnPort(StrestTarget):
    """`strest target` on a fixed port (the example WASM scenario names 127.0.0.1:8080)."""

    def __init__(self, port):
        super().__init__()
        self.port = port

    def __enter__(self):
        self.proc = subprocess.Popen(
            [harness.strest_bin(), "target", "--listen", f"{LOOPBACK}:{self.port}"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            harness.wait_for_port(self.port, timeout=5.0, proc=self.proc)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self


def port_is_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((LOOPBACK, port))
            return True
        except OSError:
            return False


class ScenarioTestCase(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="strest-scenarios-"))
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)

    def write_config(self, text, name="strest.toml"):
        path = self.dir / name
        path.write_text(text)
        return path

    def run_scenario(self, scenario, *args, table="scenario", prefix="", timeout=30):
        """Writes the scenario to a config file and runs strest with it and args."""
        config = self.write_config(prefix + scenario_toml(table, scenario))
        return run_strest(["--config", config, *args], timeout=timeout)

    def steps(self, run):
        """{name: row} of the summary's steps, after checking they add up to the totals."""
        s = run.summary
        self.assertIsNotNone(s, describe(run))
        self.assertIn("steps", s, describe(run))
        for step, total in STEP_TOTALS.items():
            self.assertEqual(sum(row[step] for row in s["steps"]), s[total],
                             f"steps' {step} vs {total}{describe(run)}")
        for row in s["steps"]:
            outcomes = (row["ok"] + row["non_expected_status"] + row["timeouts"]
                        + row["transport_errors"] + row["assert_failed"])
            self.assertEqual(outcomes, row["requests"], f"step {row['name']}{describe(run)}")
            self.assertEqual(set(row["latency_ms"]), LATENCY_KEYS, row)
        self.assertEqual(set(s["iterations"]), {"passed", "failed"}, describe(run))
        return {row["name"]: row for row in s["steps"]}

    def assert_one_line_error(self, run, *mentions):
        self.assertEqual(run.returncode, 2, describe(run))
        lines = error_lines(run.stderr)
        self.assertEqual(len(lines), 1, describe(run))
        for text in mentions:
            self.assertIn(text, lines[0], describe(run))


class TargetScenarioTest(ScenarioTestCase):
    """Scenarios against one built-in target (its /stats are compared as differences)."""

    @classmethod
    def setUpClass(cls):
        cls.target_cm = StrestTarget()
        cls.target = cls.target_cm.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.target_cm.__exit__(None, None, None)

    def routes_delta(self, before):
        after = route_stats(self.target)["routes"]
        return {route: after[route] - before["routes"][route] for route in after}

    def test_login_flow_with_extract_and_cookies(self):
        scenario = {"base_url": self.target.url(""), "vars": {"user": "alice"},
                    "steps": [login_step(),
                              bearer_step("profile", "get", "/profile"),
                              bearer_step("checkout", "post", "/checkout", data="{}")]}
        before = route_stats(self.target)
        run = self.run_scenario(scenario, "-t", "1s", "-m", 2)
        self.assertEqual(run.returncode, 0, describe(run))
        steps = self.steps(run)
        self.assertEqual([row["name"] for row in run.summary["steps"]],
                         ["login", "profile", "checkout"])
        for name, row in steps.items():
            self.assertGreater(row["requests"], 0, f"{name}{describe(run)}")
            self.assertEqual(row["ok"], row["requests"], f"{name}{describe(run)}")
            self.assertEqual(row["assert_failed"], 0, f"{name}{describe(run)}")
        # An iteration cut off by the deadline is the only gap between one step and the next.
        self.assertLessEqual(steps["checkout"]["requests"], steps["login"]["requests"])
        self.assertLessEqual(steps["login"]["requests"] - steps["checkout"]["requests"], 2 * 2)
        self.assertEqual(run.summary["iterations"]["failed"], 0, describe(run))
        self.assertGreater(run.summary["iterations"]["passed"], 0, describe(run))
        # The target saw each step's requests (plus at most the ones cut off at the deadline).
        served = self.routes_delta(before)
        cancelled = run.summary.get("cancelled_requests", 0)
        for name, route in (("login", "/login"), ("profile", "/profile"),
                            ("checkout", "/checkout")):
            self.assertGreaterEqual(served[route], steps[name]["requests"], describe(run))
            self.assertLessEqual(served[route], steps[name]["requests"] + cancelled, describe(run))

    def test_failed_status_assert_stops_the_iteration(self):
        scenario = {"base_url": self.target.url(""),
                    "steps": [{"name": "health", "path": "/health", "assert_status": 201},
                              {"name": "item", "path": "/items/{{seq}}"}]}
        run = self.run_scenario(scenario, "-t", "1s", "-m", 2)
        self.assertEqual(run.returncode, 0, describe(run))  # no threshold, so no failure exit
        steps = self.steps(run)
        health = steps["health"]
        self.assertGreater(health["requests"], 0, describe(run))
        self.assertEqual(health["assert_failed"], health["requests"], describe(run))
        self.assertEqual(health["non_expected_status"], 0, describe(run))
        self.assertEqual(steps.get("item", {"requests": 0})["requests"], 0, describe(run))
        self.assertEqual(run.summary["iterations"]["passed"], 0, describe(run))
        # Every iteration failed at its first step (one cut off at the deadline may count or not).
        failed = run.summary["iterations"]["failed"]
        self.assertLessEqual(abs(failed - health["requests"]), 2, describe(run))

    def test_body_contains_assert_passes_and_fails(self):
        scenario = {"base_url": self.target.url(""), "vars": {"query": "shoes"},
                    "steps": [{"name": "search", "path": "/search?q={{query}}",
                               "assert_body_contains": "{{query}} 3"},
                              {"name": "item", "path": "/items/7",
                               "assert_body_contains": "\"id\": 8"},
                              {"name": "never", "path": "/health"}]}
        run = self.run_scenario(scenario, "-t", "1s", "-m", 2)
        self.assertEqual(run.returncode, 0, describe(run))
        steps = self.steps(run)
        self.assertGreater(steps["search"]["requests"], 0, describe(run))
        self.assertEqual(steps["search"]["ok"], steps["search"]["requests"], describe(run))
        self.assertEqual(steps["search"]["assert_failed"], 0, describe(run))
        self.assertGreater(steps["item"]["requests"], 0, describe(run))
        self.assertEqual(steps["item"]["assert_failed"], steps["item"]["requests"], describe(run))
        self.assertEqual(steps["never"]["requests"], 0, describe(run))

    def test_unknown_variable_is_a_config_error(self):
        scenario = {"base_url": self.target.url(""), "vars": {"user": "x"},
                    "steps": [login_step(),
                              {"name": "profile", "path": "/profile",
                               "headers": ["Authorization: Bearer {{tokn}}"]}]}
        before = self.target.stats()
        run = self.run_scenario(scenario, "-t", "1s")
        self.assert_one_line_error(run, "profile", "tokn")
        self.assertEqual(self.target.stats(), before, "nothing was sent")

    def test_vars_from_csv_cycles_through_the_rows(self):
        # Rows 1, 2, x: every third iteration asks for /items/x, which is a 404.
        data = self.dir / "data"
        data.mkdir()
        (data / "items.csv").write_text("id\n1\n2\nx\n")
        scenario = {"base_url": self.target.url(""), "vars_from_csv": "items.csv",
                    "steps": [{"name": "item", "path": "/items/{{id}}"}]}
        config = data / "strest.toml"
        config.write_text(scenario_toml("scenario", scenario))
        run = run_strest(["--config", config, "-t", "1s", "-m", 3], cwd=self.dir)
        self.assertEqual(run.returncode, 0, describe(run))
        item = self.steps(run)["item"]
        self.assertGreater(item["requests"], 30, describe(run))
        # Iteration i uses row i mod 3; iterations cut off at the end blur it by a few.
        self.assertLessEqual(abs(3 * item["non_expected_status"] - item["requests"]), 3 * 3 + 3,
                             describe(run))
        self.assertEqual(run.summary["status_codes"].keys(), {"200", "404"}, describe(run))

    def test_named_scenarios_and_the_scenario_flag(self):
        base = self.target.url("")
        text = (f"url = {json.dumps(base)}\n\n"
                + scenario_toml("scenarios.health",
                                {"steps": [{"name": "health", "path": "/health"}]})
                + "\n"
                + scenario_toml("scenarios.shop",
                                {"vars": {"user": "bob"},
                                 "steps": [login_step(), {"name": "item", "path": "/items/3"}]}))
        config = self.write_config(text)
        run = run_strest(["--config", config, "--scenario", "shop", "-t", "1s", "-m", 2])
        self.assertEqual(run.returncode, 0, describe(run))
        self.assertEqual([row["name"] for row in run.summary["steps"]], ["login", "item"])
        self.assertEqual(sum(r["ok"] for r in self.steps(run).values()),
                         run.summary["total_requests"])
        missing = run_strest(["--config", config, "--scenario", "nope", "-t", "1s"])
        self.assert_one_line_error(missing, "nope")

    def test_steps_without_names_are_numbered(self):
        scenario = {"base_url": self.target.url(""),
                    "steps": [{"path": "/health"}, {"method": "get", "path": "/items/1"}]}
        run = self.run_scenario(scenario, "-t", "500ms", "-m", 1)
        self.assertEqual(run.returncode, 0, describe(run))
        self.assertEqual([row["name"] for row in run.summary["steps"]], ["step 1", "step 2"])

    def test_open_loop_rate_counts_iterations(self):
        scenario = {"base_url": self.target.url(""),
                    "steps": [{"name": "health", "path": "/health"},
                              {"name": "item", "path": "/items/{{seq}}"}]}
        run = self.run_scenario(scenario, "--rate", 50, "-t", "2s", "-m", 4)
        self.assertEqual(run.returncode, 0, describe(run))
        steps = self.steps(run)
        iterations = run.summary["iterations"]["passed"] + run.summary["iterations"]["failed"]
        # --rate 50 for 2 s: about 100 iterations of 2 requests (loose: a shared machine).
        self.assertTrue(60 <= iterations <= 140, describe(run))
        self.assertTrue(60 <= steps["health"]["requests"] <= 140, describe(run))
        self.assertTrue(120 <= run.summary["total_requests"] <= 280, describe(run))

    def test_think_time_spaces_iterations(self):
        scenario = {"base_url": self.target.url(""),
                    "steps": [{"name": "health", "path": "/health", "think_time": "200ms"},
                              {"name": "item", "path": "/items/1"}]}
        run = self.run_scenario(scenario, "-m", 1, "-t", "2s")
        self.assertEqual(run.returncode, 0, describe(run))
        steps = self.steps(run)
        # One connection, 200 ms after every first step: at most about 10 iterations in 2 s.
        self.assertTrue(2 <= steps["health"]["requests"] <= 11, describe(run))
        self.assertLessEqual(steps["item"]["requests"], steps["health"]["requests"])

    def test_replay_gives_the_same_steps(self):
        scenario = {"base_url": self.target.url(""), "vars": {"user": "carol"},
                    "steps": [login_step(), bearer_step("profile", "get", "/profile"),
                              {"name": "missing", "path": "/items/none", "assert_status": 200}]}
        tmp = self.dir / "tmp"
        live = self.run_scenario(scenario, "-t", "1s", "-m", 2, "--keep-tmp", "--tmp-path", tmp)
        self.assertEqual(live.returncode, 0, describe(live))
        self.steps(live)
        replay = run_strest(["--replay", "--tmp-path", tmp], timeout=60)
        self.assertEqual(replay.returncode, 0, describe(replay))
        self.assertEqual(replay.summary["steps"], live.summary["steps"])
        self.assertEqual(replay.summary["iterations"], live.summary["iterations"])
        self.assertEqual(replay.summary["total_requests"], live.summary["total_requests"])


class ScriptScenarioTest(ScenarioTestCase):
    def example(self):
        path = examples_dir() / "interesting.wasm"
        if not path.is_file():
            self.fail(f"{path} not found: build the examples (cmake --build build) or set "
                      "STREST_EXAMPLES_DIR")
        return path

    def test_example_script_runs_against_the_target(self):
        # The example names http://127.0.0.1:8080 (strest target's usual address).
        if not port_is_free(8080):
            self.skipTest("127.0.0.1:8080 is taken; the example script needs it")
        with TargetOnPort(8080) as target:
            run = run_strest(["--script", self.example(), "-t", "1s", "-m", 2])
            served = route_stats(target)["routes"]
        self.assertEqual(run.returncode, 0, describe(run))
        steps = self.steps(run)
        self.assertEqual(list(steps), ["health", "login", "search", "item", "checkout"])
        for name, row in steps.items():
            self.assertGreater(row["requests"], 0, f"{name}{describe(run)}")
            self.assertEqual(row["ok"], row["requests"], f"{name}{describe(run)}")
        self.assertGreaterEqual(served["/checkout"], steps["checkout"]["requests"])

    def test_script_and_a_scenario_config_are_refused(self):
        config = self.write_config(scenario_toml(
            "scenario", {"base_url": "http://127.0.0.1:9/", "steps": [{"path": "/"}]}))
        run = run_strest(["--config", config, "--script", self.example(), "-t", "1s"])
        self.assertEqual(run.returncode, 2, describe(run))
        self.assertEqual(len(error_lines(run.stderr)), 1, describe(run))
        self.assertIn("--script", run.stderr, describe(run))


class NginxScenarioTest(ScenarioTestCase):
    """A 2-step scenario on nginx: its access log has every request the summary counts."""

    @classmethod
    def setUpClass(cls):
        cls.nginx_cm = transport_fixtures.TransportNginx(servers=["plain", "h2c"])
        cls.nginx = cls.nginx_cm.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.nginx_cm.__exit__(None, None, None)

    def run_on(self, server, *flags):
        self.nginx.mark()
        scenario = {"steps": [{"name": "root", "path": "/", "assert_status": 200},
                              {"name": "query", "path": "/?s={{seq}}&step={{step}}",
                               "assert_body_contains": "transport ok"}]}
        run = self.run_scenario(scenario, "-u", self.nginx.url(server), "-t", "1s", "-m", 4,
                                *flags)
        self.assertEqual(run.returncode, 0, describe(run))
        s = run.summary
        steps = self.steps(run)
        self.assertGreater(s["total_requests"], 0, describe(run))
        self.assertEqual(s["successful_requests"], s["total_requests"], describe(run))
        self.assertLessEqual(steps["root"]["requests"] - steps["query"]["requests"], 4)
        entries = self.nginx.root_entries(server)
        cancelled = s.get("cancelled_requests", 0)
        self.assertGreaterEqual(len(entries), s["total_requests"], describe(run))
        self.assertLessEqual(len(entries), s["total_requests"] + cancelled, describe(run))
        return entries

    def test_http1(self):
        entries = self.run_on("plain")
        self.assertEqual({e["server_protocol"] for e in entries}, {"HTTP/1.1"})

    def test_http2(self):
        entries = self.run_on("h2c", "--http2")
        self.assertEqual({e["server_protocol"] for e in entries}, {"HTTP/2.0"})


if __name__ == "__main__":
    unittest.main()
