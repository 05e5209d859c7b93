"""--report FILE.html end to end: a short run against `strest target` and a replay of its run log
each write one self-contained page; it parses, names the twelve charts, embeds them as data
URIs, shows the numbers of the --output JSON, and opens in headless Chromium with the summary
table at the top.
"""
import html.parser
import re
import shutil
import struct
import subprocess
import tempfile
import unittest
import zlib
from pathlib import Path

import harness

CHARTS = ["average_response_time.png", "cumulative_successful_requests.png",
          "cumulative_error_rate.png", "cumulative_total_requests.png", "requests_per_second.png",
          "latency_percentiles_P50.png", "latency_percentiles_P90.png",
          "latency_percentiles_P99.png", "timeouts_per_second.png", "error_rate_breakdown.png",
          "status_code_distribution.png", "inflight_requests.png"]
VOID_TAGS = {"img", "meta", "br", "hr", "link", "input"}
HEADLINE_RGB = (0xdb, 0xea, 0xfe)  # kHeadlineBackground in src/report/html_document.h
# Summary table label -> the --output JSON key it shows.
SUMMARY_KEYS = {"Completed requests": "total_requests", "OK": "successful_requests",
                "Errors": "error_requests", "Timeouts": "timeout_requests",
                "Transport errors": "transport_errors",
                "Non-expected status": "non_expected_status",
                "Cancelled at end": "cancelled_requests", "Requests/sec (RPS)": "rps",
                "Latency p50 (ms)": "p50_latency_ms", "Latency p99 (ms)": "p99_latency_ms"}


