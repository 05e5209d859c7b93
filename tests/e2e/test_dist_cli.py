"""Distributed runs from the command line: the controller and agent flags are listed by --help,
bad combinations exit 2 with one line, and --install-service / --uninstall-service write and
remove a systemd unit. The unit folder is STREST_SYSTEMD_DIR (a scratch folder; the variable
exists for tests) and systemctl is a fake one, first on PATH, that logs its arguments: this
machine's systemd is never touched, and the test checks what strest asked of it."""
import os
import shutil
import stat
import subprocess
import tempfile
import unittest
from pathlib import Path

import yaml

from harness import strest_bin

REPO = Path(__file__).resolve().parents[2]


class DistCliTest(unittest.TestCase):
    def setUp(self):
        tmp = tempfile.TemporaryDirectory(prefix="strest-dist-cli-")
        self.addCleanup(tmp.cleanup)
        self.cwd = Path(tmp.name)
        self.units = self.cwd / "units"
        self.units.mkdir()
        bin_dir = self.cwd / "bin"
        bin_dir.mkdir()
        self.calls = self.cwd / "systemctl.log"
        fake = bin_dir / "systemctl"
        fake.write_text(f"#!/bin/sh\necho \"$@\" >> '{self.calls}'\n")
        fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("STREST_AUTH_TOKEN", "STREST_CONTROL_AUTH_TOKEN")}
        self.env["PATH"] = f"{bin_dir}:{os.environ.get('PATH', '')}"
        self.env["STREST_SYSTEMD_DIR"] = str(self.units)

    def strest(self, *args, env=None):
        return subprocess.run([strest_bin(), *map(str, args)], capture_output=True, text=True,
                              timeout=30, cwd=self.cwd, env=env or self.env,
                              stdin=subprocess.DEVNULL)

    def assert_error(self, args, message, env=None):
        run = self.strest(*args, env=env)
        self.assertEqual(run.returncode, 2, run.stderr)
        lines = [line for line in run.stderr.splitlines() if line.strip()]
        self.assertEqual(lines, [f"strest: error: {message}"])
        self.assertEqual(run.stdout, "")

    def systemctl_calls(self):
        return self.calls.read_text().splitlines() if self.calls.exists() else []

    def test_help_lists_the_flags(self):
        run = self.strest("--help")
        self.assertEqual(run.returncode, 0)
        for flag in ("--controller-listen", "--controller-mode", "--control-listen",
                     "--control-auth-token", "--agent-join", "--auth-token", "--agent-weight",
                     "--agent-id", "--min-agents", "--agent-wait-timeout-ms", "--agent-standby",
                     "--agent-reconnect-ms", "--agent-heartbeat-interval-ms",
                     "--agent-heartbeat-timeout-ms", "--stream-summaries",
                     "--stream-interval-ms", "--install-service", "--uninstall-service",
                     "--service-name", "--dist-cert", "--dist-key", "--dist-cacert",
                     "--dry-run"):
            self.assertIn(flag, run.stdout)

    def test_usage_errors(self):
        cases = [
            (["--controller-listen", "0.0.0.0:9009", "-u", "http://127.0.0.1:1/"],
             "--controller-listen 0.0.0.0:9009 is not loopback: set --auth-token (or "
             "STREST_AUTH_TOKEN) so only your agents can join"),
            (["--controller-listen", "127.0.0.1:9009", "--agent-join", "127.0.0.1:9009"],
             "--controller-listen and --agent-join exclude each other: a process is a "
             "controller or an agent, pass one"),
            (["--agent-join", "127.0.0.1:9009", "--rate", "10"],
             "--rate does not apply to an agent: its controller sends the target, the scenario "
             "and the load; give it to the controller"),
            (["--controller-listen", "127.0.0.1:9009", "-u", "http://127.0.0.1:1/",
              "--export-json", "x.json"],
             "--export-json does not apply to a controller: it sends no requests, and every "
             "request's record stays in its agent's run log; drop it"),
            (["--min-agents", "2", "-u", "http://127.0.0.1:1/"],
             "--min-agents configures a controller: add --controller-listen HOST:PORT (or drop "
             "it)"),
            (["--controller-listen", "127.0.0.1:9009", "--controller-mode", "manual"],
             "--controller-mode manual needs --control-listen HOST:PORT, where POST /start and "
             "POST /stop are served"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                self.assert_error(args, message)

    def test_token_from_the_environment(self):
        env = dict(self.env, STREST_AUTH_TOKEN="from-env")
        run = self.strest("--controller-listen", "0.0.0.0:9009", "-u", "http://127.0.0.1:1/",
                          "--install-service", "--dry-run", env=env)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertNotIn("from-env", run.stdout)  # the token is never written into the unit
        self.assertIn("STREST_AUTH_TOKEN comes from the environment", run.stdout)

    def test_config_table(self):
        (self.cwd / "strest.toml").write_text(
            '[distributed]\nrole = "agent"\njoin = "10.0.0.5:9009"\nweight = 0\n')
        self.assert_error([], "strest.toml: key 'distributed.weight' must be at least 1 (got 0)")

    def test_install_dry_run_prints_the_unit_and_changes_nothing(self):
        run = self.strest("--agent-join", "10.0.0.5:9009", "--agent-id", "rack 1",
                          "--agent-standby", "--install-service", "--dry-run")
        self.assertEqual(run.returncode, 0, run.stderr)
        exe = os.path.realpath(strest_bin())
        self.assertIn(f"ExecStart={exe} --agent-join 10.0.0.5:9009 --agent-id \"rack 1\" "
                      "--agent-standby\n", run.stdout)
        self.assertIn("Restart=on-failure\n", run.stdout)
        self.assertIn("After=network-online.target\n", run.stdout)
        self.assertIn(f"would write {self.units}/strest-agent.service", run.stdout)
        self.assertEqual(list(self.units.iterdir()), [])
        self.assertEqual(self.systemctl_calls(), [])

    def test_install_and_uninstall(self):
        run = self.strest("--controller-listen", "127.0.0.1:9009", "-u", "http://127.0.0.1:1/",
                          "--install-service", "--service-name", "lt")
        self.assertEqual(run.returncode, 0, run.stderr)
        unit = self.units / "lt.service"
        text = unit.read_text()
        exe = os.path.realpath(strest_bin())
        self.assertIn(f"ExecStart={exe} --controller-listen 127.0.0.1:9009 -u "
                      "http://127.0.0.1:1/\n", text)
        self.assertNotIn("--install-service", text.split("ExecStart=")[1])
        self.assertIn(f"WorkingDirectory={self.cwd}\n", text)
        self.assertEqual(self.systemctl_calls(), ["daemon-reload", "enable --now lt"])

        run = self.strest("--uninstall-service", "--service-name", "lt", "--dry-run")
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertTrue(unit.exists())
        self.assertIn(f"remove {unit}", run.stdout)

        run = self.strest("--uninstall-service", "--service-name", "lt")
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertFalse(unit.exists())
        self.assertEqual(self.systemctl_calls(), ["daemon-reload", "enable --now lt",
                                                  "disable --now lt", "daemon-reload"])

    @unittest.skipUnless(os.geteuid() == 0 and shutil.which("setpriv"),
                         "needs root to drop to an unprivileged user")
    def test_install_needs_root(self):
        env = {k: v for k, v in self.env.items() if k != "STREST_SYSTEMD_DIR"}
        for flag in ("--install-service", "--uninstall-service"):
            run = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                                  strest_bin(), "--agent-join", "127.0.0.1:9009", flag],
                                 capture_output=True, text=True, timeout=30, cwd="/", env=env,
                                 stdin=subprocess.DEVNULL)
            self.assertEqual(run.returncode, 2, run.stderr)
            self.assertEqual(run.stderr, f"strest: error: {flag} needs root to change "
                             "/etc/systemd/system: run it with sudo (or add --dry-run to see "
                             "the unit)\n")
        self.assertEqual(self.systemctl_calls(), [])

    def test_install_needs_a_role(self):
        self.assert_error(["-u", "http://127.0.0.1:1/", "--install-service"],
                          "--install-service needs --controller-listen HOST:PORT or --agent-join "
                          "HOST:PORT: the unit runs a controller or an agent")

    def test_kubernetes_manifests_agree(self):
        docs = []
        for name in ("controller.yaml", "agent.yaml"):
            docs += [d for d in yaml.safe_load_all((REPO / "kubernetes" / name).read_text()) if d]
        secret = yaml.safe_load((REPO / "kubernetes" / "secret.yaml.example").read_text())
        by_kind = {(d["kind"], d["metadata"]["name"]): d for d in docs}
        service = by_kind[("Service", "strest-controller")]
        ports = {p["name"]: p["port"] for p in service["spec"]["ports"]}
        self.assertEqual(ports, {"grpc": 9009, "control": 9010})
        controller = by_kind[("Deployment", "strest-controller")]["spec"]["template"]["spec"]
        agent = by_kind[("Deployment", "strest-agent")]["spec"]["template"]["spec"]
        c_args = controller["containers"][0]["args"]
        a_args = agent["containers"][0]["args"]
        self.assertEqual(c_args[c_args.index("--controller-listen") + 1], "0.0.0.0:9009")
        self.assertEqual(c_args[c_args.index("--control-listen") + 1], "0.0.0.0:9010")
        self.assertEqual(a_args[a_args.index("--agent-join") + 1], "strest-controller:9009")
        for spec, names in ((controller, {"STREST_AUTH_TOKEN", "STREST_CONTROL_AUTH_TOKEN"}),
                            (agent, {"STREST_AUTH_TOKEN"})):
            refs = {e["name"]: e["valueFrom"]["secretKeyRef"]
                    for e in spec["containers"][0]["env"] if "secretKeyRef" in e.get("valueFrom", {})}
            self.assertEqual(set(refs), names)
            for ref in refs.values():
                self.assertEqual(ref["name"], secret["metadata"]["name"])
                self.assertIn(ref["key"], secret["stringData"])
        # The binary accepts the manifests' flags (validation only: it is asked for the unit).
        env = dict(self.env, STREST_AUTH_TOKEN="t", STREST_CONTROL_AUTH_TOKEN="c")
        for args in (c_args, [a.replace("$(POD_NAME)", "agent-0") for a in a_args]):
            run = self.strest(*args, "--install-service", "--dry-run", env=env)
            self.assertEqual(run.returncode, 0, run.stderr)


if __name__ == "__main__":
    unittest.main()
