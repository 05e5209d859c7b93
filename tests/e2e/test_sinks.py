"""Output sinks end to end: [sinks] in strest.toml makes a run against `strest target` write a
Prometheus textfile, an OTLP/JSON file and Influx line protocol, every update_interval_ms and
once at the end. The final files agree with the JSON summary (-o), parse in their formats, carry
the target URL, and are replaced whole (no temporary file is left behind).

Runs last 1.5-3 s on loopback; no assertion depends on how fast anything is.
"""
import json
import math
import re
import time
import unittest

from harness import TargetTestCase, describe, run_strest, strest_process

EXIT_OK, EXIT_USAGE = 0, 2
SINK_FILES = ("strest.prom", "strest.otel.json", "strest.influx")

# Prometheus text format 0.0.4: a sample line, and the label pairs inside its braces.
PROM_SAMPLE = re.compile(r'([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\} (\S+)')
PROM_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)')
PROM_META = re.compile(r'# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)')
# Influx line protocol: measurement,tags fields timestamp (integers end in i).
INFLUX_FIELD = r'[a-z0-9_]+=(?:-?[0-9]+i|[-+0-9.e]+)'
INFLUX_LINE = re.compile(
    r'strest((?:,[a-z]+=(?:\\[ ,=]|[^ ,=\\])+)+) (' + INFLUX_FIELD + r'(?:,' + INFLUX_FIELD +
    r')*) ([0-9]+)')


def sinks_config(out_dir, interval_ms=200):
    """strest.toml text with all three sinks writing into out_dir (which need not exist)."""
    return (f"[sinks]\nupdate_interval_ms = {interval_ms}\n"
            f"[sinks.prometheus]\npath = \"{out_dir}/strest.prom\"\n"
            f"[sinks.otel]\npath = \"{out_dir}/strest.otel.json\"\n"
            f"[sinks.influx]\npath = \"{out_dir}/strest.influx\"\n")


def parse_prometheus(test, text):
    """[(name, {label: value}, float)] of every sample; checks each line's shape and that every
    family is declared by # HELP and # TYPE before its samples."""
    declared = {}
    samples = []
    test.assertTrue(text.endswith("\n"), text[-200:])
    for line in text.splitlines():
        meta = PROM_META.fullmatch(line)
        if meta:
            declared.setdefault(meta[2], set()).add(meta[1])
            continue
        sample = PROM_SAMPLE.fullmatch(line)
        test.assertIsNotNone(sample, f"not a HELP, TYPE or sample line: {line!r}")
        name, labels_text, value = sample.groups()
        labels = {}
        consumed = 0
        for label in PROM_LABEL.finditer(labels_text):
            test.assertEqual(label.start(), consumed, f"bad labels in {line!r}")
            labels[label[1]] = re.sub(r'\\(.)', lambda m: "\n" if m[1] == "n" else m[1], label[2])
            consumed = label.end()
        test.assertEqual(consumed, len(labels_text), f"bad labels in {line!r}")
        base = re.sub(r'_(sum|count)$', '', name)  # a summary's _sum and _count samples
        family = base if base != name and base in declared else name
        test.assertEqual(declared.get(family), {"HELP", "TYPE"}, f"undeclared family: {line!r}")
        samples.append((name, labels, float(value)))
    return samples


def prometheus_value(samples, name, **labels):
    """Sum of the samples of name whose labels include the given ones."""
    return sum(v for n, l, v in samples if n == name and labels.items() <= l.items())


def otel_points(document, name):
    """Data points of the OTLP metric `name` (of whichever kind it is)."""
    for metric in document["resourceMetrics"][0]["scopeMetrics"][0]["metrics"]:
        if metric["name"] == name:
            kind = next(k for k in ("sum", "gauge", "summary") if k in metric)
            return metric[kind]["dataPoints"]
    raise AssertionError(f"no metric {name} in the OTel file")