class ReportParser(html.parser.HTMLParser):
    """Checks nesting as it goes; collects every src/href, the images and the headline table."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.links, self.images = [], [], [], []
        self.headline, self._in_headline, self._cell, self._row = {}, False, None, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.links += [attrs[k] for k in ("src", "href") if k in attrs]
        if tag == "img":
            self.images.append(attrs.get("src", ""))
        if tag == "table" and attrs.get("class") == "headline":
            self._in_headline = True
        if self._in_headline and tag in ("th", "td"):
            self._cell = ""
        if tag not in VOID_TAGS:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()
        if self._in_headline and tag in ("th", "td"):
            self._row.append(self._cell)
            self._cell = None
        elif self._in_headline and tag == "tr":
            self.headline[self._row[0]] = self._row[1]
            self._row = []
        elif tag == "table":
            self._in_headline = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def parse_report(path):
    parser = ReportParser()
    parser.feed(Path(path).read_text(encoding="utf-8"))
    parser.close()
    return parser


def first_number(text):
    return float(re.search(r"-?[\d,]+(?:\.\d+)?", text).group(0).replace(",", ""))


def png_pixels(path):
    """(width, height, rows of RGB tuples) of an 8-bit RGB or RGBA non-interlaced PNG."""
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    at, idat, header = 8, b"", None
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        at += 12 + length
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and color in (2, 6) and interlace == 0, f"unsupported PNG {header}"
    step = 3 if color == 2 else 4
    raw, rows, prev = zlib.decompress(idat), [], bytearray(width * step)
    stride = width * step
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - step] if i >= step else 0
            b, c = prev[i], prev[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * step:x * step + 3]) for x in range(width)])
        prev = line
    return width, height, rows


class ReportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = Path(tempfile.mkdtemp(prefix="strest-report-e2e-"))
        d = cls.dir
        with harness.StrestTarget() as target:
            cls.run_result = harness.run_strest(
                ["-u", target.url("/"), "-t", "1s", "-m", "4", "--keep-tmp", "--tmp-path",
                 d / "tmp", "--threshold", "p99<5s", "--report", d / "run.html",
                 "-o", d / "run.json"], timeout=60)
        cls.replay = harness.run_strest(
            ["--replay", "--tmp-path", d / "tmp", "--threshold", "p99<5s",
             "--report", d / "replay.html",
             "-o", d / "replay.json"], timeout=60)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def check_page(self, run, page):
        self.assertEqual(run.returncode, 0, harness.describe(run))
        parser = parse_report(page)
        self.assertEqual(parser.errors, [])
        self.assertEqual(parser.stack, [], "every opened tag is closed")
        for link in parser.links:
            self.assertTrue(link.startswith("data:") or link.startswith("#"), link)
        text = Path(page).read_text(encoding="utf-8")
        self.assertNotIn("<script", text)
        for chart in CHARTS:
            self.assertIn(chart, text)
        self.assertEqual(len(parser.images), 12)
        for src in parser.images:
            self.assertTrue(src.startswith("data:image/png;base64,iVBORw0KGgo"), src[:40])
        for label, key in SUMMARY_KEYS.items():
            shown = first_number(parser.headline[label])
            self.assertAlmostEqual(shown, run.summary[key], delta=0.006, msg=label)
        self.assertEqual(parser.headline["Target"], run.summary["target"])
        self.assertEqual(parser.headline["Thresholds"], "all 1 passed")
        return text

    def test_run_report_matches_the_json_summary(self):
        text = self.check_page(self.run_result, self.dir / "run.html")
        self.assertIn("report written to", self.run_result.stderr)
        self.assertIn("--threshold", text)  # the plan says which flag set what
        self.assertGreater(self.run_result.summary["total_requests"], 0)
        self.assertEqual(list(self.dir.glob("**/run-*")), [], "--no-charts left no charts folder")

    def test_replay_report_matches_its_json_summary(self):
        text = self.check_page(self.replay, self.dir / "replay.html")
        self.assertIn("replay of a recorded run", text)
        self.assertEqual(self.replay.summary["total_requests"],
                         self.run_result.summary["total_requests"])

    def test_unwritable_report_is_one_line_naming_the_flag(self):
        with harness.StrestTarget() as target:
            run = harness.run_strest(["-u", target.url("/"), "--requests", "20", "-m", "2",
                                      "--report", self.dir / "missing" / "r.html"], timeout=60)
        self.assertEqual(run.returncode, 1, harness.describe(run))
        lines = [l for l in harness.error_lines(run.stderr) if l.startswith("strest: error:")]
        self.assertEqual(len(lines), 1, run.stderr)
        self.assertIn("--report", lines[0])

    def test_report_and_output_on_one_file_are_refused(self):
        run = harness.run_strest(["-u", "http://127.0.0.1:9/", "--report", self.dir / "x.json",
                                  "-o", self.dir / "x.json"], timeout=30)
        self.assertEqual(run.returncode, 2, harness.describe(run))
        self.assertIn("--report", run.stderr)

    def test_chromium_shows_the_summary_table_at_the_top(self):
        chromium = shutil.which("chromium")
        if chromium is None:
            self.skipTest("chromium is not installed (apt-get install -y chromium; "
                          "scripts/packages.txt lists it)")
        shot = self.dir / "shot.png"
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                        f"--user-data-dir={self.dir / 'profile'}", f"--screenshot={shot}",
                        "--window-size=1280,2000", (self.dir / "run.html").as_uri()],
                       capture_output=True, timeout=90, stdin=subprocess.DEVNULL)
        self.assertTrue(shot.is_file(), "chromium wrote no screenshot")
        width, height, rows = png_pixels(shot)
        self.assertEqual((width, height), (1280, 2000))
        colours = {pixel for row in rows[::8] for pixel in row[::8]}
        self.assertGreater(len(colours), 20, "the screenshot is blank")

        def headline(pixel):
            return all(abs(p - q) <= 3 for p, q in zip(pixel, HEADLINE_RGB))
        top = sum(1 for row in rows[:700] for pixel in row if headline(pixel))
        bottom = sum(1 for row in rows[1400:] for pixel in row if headline(pixel))
        self.assertGreater(top, 20000, "the summary table's background is not at the top")
        self.assertEqual(bottom, 0)


if __name__ == "__main__":
    unittest.main()
