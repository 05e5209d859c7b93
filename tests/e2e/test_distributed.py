"""Distributed runs end to end (docs/distributed.md): a controller and its agents as separate
strest processes on 127.0.0.1 against nginx. What the agents send is what nginx served, the
weights split the work, the merged percentiles are those of the union of the agents' run logs,
a dead agent is named in the summary, a dead controller leaves no agent sending, a wrong token
is refused, the manual control plane starts, stops and reports, and a standby agent comes back
to a restarted controller.

Every process is bounded by a timeout and killed in cleanup if still running.
"""
import http.client
import json
import math
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time
import unittest
from fractions import Fraction
from pathlib import Path

from harness import LOOPBACK, Nginx, free_port, stop_process, strest_bin, wait_for_port

# Run log (docs/run-log.md): a 32-byte header, then 40-byte records.
RUN_LOG_HEADER = 32
RUN_LOG_RECORD = struct.Struct("<QqIIIHBBHHI")
OUTCOME_EVENT = 255
LATENCY_OUTCOMES = {0, 1, 4}  # ok, non-expected status, assert failed: latency samples
# The agents' own heartbeat timeout (--agent-heartbeat-timeout-ms's default): an agent that
# stops hearing its controller stops its load within it.
HEARTBEAT_TIMEOUT_S = 3.0


def dist_process_env():
    """The environment of a controller or agent process. Under ASan (ASAN_OPTIONS set), without
    LeakSanitizer's exit check: its scan of the thread-local storage of libraries loaded at run
    time (gRPC, loaded with libstrest_dist.so) crashes now and then ("Tracer caught signal 11"
    in ScanRangeForPointers, a sanitizer runtime bug), failing an agent that did all its work.
    strest_dist_tests runs the same controller and agent code in one process, gRPC linked at
    build time, with leak checking on."""
    env = dict(os.environ)
    if "ASAN_OPTIONS" in env:
        env["ASAN_OPTIONS"] += ":detect_leaks=0"  # the last setting of an option wins
    return env


class StrestProcess:
    """One strest process in the background, its stdout and stderr in files of `folder`;
    `wrapper` runs it through another command (`ip netns exec NAME`)."""

    def __init__(self, name, args, folder, wrapper=()):
        self.name = name
        self.args = [str(a) for a in args]
        self.out_path = Path(folder) / f"{name}.stdout"
        self.err_path = Path(folder) / f"{name}.stderr"
        with open(self.out_path, "wb") as out, open(self.err_path, "wb") as err:
            self.proc = subprocess.Popen(list(wrapper) + [strest_bin()] + self.args,
                                         stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                         env=dist_process_env())

    def stderr(self):
        return self.err_path.read_text(errors="replace")

    def stdout(self):
        return self.out_path.read_text(errors="replace")

    def running(self):
        return self.proc.poll() is None

    def describe(self):
        return (f"\n--- {self.name} (exit {self.proc.poll()}): strest {' '.join(self.args)}\n"
                f"stderr: {self.stderr()[-1500:]}\nstdout: {self.stdout()[-1500:]}")

    def wait_for_stderr(self, pattern, timeout=20.0):
        """The first match of regex `pattern` in stderr; fails if the process exits first or
        nothing matches within timeout seconds."""
        deadline = time.monotonic() + timeout
        while True:
            match = re.search(pattern, self.stderr())
            if match:
                return match
            if not self.running():
                match = re.search(pattern, self.stderr())
                if match:
                    return match
                raise AssertionError(f"{self.name} exited before printing {pattern!r}"
                                     + self.describe())
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name} printed no {pattern!r} within {timeout} s"
                                     + self.describe())
            time.sleep(0.05)

    def wait(self, timeout):
        """The exit code; fails (and kills it) if it runs past timeout seconds."""
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
            raise AssertionError(f"{self.name} ran past {timeout} s and was killed"
                                 + self.describe())

    def stop(self):
        stop_process(self.proc, signal.SIGTERM, grace=5.0)