def attributes(point):
    return {a["key"]: a["value"]["stringValue"] for a in point["attributes"]}


def parse_influx(test, text):
    """[(tags, fields, timestamp)] of every line, each checked against the line protocol."""
    points = []
    for line in text.splitlines():
        match = INFLUX_LINE.fullmatch(line)
        test.assertIsNotNone(match, f"not an Influx line: {line!r}")
        tags = dict(re.findall(r',([a-z]+)=((?:\\[ ,=]|[^ ,=\\])+)', match[1]))
        fields = {}
        for key, value in re.findall(r'([a-z0-9_]+)=([^,]+)', match[2]):
            fields[key] = int(value[:-1]) if value.endswith("i") else float(value)
        points.append((tags, fields, int(match[3])))
    return points


class SinksTest(TargetTestCase):
    def setUp(self):
        super().setUp()
        self.out = self.tmp / "out"  # created by strest: the reference README uses ./out/...

    def run_with_sinks(self, path="/", duration="1.5s"):
        (self.tmp / "strest.toml").write_text(sinks_config(self.out))
        return run_strest(["-u", self.target.url(path), "-m", 4, "-t", duration,
                           "--config", self.tmp / "strest.toml"], timeout=30, cwd=self.tmp)

    def read(self, name):
        return (self.out / name).read_text()

    def assert_files_replaced_whole(self, run):
        self.assertEqual(sorted(p.name for p in self.out.iterdir()), sorted(SINK_FILES),
                         "the three files and no temporary file" + describe(run))

    def test_final_files_match_the_summary(self):
        started_ns = time.time_ns()
        run = self.run_with_sinks()
        self.assertEqual(run.returncode, EXIT_OK, describe(run))
        summary = run.summary
        self.assertIsNotNone(summary, describe(run))
        self.assertGreater(summary["total_requests"], 0, describe(run))
        self.assert_files_replaced_whole(run)
        url = self.target.url("/")

        prom = parse_prometheus(self, self.read("strest.prom"))
        self.assertTrue(all(labels.get("target") == url for _, labels, _ in prom), prom[:3])
        self.assertEqual(prometheus_value(prom, "strest_requests_total"),
                         summary["total_requests"], describe(run))
        self.assertEqual(prometheus_value(prom, "strest_requests_total", outcome="ok"),
                         summary["successful_requests"], describe(run))
        self.assertEqual(prometheus_value(prom, "strest_requests_cancelled_total"),
                         summary["cancelled_requests"], describe(run))
        self.assertEqual(prometheus_value(prom, "strest_response_bytes_total"),
                         summary["bytes_received"], describe(run))
        self.assertEqual(prometheus_value(prom, "strest_status_codes_total", code="200"),
                         summary["status_codes"]["200"], describe(run))
        self.assertEqual(prometheus_value(prom, "strest_latency_seconds_count"),
                         summary["total_requests"], describe(run))
        p99 = prometheus_value(prom, "strest_latency_seconds", quantile="0.99")
        self.assertTrue(math.isclose(p99 * 1000, summary["p99_latency_ms"], rel_tol=1e-9),
                        f"p99 {p99} s" + describe(run))
        self.assertGreaterEqual(prometheus_value(prom, "strest_elapsed_seconds"), 1.5)

        otel = json.loads(self.read("strest.otel.json"))
        resource = otel["resourceMetrics"][0]["resource"]
        self.assertIn({"key": "service.name", "value": {"stringValue": "strest"}},
                      resource["attributes"])
        requests = otel_points(otel, "strest.requests")
        self.assertEqual(sum(int(p["asInt"]) for p in requests), summary["total_requests"])
        self.assertTrue(all(attributes(p)["target"] == url for p in requests), requests)
        latency = otel_points(otel, "strest.latency")[0]
        self.assertEqual(int(latency["count"]), summary["total_requests"])
        self.assertEqual([q["quantile"] for q in latency["quantileValues"]],
                         [0.5, 0.9, 0.95, 0.99, 0.999])
        stamp = int(requests[0]["timeUnixNano"])
        self.assertTrue(started_ns <= stamp <= time.time_ns(), "timeUnixNano is now-ish")

        influx = parse_influx(self, self.read("strest.influx"))
        tags, fields, timestamp = influx[0]
        self.assertEqual(tags, {"target": url})
        self.assertEqual(fields["requests_total"], summary["total_requests"])
        self.assertEqual(fields["requests_ok"], summary["successful_requests"])
        self.assertEqual(timestamp, stamp, "one write, one timestamp in every file")
        self.assertEqual([(t, f) for t, f, _ in influx[1:]],
                         [({"code": "200", "target": url},
                           {"status_codes": summary["status_codes"]["200"]})])

    def test_errors_are_counted_by_outcome_and_code(self):
        run = self.run_with_sinks("/status/503", duration="1s")
        self.assertEqual(run.returncode, EXIT_OK, describe(run))
        prom = parse_prometheus(self, self.read("strest.prom"))
        total = run.summary["total_requests"]
        self.assertGreater(total, 0, describe(run))
        self.assertEqual(prometheus_value(prom, "strest_requests_total",
                                          outcome="non_expected_status"), total)
        self.assertEqual(prometheus_value(prom, "strest_requests_total", outcome="ok"), 0)
        self.assertEqual(prometheus_value(prom, "strest_status_codes_total", code="503"), total)
        self.assertEqual(prometheus_value(prom, "strest_latency_ok_seconds_count"), 0)
        self.assertTrue(math.isnan(prometheus_value(prom, "strest_latency_ok_seconds",
                                                    quantile="0.5")))
        influx = parse_influx(self, self.read("strest.influx"))
        self.assertEqual(influx[0][1]["requests_non_expected_status"], total)
        self.assertNotIn("latency_ok_p50_seconds", influx[0][1], "no quantiles without samples")

    def test_files_are_written_during_the_run(self):
        """The Prometheus file shows up while strest still runs, and later writes replace it."""
        (self.tmp / "strest.toml").write_text(sinks_config(self.out))
        args = ["-u", self.target.url("/"), "-m", 2, "-t", "3s",
                "--config", self.tmp / "strest.toml"]
        seen_running = []
        with strest_process(args) as proc:
            deadline = time.monotonic() + 20
            while proc.poll() is None and time.monotonic() < deadline:
                path = self.out / "strest.prom"
                if path.exists():
                    text = path.read_text()
                    if proc.poll() is None:
                        seen_running.append(parse_prometheus(self, text))
                time.sleep(0.05)
            self.assertEqual(proc.wait(timeout=10), EXIT_OK)
        self.assertTrue(seen_running, "no sink file appeared while the run went on")
        final = parse_prometheus(self, self.read("strest.prom"))
        first = prometheus_value(seen_running[0], "strest_elapsed_seconds")
        self.assertLess(first, prometheus_value(final, "strest_elapsed_seconds"))
        self.assertLessEqual(prometheus_value(seen_running[0], "strest_requests_total"),
                             prometheus_value(final, "strest_requests_total"))
        self.assertEqual(sorted(p.name for p in self.out.iterdir()), sorted(SINK_FILES))

    def test_unknown_sink_key_is_a_usage_error(self):
        (self.tmp / "strest.toml").write_text("[sinks.prometheus]\npth = \"x.prom\"\n")
        run = run_strest(["-u", self.target.url("/"), "-t", "1s"], cwd=self.tmp,
                         json_output=False)
        self.assertEqual(run.returncode, EXIT_USAGE, describe(run))
        self.assertIn("strest.toml: unknown key 'sinks.prometheus.pth'", run.stderr)
        self.assertEqual(self.target.stats(), 0, "nothing was sent")


if __name__ == "__main__":
    unittest.main()
