"""A distributed run across network namespaces: three agents, each in a namespace of its own
made by this test (`ip netns`), act as three hosts. Each namespace has one veth link to the
root namespace (10.231.K.2 inside, 10.231.K.1 outside) and a default route over it; the
controller listens on 10.231.1.1 (not loopback, so it needs its token) and nginx on every
10.231.K.1. Traffic never leaves this machine: the namespaces have no other link.

nginx logs each request's source address, so the test sees that every agent's requests came
from its own namespace, split 1:2:3 by weight, and that the merged total is what nginx served.

Needs root (CAP_NET_ADMIN) and iproute2; without them the test is skipped and says why. The
namespaces and links are removed in cleanup, even when the test fails.
"""
import json
import os
import shutil
import subprocess
import tempfile
import time
import unittest
from collections import Counter
from pathlib import Path

from harness import LOOPBACK, Nginx, nginx_config
from test_distributed import StrestProcess

TOKEN = "netns-e2e-token"
WEIGHTS = {"ns1": 1, "ns2": 2, "ns3": 3}
REQUESTS = 6000
RUN_TIMEOUT = 90


def ip(*args, check=True):
    return subprocess.run(["ip"] + [str(a) for a in args], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=10, check=check)


def namespaces_unavailable():
    """Why namespaces cannot be made here, or None."""
    if os.geteuid() != 0:
        return "needs root to make network namespaces"
    if shutil.which("ip") is None:
        return "needs ip (Debian package iproute2)"
    return None


class Host:
    """One network namespace linked to the root namespace by a veth pair."""

    def __init__(self, index, tag):
        self.index = index
        self.netns = f"strest-e2e-{tag}-{index}"
        self.outer_link = f"se{tag}h{index}"[:15]  # interface names hold 15 characters
        self.inner_link = f"se{tag}n{index}"[:15]
        self.outside = f"10.231.{index}.1"
        self.inside = f"10.231.{index}.2"
        self.made = False

    def make(self):
        ip("netns", "add", self.netns)
        self.made = True
        ip("link", "add", self.outer_link, "type", "veth", "peer", "name", self.inner_link)
        ip("link", "set", self.inner_link, "netns", self.netns)
        ip("addr", "add", f"{self.outside}/30", "dev", self.outer_link)
        ip("link", "set", self.outer_link, "up")
        inside = ["netns", "exec", self.netns, "ip"]
        ip(*inside, "addr", "add", f"{self.inside}/30", "dev", self.inner_link)
        ip(*inside, "link", "set", self.inner_link, "up")
        ip(*inside, "link", "set", "lo", "up")
        ip(*inside, "route", "add", "default", "via", self.outside)

    def remove(self):
        if not self.made:
            return
        ip("link", "del", self.outer_link, check=False)  # takes its peer with it
        ip("netns", "del", self.netns, check=False)

    def wrapper(self):
        return ["ip", "netns", "exec", self.netns]


class HostsNginx(Nginx):
    """nginx on loopback and on each host's outer address, logging each request's source."""

    def __init__(self, addresses):
        super().__init__(access_log=False)
        self.addresses = addresses

    def _config(self):
        text = nginx_config(self.prefix, self.port, access_log=False)
        log = (f"log_format hosts '$remote_addr|$uri';\n"
               f"    access_log {self.prefix}/hosts.log hosts;")
        loopback = f"listen {LOOPBACK}:{self.port} reuseport backlog=4096;"
        listens = "".join(f"\n        listen {a}:{self.port};" for a in self.addresses)
        return text.replace("access_log off;", log).replace(loopback, loopback + listens)

    def sources(self, expected_total, timeout=5.0):
        """Requests for '/' by source address, read once the log holds expected_total of them
        (nginx logs a request after its response) or timeout seconds passed."""
        path = Path(self.prefix) / "hosts.log"
        deadline = time.monotonic() + timeout
        while True:
            lines = path.read_text().splitlines() if path.exists() else []
            counts = Counter(line.split("|")[0] for line in lines if line.endswith("|/"))
            if sum(counts.values()) >= expected_total or time.monotonic() > deadline:
                return counts
            time.sleep(0.1)


class DistributedNetnsTest(unittest.TestCase):
    def setUp(self):
        why = namespaces_unavailable()
        if why:
            self.skipTest(why)
        self.dir = Path(tempfile.mkdtemp(prefix="strest-netns-"))
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)
        tag = str(os.getpid() % 100000)
        self.hosts = {name: Host(index, tag) for index, name in enumerate(WEIGHTS, start=1)}
        for host in self.hosts.values():
            self.addCleanup(host.remove)
            host.make()
        self.nginx = HostsNginx([h.outside for h in self.hosts.values()])
        self.nginx.__enter__()
        self.addCleanup(self.nginx.__exit__, None, None, None)
        self.processes = []
        self.addCleanup(lambda: [p.stop() for p in self.processes])

    def start(self, name, args, wrapper=()):
        process = StrestProcess(name, list(args) + ["--no-tui"], self.dir, wrapper)
        self.processes.append(process)
        return process

    def describe_all(self):
        return "".join(p.describe() for p in self.processes)

    def test_agents_in_their_own_namespaces_split_by_weight(self):
        first = self.hosts["ns1"]
        summary = self.dir / "controller.json"
        controller = self.start("controller", [
            "--controller-listen", f"{first.outside}:0", "--auth-token", TOKEN,
            "-u", f"http://{first.outside}:{self.nginx.port}/", "--requests", REQUESTS,
            "-m", 6, "--min-agents", len(WEIGHTS), "--agent-wait-timeout-ms", 30000,
            "--no-charts", "-o", summary, "--output-format", "json"])
        port = int(controller.wait_for_stderr(r"listening on port (\d+)").group(1))
        agents = [self.start(name, ["--agent-join", f"{first.outside}:{port}", "--auth-token",
                                    TOKEN, "--agent-id", name, "--agent-weight", weight],
                             self.hosts[name].wrapper())
                  for name, weight in WEIGHTS.items()]
        self.assertEqual(controller.wait(RUN_TIMEOUT), 0, self.describe_all())
        for agent in agents:
            self.assertEqual(agent.wait(30), 0, self.describe_all())
        s = json.loads(summary.read_text())
        info = json.dumps({k: v for k, v in s.items() if k not in ("series", "phases")})[:1500]

        self.assertEqual(s["total_requests"], REQUESTS, info)
        self.assertEqual(s["status_codes"], {"200": REQUESTS}, info)
        listed = {a["agent_id"]: a for a in s["agents"]}
        # Each agent's share came from its own namespace's address, and nowhere else.
        expected = {self.hosts[name].inside: REQUESTS * w // sum(WEIGHTS.values())
                    for name, w in WEIGHTS.items()}
        self.assertEqual(dict(self.nginx.sources(REQUESTS)), expected, info)
        for name, weight in WEIGHTS.items():
            self.assertEqual(listed[name]["requests"], expected[self.hosts[name].inside], info)
            self.assertEqual(listed[name]["health"], "healthy", info)


if __name__ == "__main__":
    unittest.main()
