"""Optional parts load on demand: a plain load test never maps gRPC (libstrest_dist.so) or
GnuTLS/ngtcp2 (libstrest_http3.so), --http3 loads its module when the run starts, and a strest
binary copied without its modules refuses those modes in one line naming the module (exit 2).
LD_DEBUG=files makes the dynamic loader list every library it maps, dlopen included."""
import os
import shutil
import tempfile
import unittest
from pathlib import Path

from harness import Nginx, describe, error_lines, refused_port, run_strest, strest_bin


def loaded_libraries(stderr):
    """The file names the loader mapped, from LD_DEBUG=files lines ("file=NAME [0];  ...")."""
    names = set()
    for line in stderr.splitlines():
        if "file=" in line and "generating link map" in line:
            names.add(Path(line.split("file=", 1)[1].split()[0]).name)
    return names


def ld_debug_env():
    return dict(os.environ, LD_DEBUG="files")


class ModulesTest(unittest.TestCase):
    def test_a_plain_run_maps_neither_grpc_nor_gnutls(self):
        with Nginx(access_log=False) as nginx:
            run = run_strest(["-u", nginx.url, "--requests", 200], env=ld_debug_env())
        self.assertEqual(run.returncode, 0, describe(run))
        self.assertEqual(run.summary["successful_requests"], 200, describe(run))
        libraries = loaded_libraries(run.stderr)
        self.assertIn("libssl.so.3", libraries, "LD_DEBUG output was not read")
        for absent in ("libstrest_dist.so", "libgrpc.so.29", "libprotobuf.so.32",
                       "libstrest_http3.so", "libgnutls.so.30", "libngtcp2.so.9"):
            self.assertNotIn(absent, libraries)

    def test_http3_loads_its_module_when_the_run_starts(self):
        run = run_strest(["-u", f"https://127.0.0.1:{refused_port()}/", "--http3", "--insecure",
                          "--requests", 3, "--timeout", "1s"], env=ld_debug_env())
        libraries = loaded_libraries(run.stderr)
        self.assertIn("libstrest_http3.so", libraries, describe(run))
        self.assertIn("libgnutls.so.30", libraries, describe(run))
        self.assertNotIn("libgrpc.so.29", libraries)
        self.assertIsNotNone(run.summary, describe(run))
        self.assertEqual(run.summary["successful_requests"], 0, describe(run))


class BinaryWithoutModulesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp(prefix="strest-alone-")
        cls.binary = os.path.join(cls.folder, "strest")
        shutil.copy2(strest_bin(), cls.binary)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.folder, ignore_errors=True)

    def run_alone(self, args):
        return run_strest(args, binary=self.binary)

    def check_refused(self, run, flag, module):
        self.assertEqual(run.returncode, 2, describe(run))
        lines = error_lines(run.stderr)
        self.assertEqual(len(lines), 1, describe(run))
        self.assertTrue(lines[0].startswith(f"strest: error: {flag} needs the module"), lines[0])
        self.assertIn(f"{module} not found (looked at {self.folder}/{module}", lines[0])

    def test_http3_without_its_module_is_refused(self):
        run = self.run_alone(["-u", f"https://127.0.0.1:{refused_port()}/", "--http3",
                              "--requests", 1])
        self.check_refused(run, "--http3", "libstrest_http3.so")

    def test_a_controller_without_its_module_is_refused(self):
        run = self.run_alone(["--controller-listen", "127.0.0.1:0", "-u",
                              f"http://127.0.0.1:{refused_port()}/", "--requests", 1])
        self.check_refused(run, "distributed mode", "libstrest_dist.so")


if __name__ == "__main__":
    unittest.main()