def wait_until(condition, timeout, what, step=0.05):
    """Polls condition() until it returns a true value (returned); fails after timeout s."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(step)


def hdr_bucket(value):
    """[lowest, highest] equivalent values of value's bucket in strest's latency histograms
    (HdrHistogram, lowest 1, 3 significant digits: 2048 sub-buckets)."""
    shift = max((value | 2047).bit_length() - 11, 0)
    low = (value >> shift) << shift
    return low, low + (1 << shift) - 1


def run_log_latencies(folder):
    """Latency (µs) of every request record that is a latency sample, in every run log of
    folder, and the number of request records."""
    latencies, requests = [], 0
    logs = sorted(Path(folder).glob("strest-run-*.srl"))
    for log in logs:
        data = log.read_bytes()
        if len(data) < RUN_LOG_HEADER:
            continue  # just created: its header is still on its way
        assert data[:8] == b"STRESTLG", f"{log} is not a run log"
        end = RUN_LOG_HEADER + (len(data) - RUN_LOG_HEADER) // RUN_LOG_RECORD.size * \
            RUN_LOG_RECORD.size
        for fields in RUN_LOG_RECORD.iter_unpack(data[RUN_LOG_HEADER:end]):
            outcome = fields[6]
            if outcome == OUTCOME_EVENT:
                continue
            requests += 1
            if outcome in LATENCY_OUTCOMES:
                latencies.append(fields[2])
    return logs, latencies, requests


def expected_percentile_us(latencies, percentile):
    """What strest reports as this percentile (a Fraction) of these samples: the highest
    equivalent value of the bucket holding the sample at rank ceil(percentile / 100 * n), never
    above the maximum."""
    ordered = sorted(latencies)
    rank = max(1, math.ceil(percentile * len(ordered) / 100))
    return min(hdr_bucket(ordered[rank - 1])[1], ordered[-1]), ordered[rank - 1]


class Control:
    """The manual control plane at 127.0.0.1:port (http.client, one request per connection)."""

    def __init__(self, port, token):
        self.port = port
        self.token = token

    def call(self, method, path, body=None, token=None):
        """(status, parsed JSON body) of one request; token None uses the right one, "" none."""
        token = self.token if token is None else token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if body is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(body) if not isinstance(body, str) else body
        conn = http.client.HTTPConnection(LOOPBACK, self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
        finally:
            conn.close()

    def status(self):
        code, body = self.call("GET", "/status")
        assert code == 200, f"GET /status answered {code}: {body}"
        return body


class DistributedTest(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="strest-dist-"))
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)
        self.nginx = Nginx()
        self.nginx.__enter__()
        self.addCleanup(self.nginx.__exit__, None, None, None)
        self.processes = []
        self.addCleanup(self.stop_all)

    def stop_all(self):
        for process in self.processes:
            process.stop()

    def describe_all(self):
        return "".join(p.describe() for p in self.processes)

    def start(self, name, args):
        process = StrestProcess(name, list(args) + ["--no-tui"], self.dir)
        self.processes.append(process)
        return process

    def start_controller(self, args, name="controller", listen=f"{LOOPBACK}:0"):
        """A controller writing its JSON summary to <dir>/<name>.json; returns it and the port
        it listens on."""
        summary = self.dir / f"{name}.json"
        controller = self.start(name, ["--controller-listen", listen, "--no-charts",
                                       "-o", summary, "--output-format", "json"] + list(args))
        controller.summary_path = summary
        port = int(controller.wait_for_stderr(r"listening on port (\d+)").group(1))
        return controller, port

    def start_agent(self, port, agent_id, args=()):
        """An agent joining 127.0.0.1:port, keeping its run log in <dir>/logs-<agent_id>."""
        logs = self.dir / f"logs-{agent_id}"
        logs.mkdir(exist_ok=True)
        agent = self.start(agent_id, ["--agent-join", f"{LOOPBACK}:{port}", "--agent-id",
                                      agent_id, "--keep-tmp", "--tmp-path", logs] + list(args))
        agent.logs = logs
        return agent

    def summary_of(self, controller):
        try:
            return json.loads(controller.summary_path.read_text())
        except (OSError, ValueError) as error:
            raise AssertionError(f"no JSON summary from the controller ({error})"
                                 + self.describe_all())

    def served(self):
        """Requests nginx answered on '/' so far (its access log)."""
        return sum(1 for e in self.nginx.access_entries() if e["uri"] == "/")

    def wait_until_served_settles(self, timeout, quiet=0.5):
        """Waits until nginx's count holds still for `quiet` s; (count, monotonic time when it
        last rose)."""
        deadline = time.monotonic() + timeout
        last, last_rise = self.served(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.1)
            now = self.served()
            if now != last:
                last, last_rise = now, time.monotonic()
            elif time.monotonic() - last_rise >= quiet:
                return last, last_rise
        raise AssertionError(f"nginx still serving {timeout} s later" + self.describe_all())

    def agents_by_id(self, summary):
        self.assertTrue("agents" in summary, f"no agent list in the summary: {sorted(summary)}")
        return {a["agent_id"]: a for a in summary["agents"]}

    # --- three agents, their weights, the merged numbers -------------------------------------

    def test_three_agents_merge_to_nginx_count_by_weight_with_exact_p99(self):
        controller, port = self.start_controller(
            ["-u", self.nginx.url, "--requests", 6000, "-m", 6, "--min-agents", 3,
             "--agent-wait-timeout-ms", 30000])
        weights = {"a1": 1, "a2": 2, "a3": 3}
        agents = [self.start_agent(port, name, ["--agent-weight", w])
                  for name, w in weights.items()]
        self.assertEqual(controller.wait(90), 0, self.describe_all())
        for agent in agents:
            self.assertEqual(agent.wait(30), 0, self.describe_all())
        s = self.summary_of(controller)
        info = json.dumps({k: v for k, v in s.items() if k not in ("series", "phases")})[:1500]

        # Merged totals are what nginx served.
        self.assertEqual(s["total_requests"], 6000, info)
        self.assertEqual(s["successful_requests"], 6000, info)
        self.assertEqual(s["status_codes"], {"200": 6000}, info)
        self.assertEqual(len(self.nginx.root_entries()), 6000, info)

        # The merged p99 is the p99 of the union of the agents' run logs.
        union = []
        for agent in agents:
            logs, latencies, requests = run_log_latencies(agent.logs)
            self.assertTrue(logs, f"{agent.name} kept no run log in {agent.logs}")
            self.assertEqual(requests, 1000 * weights[agent.name], agent.name)
            union += latencies
        self.assertEqual(len(union), 6000)
        for key, percentile in (("p99", Fraction(99)), ("p50", Fraction(50)),
                                ("p90", Fraction(90)), ("p999", Fraction(999, 10))):
            expected, exact = expected_percentile_us(union, percentile)
            self.assertEqual(round(s[f"{key}_latency_ms"] * 1000), expected,
                             f"{key}: exact value of the union {exact} µs, in the HDR bucket "
                             f"{hdr_bucket(exact)}")
        self.assertEqual(round(s["max_latency_ms"] * 1000), max(union))
        self.assertEqual(round(s["min_latency_ms"] * 1000), min(union))

        # Requests split by weight: 1000, 2000, 3000.
        listed = self.agents_by_id(s)
        self.assertEqual(set(listed), set(weights), info)
        for name, weight in weights.items():
            self.assertEqual(listed[name]["weight"], weight, info)
            self.assertEqual(listed[name]["requests"], 1000 * weight, info)
            self.assertEqual(listed[name]["errors"], 0, info)
            self.assertEqual(listed[name]["health"], "healthy", info)
            self.assertIsNone(listed[name]["dropped_ms"], info)

    def test_weights_split_an_open_loop_rate(self):
        controller, port = self.start_controller(
            ["-u", self.nginx.url, "--rate", 1200, "-t", "3s", "-m", 12, "--min-agents", 3,
             "--agent-wait-timeout-ms", 30000])
        weights = {"w1": 1, "w2": 2, "w3": 3}
        agents = [self.start_agent(port, name, ["--agent-weight", w])
                  for name, w in weights.items()]
        self.assertEqual(controller.wait(90), 0, self.describe_all())
        for agent in agents:
            self.assertEqual(agent.wait(30), 0, self.describe_all())
        s = self.summary_of(controller)
        # Each agent's requests, from its own run log: the split is by weight.
        sent = {agent.name: run_log_latencies(agent.logs)[2] for agent in agents}
        total = sum(sent.values())
        self.assertEqual(total, s["total_requests"], sent)
        self.assertGreater(total, 0)
        for name, weight in weights.items():
            self.assertAlmostEqual(sent[name] / total, weight / 6, delta=0.02 * weight / 6,
                                   msg=f"{name}: {sent}")
        # The summary's agent list says the same.
        listed = self.agents_by_id(s)
        self.assertEqual({name: a["requests"] for name, a in listed.items()}, sent)
        # Requests cut off at the end are not counted but may have reached nginx.
        served = len(self.nginx.root_entries())
        self.assertGreaterEqual(served, s["total_requests"])
        self.assertLessEqual(served, s["total_requests"] + s["cancelled_requests"])

    # --- faults -------------------------------------------------------------------------------

    def test_killed_agent_is_named_and_the_run_completes(self):
        controller, port = self.start_controller(
            ["-u", self.nginx.url, "-t", "5s", "-m", 3, "--min-agents", 3,
             "--agent-wait-timeout-ms", 30000, "--stream-summaries", "--stream-interval-ms", 200,
             "--agent-heartbeat-timeout-ms", 1500])
        agents = {name: self.start_agent(port, name) for name in ("k1", "k2", "k3")}
        victim = agents["k2"]
        victim.wait_for_stderr(r"run \d+ started", timeout=30)
        wait_until(lambda: run_log_latencies(victim.logs)[2] > 0, 20,
                   "the victim's first requests")
        # Nothing tells when the controller has a victim's snapshot: give it five intervals.
        time.sleep(1.0)
        victim.proc.send_signal(signal.SIGKILL)
        victim.proc.wait(timeout=10)

        self.assertEqual(controller.wait(60), 0, self.describe_all())
        for name in ("k1", "k3"):
            self.assertEqual(agents[name].wait(30), 0, self.describe_all())
        s = self.summary_of(controller)
        listed = self.agents_by_id(s)
        info = json.dumps(listed)
        self.assertEqual(listed["k2"]["health"], "dropped", info)
        self.assertIsNotNone(listed["k2"]["dropped_ms"], info)
        self.assertGreater(listed["k2"]["requests"], 0, "what it sent until then: " + info)
        for name in ("k1", "k3"):
            self.assertEqual(listed[name]["health"], "healthy", info)
            self.assertIsNone(listed[name]["dropped_ms"], info)
        self.assertEqual(s["total_requests"], sum(a["requests"] for a in listed.values()), info)
        self.assertIn("k2", controller.stdout() + controller.stderr())

    def test_agents_stop_when_the_controller_dies(self):
        controller, port = self.start_controller(
            ["-u", self.nginx.url, "-t", "60s", "-m", 2, "--min-agents", 2,
             "--agent-wait-timeout-ms", 30000])
        agents = [self.start_agent(port, name) for name in ("o1", "o2")]
        for agent in agents:
            agent.wait_for_stderr(r"run \d+ started", timeout=30)
        wait_until(lambda: self.served() > 100, 20, "load to reach nginx")
        controller.proc.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        controller.proc.wait(timeout=10)

        _, last_rise = self.wait_until_served_settles(timeout=HEARTBEAT_TIMEOUT_S + 10)
        self.assertLessEqual(last_rise - killed_at, HEARTBEAT_TIMEOUT_S + 2.0,
                             "agents kept sending after losing their controller"
                             + self.describe_all())
        for agent in agents:
            self.assertNotEqual(agent.wait(HEARTBEAT_TIMEOUT_S + 10), 0, agent.describe())
            self.assertIn("lost the controller", agent.stderr(), agent.describe())

    def test_wrong_token_is_refused(self):
        controller, port = self.start_controller(
            ["-u", self.nginx.url, "--requests", 10, "--min-agents", 1, "--auth-token", "right"])
        agent = self.start_agent(port, "intruder", ["--auth-token", "wrong"])
        self.assertEqual(agent.wait(30), 2, agent.describe())
        self.assertIn("refused this agent", agent.stderr(), agent.describe())
        self.assertIn("--auth-token", agent.stderr(), agent.describe())
        untokened = self.start_agent(port, "anonymous")
        self.assertEqual(untokened.wait(30), 2, untokened.describe())
        self.assertTrue(controller.running(), controller.describe())
        self.assertEqual(self.served(), 0)

        # The right token joins and the run goes on.
        friend = self.start_agent(port, "friend", ["--auth-token", "right"])
        self.assertEqual(controller.wait(60), 0, self.describe_all())
        self.assertEqual(friend.wait(30), 0, friend.describe())
        s = self.summary_of(controller)
        self.assertEqual(s["total_requests"], 10)
        self.assertEqual(list(self.agents_by_id(s)), ["friend"])

    def test_standby_agent_reconnects_after_a_controller_restart(self):
        listen = f"{LOOPBACK}:{free_port()}"
        first, port = self.start_controller(
            ["-u", self.nginx.url, "--requests", 200, "-m", 2, "--min-agents", 1],
            name="first", listen=listen)
        agent = self.start_agent(port, "standby",
                                 ["--agent-standby", "--agent-reconnect-ms", 200])
        self.assertEqual(first.wait(60), 0, self.describe_all())
        self.assertEqual(self.summary_of(first)["total_requests"], 200)

        # The first controller is gone; the agent stays and retries.
        agent.wait_for_stderr(r"(lost|cannot reach) the controller", timeout=20)
        self.assertTrue(agent.running(), agent.describe())
        second, _ = self.start_controller(
            ["-u", self.nginx.url, "--requests", 300, "-m", 2, "--min-agents", 1,
             "--agent-wait-timeout-ms", 30000],
            name="second", listen=listen)
        self.assertEqual(second.wait(60), 0, self.describe_all())
        s = self.summary_of(second)
        self.assertEqual(s["total_requests"], 300)
        self.assertEqual(list(self.agents_by_id(s)), ["standby"])
        self.assertEqual(len(self.nginx.root_entries()), 500)
        self.assertTrue(agent.running(), "a standby agent stays between runs" + agent.describe())
        self.assertEqual(len(re.findall(r"joined the controller", agent.stderr())), 2,
                         agent.describe())

    # --- manual mode --------------------------------------------------------------------------

    def test_manual_start_stop_and_status(self):
        control_port = free_port()
        controller, port = self.start_controller(
            ["-u", self.nginx.url, "-t", "60s", "-m", 2, "--min-agents", 2,
             "--controller-mode", "manual", "--control-listen", f"{LOOPBACK}:{control_port}",
             "--control-auth-token", "ctl-secret", "--stream-summaries",
             "--stream-interval-ms", 200])
        wait_for_port(control_port, timeout=20, proc=controller.proc)
        control = Control(control_port, "ctl-secret")
        for agent_id in ("m1", "m2"):
            self.start_agent(port, agent_id, ["--agent-standby"])

        self.assertEqual(control.call("GET", "/status", token="")[0], 401)
        self.assertEqual(control.call("POST", "/start", {}, token="wrong")[0], 401)
        wait_until(lambda: len(control.status()["agents"]) == 2, 30, "two agents in /status")
        status = control.status()
        self.assertEqual(status["state"], "idle", status)
        self.assertEqual(sorted(a["agent_id"] for a in status["agents"]), ["m1", "m2"], status)
        self.assertEqual(self.served(), 0, "nothing runs before POST /start")

        code, body = control.call("POST", "/start", {"scenario_name": "nope"})
        self.assertEqual(code, 404, body)
        self.assertIn("unknown scenario 'nope'", body["error"])
        code, body = control.call("POST", "/start", {"start_after_ms": "soon"})
        self.assertEqual(code, 400, body)
        self.assertIn("start_after_ms", body["error"])

        code, body = control.call("POST", "/start", {"start_after_ms": 100})
        self.assertEqual(code, 202, body)
        self.assertEqual(control.call("POST", "/start", {})[0], 409)
        wait_until(lambda: self.served() > 100, 30, "load to reach nginx")
        status = wait_until(lambda: (lambda st: st if st["state"] == "running" and
                                     st.get("totals", {}).get("requests", 0) > 0 else None)(
            control.status()), 20, "a running state with live totals")
        self.assertEqual(status["runs"], 1, status)

        code, body = control.call("POST", "/stop")
        self.assertEqual(code, 200, body)
        wait_until(lambda: control.status()["state"] == "idle", 20, "the run to end")
        self.wait_until_served_settles(timeout=10)
        self.assertEqual(control.call("POST", "/stop")[0], 409)
        status = control.status()
        self.assertGreater(status["totals"]["requests"], 0, status)
        self.assertTrue(controller.running(), "the controller waits for the next /start"
                        + controller.describe())

        # An inline scenario with a name is stored and runs again by name.
        probe = {"steps": [{"path": "/probe"}]}
        code, body = control.call("POST", "/start", {"scenario_name": "probe", "scenario": probe})
        self.assertEqual(code, 202, body)
        wait_until(lambda: any(e["uri"] == "/probe" for e in self.nginx.access_entries()), 30,
                   "the inline scenario's requests")
        self.assertEqual(control.call("POST", "/stop")[0], 200)
        wait_until(lambda: control.status()["state"] == "idle", 20, "the run to end")
        self.wait_until_served_settles(timeout=10)
        before = sum(1 for e in self.nginx.access_entries() if e["uri"] == "/probe")
        code, body = control.call("POST", "/start", {"scenario_name": "probe"})
        self.assertEqual(code, 202, body)
        wait_until(lambda: sum(1 for e in self.nginx.access_entries()
                               if e["uri"] == "/probe") > before, 30, "the stored scenario")
        self.assertEqual(control.call("POST", "/stop")[0], 200)
        wait_until(lambda: control.status()["runs"] == 3 and control.status()["state"] == "idle",
                   20, "the third run to end")


class DistributedStartupTest(unittest.TestCase):
    """Refusals before any agent joins: they need no nginx."""

    def run_strest(self, *args):
        return subprocess.run([strest_bin()] + [str(a) for a in args] + ["--no-tui"],
                              capture_output=True, text=True, timeout=30,
                              stdin=subprocess.DEVNULL)

    def test_non_loopback_controller_needs_a_token(self):
        run = self.run_strest("--controller-listen", "0.0.0.0:0", "-u", "http://127.0.0.1:1/")
        self.assertEqual(run.returncode, 2, run.stderr)
        self.assertIn("--auth-token", run.stderr)
        run = self.run_strest("--controller-listen", f"{LOOPBACK}:0", "--controller-mode",
                              "manual", "--control-listen", "0.0.0.0:0",
                              "-u", "http://127.0.0.1:1/")
        self.assertEqual(run.returncode, 2, run.stderr)
        self.assertIn("--control-auth-token", run.stderr)

    def test_control_plane_on_a_taken_port_names_the_flag(self):
        with socket.socket() as taken:
            taken.bind((LOOPBACK, 0))
            taken.listen()
            port = taken.getsockname()[1]
            run = self.run_strest("--controller-listen", f"{LOOPBACK}:0", "--controller-mode",
                                  "manual", "--control-listen", f"{LOOPBACK}:{port}",
                                  "-u", "http://127.0.0.1:1/")
        self.assertNotEqual(run.returncode, 0, run.stderr)
        self.assertIn(f"--control-listen {LOOPBACK}:{port}: cannot listen there", run.stderr)


if __name__ == "__main__":
    unittest.main()
