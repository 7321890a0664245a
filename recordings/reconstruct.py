#!/usr/bin/env python3
"""Write the bundled, *reconstructed* build recordings: recordings/<scenario-id>.jsonl.

One recording per scenario of slides/deck.toml, in the format described in README.md.
They are not recorded runs: timings come from the seed demo's published figures where it
gives them and are representative otherwise; log text is a compressed, representative
rendering of what the buildspecs and Dockerfiles in this repository print (README.md says
which parts were checked against public sources and which are only representative).

Deterministic: standard library only, no clock, no network; the output is a function of
this script and of the repository files it reads (deck.toml, buildspecs/*.yml and the
codecommit/ Dockerfiles and requirement files). Running it twice gives identical bytes.

    python3 recordings/reconstruct.py           # write every recording, then check them
    python3 recordings/reconstruct.py --check   # only check the files that are there
    python3 recordings/reconstruct.py --force   # also replace recordings of live runs

A file whose header says it is not reconstructed (a recorded live run) is kept unless --force.

Needs Python 3.11+ (tomllib).
"""

import datetime as dt
import hashlib
import json
import os
import random
import re
import sys
import uuid

try:
    import tomllib
except ImportError:  # pragma: no cover
    sys.exit("reconstruct.py needs Python 3.11 or newer (tomllib)")

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

REGION = "eu-west-1"  # the seed demo was tested in eu-west-1
REGISTRY = f"<account>.dkr.ecr.{REGION}.amazonaws.com"  # account id redacted on purpose
DATE = dt.datetime(2026, 11, 20)

PHASES = ["SUBMITTED", "QUEUED", "PROVISIONING", "DOWNLOAD_SOURCE", "INSTALL", "PRE_BUILD",
          "BUILD", "POST_BUILD", "UPLOAD_ARTIFACTS", "FINALIZING", "COMPLETED"]
ENV_X86 = {"project": "arm64-demo-x86_64",
           "image": "aws/codebuild/amazonlinux-x86_64-standard:5.0",
           "compute": "BUILD_GENERAL1_LARGE"}
ENV_ARM = {"project": "arm64-demo-arm64",
           "image": "aws/codebuild/amazonlinux-aarch64-standard:3.0",
           "compute": "BUILD_GENERAL1_LARGE"}
NOTE_SEED = "reconstructed from the seed's published figures"
NOTE_REPR = "reconstructed: representative timings, not measured"

# Representative tool versions shown in the logs (not measured; see README.md).
DOCKER_VERSION = "25.0.8"
BUILDX_VERSION = "v0.19.3"
GCC = "11.5.0"
NODE = "v20.19.5"
NPM = "10.8.2"
NODE_GYP = "10.1.0"
UBUNTU_PY = "3.8.10"
PY312 = "3.12.12"


# ── small deterministic helpers ──────────────────────────────────────────────────────────────

def digest(*parts):
    """A made-up, stable sha256 hex string (image, layer and config digests are placeholders)."""
    return hashlib.sha256("\0".join(("arm64-demo reconstructed",) + parts).encode()).hexdigest()


def rng(*parts):
    return random.Random(digest(*parts))


def human(n):
    """Docker's HumanSize: decimal units, 4 significant digits."""
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.4g}{unit}"
        n /= 1000.0
    return f"{n:.4g}GB"


def read(rel):
    with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
        return f.read()


def dir_bytes(rel, exclude=()):
    total = 0
    base = os.path.join(ROOT, rel)
    for name in sorted(os.listdir(base)):
        path = os.path.join(base, name)
        if os.path.isfile(path) and name not in exclude:
            total += os.path.getsize(path)
    return total


# ── repository files: Dockerfiles and buildspecs ─────────────────────────────────────────────

class Dockerfile:
    """The instructions of a Dockerfile, with BuildKit's step labels and line numbers."""

    VERTEX = {"FROM", "RUN", "COPY", "ADD", "WORKDIR"}

    def __init__(self, rel):
        self.rel = rel
        self.text = read(rel)
        self.size = len(self.text.encode())
        raw = self.text.split("\n")
        self.raw = raw
        instrs = []
        i = 0
        while i < len(raw):
            line = raw[i]
            if not line.strip() or line.lstrip().startswith("#"):
                i += 1
                continue
            start = i + 1
            parts = [line]
            while parts[-1].rstrip().endswith("\\") and i + 1 < len(raw):
                i += 1
                if raw[i].lstrip().startswith("#"):
                    continue
                parts.append(raw[i])
            text = "".join(p.rstrip()[:-1] for p in parts[:-1]) + parts[-1]
            kw, _, args = text.strip().partition(" ")
            instrs.append({"kw": kw.upper(), "args": args.strip(), "start": start, "end": i + 1})
            i += 1
        # stages and BuildKit labels
        stages = []
        for ins in instrs:
            if ins["kw"] == "FROM":
                m = re.match(r"(\S+)(?:\s+AS\s+(\S+))?", ins["args"], re.I)
                stages.append({"image": m.group(1), "name": m.group(2), "instrs": []})
            stages[-1]["instrs"].append(ins)
        names = {s["name"] for s in stages if s["name"]}
        for n, st in enumerate(stages):
            verts = [x for x in st["instrs"] if x["kw"] in self.VERTEX]
            if len(stages) == 1:
                prefix = ""
            else:
                prefix = (st["name"] or f"stage-{n}") + " "
            for k, ins in enumerate(verts, 1):
                if ins["kw"] == "FROM":
                    if st["image"] in names:
                        ins["label"] = None  # FROM another stage: no vertex of its own
                    else:
                        ins["label"] = (f"[{prefix}{k}/{len(verts)}] FROM {st['image']}"
                                        f"@sha256:{digest('base', st['image'])}")
                else:
                    ins["label"] = f"[{prefix}{k}/{len(verts)}] {ins['kw']} {ins['args']}"
            st["vertices"] = verts
        self.instrs = instrs
        self.stages = stages

    def run(self, needle):
        """The RUN instruction whose command contains `needle` (exactly one)."""
        hits = [x for x in self.instrs if x["kw"] == "RUN" and needle in x["args"]]
        if len(hits) != 1:
            sys.exit(f"reconstruct.py: {self.rel}: expected one RUN containing {needle!r}, "
                     f"found {len(hits)}")
        return hits[0]

    def find(self, kw, needle=""):
        hits = [x for x in self.instrs if x["kw"] == kw and needle in x["args"]]
        if not hits:
            sys.exit(f"reconstruct.py: {self.rel}: no {kw} containing {needle!r}")
        return hits[0]

    def base_images(self):
        names = {s["name"] for s in self.stages if s["name"]}
        out = []
        for s in self.stages:
            if s["image"] not in names and s["image"] not in out:
                out.append(s["image"])
        return out

    def excerpt(self, ins, before=2, after=2):
        """BuildKit's Dockerfile excerpt around a failing instruction."""
        lo = max(1, ins["start"] - before)
        hi = ins["end"] + after
        while hi > ins["end"] and (hi > len(self.raw) or not self.raw[hi - 1].strip()) \
                and hi >= len(self.raw):
            hi -= 1
        hi = min(hi, len(self.raw))
        where = str(ins["start"]) if ins["start"] == ins["end"] else f"{ins['start']}-{ins['end']}"
        lines = [f"Dockerfile:{where}", "--------------------"]
        width = len(str(hi)) + 2
        for n in range(lo, hi + 1):
            mark = ">>>" if ins["start"] <= n <= ins["end"] else "   "
            lines.append(f"{n:>{width}} | {mark} {self.raw[n - 1]}".rstrip())
        lines.append("--------------------")
        return lines


def buildspec(name):
    """The commands of each phase of a buildspec (the small YAML subset the files use)."""
    lines = read(f"buildspecs/{name}").split("\n")
    phases = {}
    cur, in_cmds = None, False
    i = 0
    while i < len(lines):
        ln = lines[i]
        m = re.match(r"^  (install|pre_build|build|post_build):\s*$", ln)
        if m:
            cur, in_cmds = m.group(1), False
            phases[cur] = []
        elif cur and re.match(r"^    commands:\s*$", ln):
            in_cmds = True
        elif cur and in_cmds:
            m = re.match(r"^      - (.*)$", ln)
            if m and m.group(1).strip() == "|":
                block = []
                i += 1
                while i < len(lines) and (lines[i].startswith("        ") or not lines[i].strip()):
                    block.append(lines[i][8:])
                    i += 1
                while block and not block[-1].strip():
                    block.pop()
                phases[cur].append("\n".join(block))
                continue
            if m:
                phases[cur].append(m.group(1))
            elif ln.strip() and not ln.startswith("      "):
                in_cmds = False
        i += 1
    return phases


# ── the recording model ──────────────────────────────────────────────────────────────────────

class Recording:
    def __init__(self, scenario, note, wall0):
        self.scenario = scenario
        self.note = note
        self.wall0 = wall0
        self.builds = []
        self._seq = 0

    def seq(self):
        self._seq += 1
        return self._seq

    def build(self, bid, env, start=0.0):
        b = Build(self, bid, env, start)
        self.builds.append(b)
        return b

    def write(self, path):
        header = {"format": "arm64-demo-recording", "version": 1, "scenario": self.scenario,
                  "provenance": {"kind": "reconstructed", "note": self.note},
                  "builds": {b.id: dict(b.env) for b in self.builds}}
        rows = []
        for n, b in enumerate(self.builds):
            for t, seq, event in b.all_events():
                rows.append((round(t, 3), n, seq, {"t": round(t, 3), "build": b.id, "event": event}))
        rows.sort(key=lambda r: (r[0], r[1], r[2]))
        end = rows[-1][0]
        out = [header] + [r[3] for r in rows] + [{"t": end, "end": True}]
        text = "".join(json.dumps(o, ensure_ascii=False, separators=(",", ":")) + "\n" for o in out)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        return len(text.encode())


class Build:
    def __init__(self, rec, bid, env, start):
        self.rec, self.id, self.env = rec, bid, env
        self.t = start
        self.start = start
        self.events = []   # (t, seq, event)
        self.lines = []    # (t, seq, text)
        self.phase_at = []
        self.last_us = -1
        self.uuid = str(uuid.UUID(bytes=bytes.fromhex(digest("build", rec.scenario, bid)[:32]),
                                  version=4))
        self.srcdir = f"/codebuild/output/src{int(digest('src', rec.scenario, bid)[:8], 16) % 10**9:09d}/src"

    # time and events
    def wait(self, d):
        self.t += d

    def event(self, ev):
        self.events.append((self.t, self.rec.seq(), ev))

    def started(self):
        self.event({"type": "started", "build_id": f"{self.env['project']}:{self.uuid}"})

    def phase(self, name):
        self.phase_at.append((self.t, name))
        self.event({"type": "phase", "phase": name})

    def status(self, s):
        self.event({"type": "status", "status": s})

    # log lines
    def add(self, t, text):
        self.lines.append((t, self.rec.seq(), text))

    def wall(self, t):
        us = int(round(t * 1000)) * 1000 + int(digest("us", self.id, f"{t:.3f}")[:4], 16) % 1000
        if us <= self.last_us:
            us = self.last_us + 13 + int(digest("us+", self.id, str(us))[:2], 16) % 40
        self.last_us = us
        return self.rec.wall0 + dt.timedelta(microseconds=us)

    def c(self, msg):
        """A CodeBuild agent line ('[Container] <time> ...'); multi-line messages continue."""
        w = self.wall(self.t)
        parts = msg.split("\n")
        self.add(self.t, f"[Container] {w:%Y/%m/%d %H:%M:%S}.{w.microsecond:06d} {parts[0]}")
        for p in parts[1:]:
            self.add(self.t, p)

    def out(self, *texts):
        for text in texts:
            for p in text.split("\n"):
                self.add(self.t, p)

    def lines_at(self, t0, rel_lines):
        for rel, text in rel_lines:
            if "@@" in text:
                text = self.resolve(t0 + rel, text)
            self.add(t0 + rel, text)

    def resolve(self, t, text):
        """Replace @@WALL<offset>@@ / @@NPMLOG@@ by the log's wall clock at t."""
        def wall(m):
            w = self.rec.wall0 + dt.timedelta(seconds=round(t + float(m.group(1) or 0), 3))
            return w.strftime("%a %b %d %H:%M:%S %Y")
        text = re.sub(r"@@WALL([+-][\d.]+)?@@", wall, text)
        w = self.rec.wall0 + dt.timedelta(seconds=round(t - 7.9, 3))
        return text.replace("@@NPMLOG@@", f"{w:%Y-%m-%dT%H_%M_%S}_{w.microsecond // 1000:03d}Z")

    # batching, as a log follower delivers them
    def all_events(self):
        bounds = sorted(t for t, _ in self.phase_at)
        evs = list(self.events)
        lines = sorted(self.lines, key=lambda x: (x[0], x[1]))
        if lines and bounds and lines[0][0] < dict((n, t) for t, n in self.phase_at)["PROVISIONING"]:
            sys.exit(f"reconstruct.py: {self.rec.scenario}/{self.id}: log line before PROVISIONING")

        def phase_index(t):
            k = 0
            for n, b in enumerate(bounds):
                if t >= b:
                    k = n
            return k

        batch = []
        for line in lines:
            if batch and (line[0] - batch[0][0] > 2.0 or len(batch) >= 40
                          or phase_index(line[0]) != phase_index(batch[0][0])):
                evs.append((batch[-1][0], batch[-1][1], {"type": "log", "lines": [x[2] for x in batch]}))
                batch = []
            batch.append(line)
        if batch:
            evs.append((batch[-1][0], batch[-1][1], {"type": "log", "lines": [x[2] for x in batch]}))
        return evs


# ── BuildKit's plain progress output ─────────────────────────────────────────────────────────

def stamp(d):
    if d < 10:
        return f"{d:.3f}"
    if d < 100:
        return f"{d:.2f}"
    return f"{d:.1f}"


class BK:
    """Collects BuildKit vertices and their output; renders `--progress=plain` text."""

    def __init__(self, driver_line):
        self.items = [(0.0, 0, "raw", None, driver_line)]
        self.n = 0
        self.names = {}
        self.starts = {}
        self.order = 1

    def _add(self, t, kind, i, text=None):
        self.order += 1
        self.items.append((t, self.order, kind, i, text))

    def vertex(self, name, t):
        self.n += 1
        self.names[self.n] = name
        self.starts[self.n] = t
        self._add(t, "start", self.n)
        return self.n

    def note(self, i, t, text):      # '#N text' (status lines without a timestamp)
        self._add(t, "note", i, text)

    def out(self, i, t, text):       # '#N <seconds> text' (a RUN's output)
        self._add(t, "out", i, text)

    def outs(self, i, t0, t1, texts):
        """Spread output lines over [t0, t1] (relative to the vertex start)."""
        k = len(texts)
        for j, text in enumerate(texts):
            if isinstance(text, tuple):
                frac, text = text
            else:
                frac = j / max(1, k - 1)
            self.out(i, self.starts[i] + t0 + (t1 - t0) * frac, text)

    def done(self, i, t):
        self._add(t, "done", i)

    def error(self, i, t, text):
        self._add(t, "error", i, text)

    def simple(self, name, t, d, notes=()):
        i = self.vertex(name, t)
        for n in notes:
            self.note(i, t + d, n)
        self.done(i, t + d)
        return i

    def scale(self, f):
        self.items = [(t * f, o, k, i, x) for (t, o, k, i, x) in self.items]
        self.starts = {i: t * f for i, t in self.starts.items()}

    def end(self):
        return max(t for t, *_ in self.items)

    def number(self):
        """BuildKit numbers vertices in the order they start."""
        order = sorted(self.starts, key=lambda i: (self.starts[i], i))
        return {i: n for n, i in enumerate(order, 1)}

    def render(self):
        res, cur = [], None
        num = self.number()
        for t, _, kind, i0, text in sorted(self.items, key=lambda x: (x[0], x[1])):
            i = num.get(i0)
            if kind == "raw":
                res.append((t, text))
                cur = None
                continue
            if kind == "start" or cur != i:
                res.append((t, ""))
                res.append((t, f"#{i} {self.names[i0]}"))
                cur = i
                if kind == "start":
                    continue
            if kind == "note":
                res.append((t, f"#{i} {text}"))
            elif kind == "out":
                res.append((t, f"#{i} {stamp(t - self.starts[i0])} {text}"))
            elif kind == "done":
                res.append((t, f"#{i} DONE {t - self.starts[i0]:.1f}s"))
            elif kind == "error":
                res.append((t, f"#{i} ERROR: {text}"))
        return res


def bk_prelude(bk, df, ctx_bytes, pull_layers, platform_note=""):
    """The [internal] steps and the base-image pulls; returns the time they end."""
    bk.simple("[internal] load build definition from Dockerfile", 0.02, 0.03,
              [f"transferring dockerfile: {human(df.size)} done"])
    t = 0.06
    for img in df.base_images():
        bk.simple(f"[internal] load metadata for {img}", t, 0.78 + 0.1 * len(img) % 0.3)
    t += 0.9
    bk.simple("[internal] load .dockerignore", t, 0.01, ["transferring context: 2B done"])
    t += 0.03
    froms = [x for x in df.instrs if x["kw"] == "FROM" and x.get("label")]
    first = froms[0]
    i = bk.vertex(first["label"], t)
    img = first["label"].split(" FROM ", 1)[1]
    bk.note(i, t + 0.01, f"resolve {img} 0.0s done")
    d = 0.2
    for n, size in enumerate(pull_layers):
        lay = digest("layer", img, platform_note, str(n))
        bk.note(i, t + d, f"sha256:{lay} 0B / {human(size)} {d:.1f}s")
        d += 0.3 + size / 60e6
        bk.note(i, t + d, f"sha256:{lay} {human(size)} / {human(size)} {d:.1f}s done")
    for n, size in enumerate(pull_layers):
        lay = digest("layer", img, platform_note, str(n))
        x = 0.4 + size / 40e6
        d += x
        bk.note(i, t + d, f"extracting sha256:{lay} {x:.1f}s done")
    bk.done(i, t + d)
    if ctx_bytes:
        bk.simple("[internal] load build context", t + 0.02, 0.02,
                  [f"transferring context: {human(ctx_bytes)} done"])
    return t + d


def bk_export_docker(bk, t, ref, layers):
    i = bk.vertex("exporting to image", t)
    bk.note(i, t + 0.01, "exporting layers")
    d = 0.1 + 0.15 * layers
    bk.note(i, t + d, f"exporting layers {d:.1f}s done")
    bk.note(i, t + d + 0.02, f"writing image sha256:{digest('config', ref)} done")
    bk.note(i, t + d + 0.03, f"naming to {ref} done")
    bk.done(i, t + d + 0.04)
    return t + d + 0.04


def bk_export_load(bk, t, ref, layers):
    i = bk.vertex("exporting to docker image format", t)
    bk.note(i, t + 0.01, "exporting layers")
    d = 0.8 + 0.6 * layers
    bk.note(i, t + d, f"exporting layers {d:.1f}s done")
    bk.note(i, t + d + 0.05, f"exporting manifest sha256:{digest('manifest', ref)} done")
    bk.note(i, t + d + 0.06, f"exporting config sha256:{digest('config', ref)} done")
    bk.note(i, t + d + 0.07, "sending tarball")
    bk.note(i, t + d + 2.1, "sending tarball 2.0s done")
    bk.done(i, t + d + 2.1)
    t2 = t + d + 2.15
    j = bk.vertex("importing to docker", t2)
    for n in range(layers):
        lay = digest("layer", ref, str(n))[:12]
        bk.note(j, t2 + 0.1 + 0.1 * n, f"loading layer {lay} {human(3.2e6 + n * 41e3)} / "
                                       f"{human(3.2e6 + n * 41e3)} 0.1s done")
    bk.done(j, t2 + 0.15 + 0.1 * layers)
    return t2 + 0.15 + 0.1 * layers


def bk_failure(bk, i, t, df, ins, tail):
    """A failed RUN: BuildKit's error, the output excerpt, the Dockerfile excerpt, the final error."""
    proc = f'process "/bin/sh -c {ins["args"]}" did not complete successfully: exit code: 1'
    bk.error(i, t, proc)
    lines = bk.render()
    lines.append((t, "------"))
    lines.append((t, f" > {bk.names[i]}:"))
    for rel, text in tail:
        lines.append((t, f"{stamp(rel)} {text}"))
    lines.append((t, "------"))
    for x in df.excerpt(ins):
        lines.append((t, x))
    lines.append((t, f"ERROR: failed to solve: {proc}"))
    return lines


# ── log text shared by several builds ───────────────────────────────────────────────────────

def dnf_install(arch, requested, deps, extra_installed=0, already=(), seed=""):
    """Representative `dnf install -y ...` output on Amazon Linux 2023 (compressed), as
    (fraction of the step, line) pairs: dnf prints in bursts, not evenly."""
    r = rng("dnf", arch, seed)
    a = "x86_64" if arch == "x86_64" else "aarch64"
    ago = r.randint(2, 6)
    out = [(0.03, f"Amazon Linux 2023 repository                     {r.randint(38, 71)} MB/s |  "
                  f"{r.randint(31, 44)} MB     00:00"),
           (0.07, f"Last metadata expiration check: 0:00:0{ago} ago on @@WALL-{ago}@@.")]
    head = [f"Package {p}.{a} is already installed." for p in already]
    head += ["Dependencies resolved.",
             "=" * 96,
             " Package                    Arch       Version                              Repository       Size",
             "=" * 96,
             "Installing:"]
    total = 0.0
    for name, ver, size in requested:
        total += size
        head.append(f" {name:<26} {a:<10} {ver:<36} amazonlinux  {fmt_mb(size):>7}")
    if deps:
        head.append("Installing dependencies:")
        for name, ver, size in deps:
            total += size
            head.append(f" {name:<26} {a:<10} {ver:<36} amazonlinux  {fmt_mb(size):>7}")
    count = len(requested) + len(deps) + extra_installed
    total += extra_installed * 0.4
    head += ["", "Transaction Summary", "=" * 96, f"Install  {count} Packages", "",
             f"Total download size: {fmt_mb(total)}",
             f"Installed size: {fmt_mb(total * 3.4)}",
             "Downloading Packages:"]
    out += [(0.09, x) for x in head]
    for n, (name, ver, size) in enumerate(requested[:3], 1):
        rpm = f"({n}/{count}): {name}-{ver.split(':')[-1]}.{a}.rpm"
        out.append((0.12 + 0.1 * n, f"{rpm:<49} {r.randint(20, 90):>3} MB/s | {fmt_mb(size):>6}     00:00"))
    secs = max(1, int(total / 120))
    out += [(0.42, "-" * 96),
            (0.42, f"{'Total':<49} {r.randint(60, 140):>3} MB/s | {fmt_mb(total):>6}     00:0{secs}"),
            (0.44, "Running transaction check"), (0.46, "Transaction check succeeded."),
            (0.47, "Running transaction test"), (0.51, "Transaction test succeeded."),
            (0.52, "Running transaction"),
            (0.53, "  Preparing        :                                                        1/1")]
    pkgs = deps + requested[:-1]
    for n, (name, ver, size) in enumerate(pkgs[:4], 1):
        rpm = f"{name}-{ver.split(':')[-1]}.{a}"
        out.append((0.55 + 0.08 * n, f"  Installing       : {rpm:<52} {n:>3}/{count}"))
    last = f"{requested[-1][0]}-{requested[-1][1].split(':')[-1]}.{a}"
    first = f"{requested[0][0]}-{requested[0][1].split(':')[-1]}.{a}"
    out += [(0.9, f"  Installing       : {last:<52} {count:>3}/{count}"),
            (0.93, f"  Running scriptlet: {last:<52} {count:>3}/{count}"),
            (0.95, f"  Verifying        : {first:<52} {1:>3}/{count}"),
            (0.985, ""), (0.985, "Installed:")]
    names = [f"{n}-{v.split(':')[-1]}.{a}" for n, v, _ in requested + deps]
    for k in range(0, len(names), 3):
        out.append((0.985, "  " + "  ".join(f"{x:<44}" for x in names[k:k + 3]).rstrip()))
    out += [(0.985, ""), (0.99, "Complete!"), (1.0, f"{r.randint(17, 44)} files removed")]
    return out


def fmt_mb(mb):
    if mb >= 1:
        return f"{mb:.0f} M" if mb >= 10 else f"{mb:.1f} M"
    return f"{mb * 1000:.0f} k"


def docker_login():
    return ["WARNING! Your password will be stored unencrypted in /root/.docker/config.json.",
            "Configure a credential helper to remove this warning. See",
            "https://docs.docker.com/go/credential-store/", "", "Login Succeeded"]


def image_digest(container, tag):
    return digest("pushed", container, tag)


def docker_push(ref, tag, layers, seed):
    """`docker push` output for an image of `layers` layers (sizes in bytes); (seconds, lines)."""
    repo = ref.rsplit(":", 1)[0]
    ids = [digest("layer", seed, tag, str(n))[:12] for n in range(len(layers))]
    out = [f"The push refers to repository [{repo}]"]
    out += [f"{x}: Preparing" for x in reversed(ids)]
    out += [f"{x}: Pushed" for x in reversed(ids)]
    size = 527 + 212 * len(layers)
    out.append(f"{tag}: digest: sha256:{image_digest(seed, tag)} size: {size}")
    secs = 1.6 + sum(layers) / 45e6 + (int(digest("push", seed, tag)[:4], 16) % 900) / 1000
    return secs, out


# ── one CodeBuild build of each buildspec ───────────────────────────────────────────────────

class Plan:
    """Durations of the phases around the ones the buildspec fills."""

    def __init__(self, submitted=0.6, queued=2.8, provisioning=22.0, download=3.0,
                 upload=0.25, finalizing=2.4):
        self.submitted, self.queued, self.provisioning = submitted, queued, provisioning
        self.download, self.upload, self.finalizing = download, upload, finalizing


def begin(b, plan, spec):
    b.started()
    b.phase("SUBMITTED")
    b.wait(plan.submitted)
    b.phase("QUEUED")
    b.wait(plan.queued)
    b.phase("PROVISIONING")
    b.wait(plan.provisioning - 1.45)
    b.c("Running on CodeBuild On-demand")
    b.c("Waiting for agent ping")
    b.wait(1.02)
    b.c("Waiting for DOWNLOAD_SOURCE")
    b.wait(0.43)
    b.phase("DOWNLOAD_SOURCE")
    b.wait(plan.download - 0.9)
    b.c("Phase is DOWNLOAD_SOURCE")
    b.c(f"CODEBUILD_SRC_DIR={b.srcdir}")
    b.c("YAML location is /codebuild/readonly/buildspec.yml")
    b.c("Setting HTTP client timeout to higher timeout for S3 source")
    b.c("Processing environment variables")
    b.c("No runtime version selected in buildspec.")
    b.c(f"Moving to directory {b.srcdir}")
    b.wait(0.31)
    b.c("Unable to initialize cache download: no paths specified to be cached")
    b.c(f"Configuring ssm agent with target id: codebuild:{b.uuid}")
    b.wait(0.22)
    b.c("Successfully updated ssm agent configuration")
    b.c("Registering with agent")
    b.wait(0.19)
    b.c(f"Phases found in YAML: {len(spec)}")
    for ph, cmds in spec.items():
        b.c(f" {ph.upper()}: {len(cmds)} commands")
    b.wait(0.18)
    b.c("Phase complete: DOWNLOAD_SOURCE State: SUCCEEDED")
    b.c("Phase context status code:  Message: ")


def enter(b, phase):
    b.phase(phase)
    b.c(f"Entering phase {phase}")


def run(b, cmd):
    b.c(f"Running command {cmd}")


def complete(b, phase, failed_cmd=None):
    if failed_cmd is None:
        b.c(f"Phase complete: {phase} State: SUCCEEDED")
        b.c("Phase context status code:  Message: ")
    else:
        b.c(f"Command did not exit successfully {failed_cmd} exit status 1")
        b.c(f"Phase complete: {phase} State: FAILED")
        b.c(f"Phase context status code: COMMAND_EXECUTION_ERROR Message: Error while executing "
            f"command: {failed_cmd}. Reason: exit status 1")


def finish(b, plan, ok, total=None):
    b.phase("UPLOAD_ARTIFACTS")
    b.wait(0.05)
    b.c("Set report auto-discover timeout to 5 seconds")
    b.c("Expanding base directory path:  .")
    b.c("Assembling file list")
    b.c("Expanding .")
    b.c("Expanding file paths for base directory .")
    b.c("Assembling file list")
    b.c("Expanding **/*")
    b.wait(plan.upload - 0.1)
    b.c("No matching auto-discover report paths found")
    b.c(f"Report auto-discover file discovery took 0.0{int(digest('rad', b.id)[:5], 16) % 90000 + 10000:05d} seconds")
    b.wait(0.05)
    b.c("Phase complete: UPLOAD_ARTIFACTS State: SUCCEEDED")
    b.c("Phase context status code:  Message: ")
    b.phase("FINALIZING")
    if total is not None:
        b.t = b.start + total
    else:
        b.wait(plan.finalizing)
    b.phase("COMPLETED")
    b.status("SUCCEEDED" if ok else "FAILED")


def login_cmds(b, cmds):
    """Run the variable assignments and the ECR login of a pre_build phase."""
    for cmd in cmds:
        run(b, cmd)
        if "docker login" in cmd:
            b.wait(2.37)
            b.out(*docker_login())
        else:
            b.wait(0.02)


def native_build(rec, bid, cfg, plan, docker, total=None, push_layers=(), start=0.0):
    """A build of buildspecs/native_build.yml; `docker(target)` renders the docker build."""
    spec = buildspec("native_build.yml")
    env = ENV_X86 if cfg["arch"] == "x86_64" else ENV_ARM
    b = rec.build(bid, env, start)
    platform = cfg["env"]["PLATFORM"]
    name = cfg["env"]["CONTAINER_NAME"]
    image = f"{REGISTRY}/arm64-demo:{name}-{platform}"
    begin(b, plan, spec)
    # INSTALL
    b.wait(0.04)
    enter(b, "INSTALL")
    run(b, spec["install"][0])
    b.wait(0.41)
    b.out(f"docker client {DOCKER_VERSION}, server {DOCKER_VERSION}")
    b.wait(0.03)
    complete(b, "INSTALL")
    # PRE_BUILD
    b.wait(0.02)
    enter(b, "PRE_BUILD")
    for cmd in spec["pre_build"]:
        run(b, cmd)
        if cmd.startswith("echo"):
            b.wait(0.01)
            b.out(f"building {cfg['source']} as {image} on {'x86_64' if platform == 'amd64' else 'aarch64'}")
        elif "docker login" in cmd:
            b.wait(2.41)
            b.out(*docker_login())
        else:
            b.wait(0.02)
    b.wait(0.05)
    complete(b, "PRE_BUILD")
    # BUILD
    b.wait(0.02)
    enter(b, "BUILD")
    cmd = spec["build"][0]
    run(b, cmd)
    b.wait(0.06)
    post = 0.0
    if push_layers:
        post = docker_push(image, f"{name}-{platform}", push_layers, f"{name}")[0] + 0.25
    target = None
    if total is not None:
        used = (b.t - b.start) + 0.2 + post + 0.1 + plan.upload + plan.finalizing
        target = total - used
    lines, secs, ok = docker(target, image)
    b.lines_at(b.t, lines)
    b.wait(secs)
    b.wait(0.011)
    b.out(f"ARM64_DEMO_TIMING step=docker_build seconds={secs:.3f} platform={platform}")
    b.wait(0.18)
    complete(b, "BUILD", None if ok else cmd)
    # POST_BUILD
    b.wait(0.01)
    enter(b, "POST_BUILD")
    pcmd = spec["post_build"][0]
    run(b, pcmd)
    if ok:
        secs, out = docker_push(image, f"{name}-{platform}", push_layers, f"{name}")
        b.wait(0.12)
        b.lines_at(b.t, [(secs * k / len(out), x) for k, x in enumerate(out)])
        b.wait(secs)
        b.wait(0.01)
        b.out(f"ARM64_DEMO_TIMING step=docker_push seconds={secs + 0.118:.3f} platform={platform}")
        b.wait(0.1)
        complete(b, "POST_BUILD")
    else:
        b.wait(0.06)
        b.out(f"no image {image} to push (the build failed)")
        b.wait(0.02)
        complete(b, "POST_BUILD", pcmd)
    b.wait(0.02)
    finish(b, plan, ok, total)
    return b


def manifest_build(rec, bid, name, plan, start):
    """A build of buildspecs/multi_arch_manifest.yml (joins <name>-amd64 and <name>-arm64)."""
    spec = buildspec("multi_arch_manifest.yml")
    b = rec.build(bid, ENV_X86, start)
    repo = f"{REGISTRY}/arm64-demo"
    begin(b, plan, spec)
    b.wait(0.03)
    enter(b, "INSTALL")
    run(b, spec["install"][0])
    b.wait(0.09)
    b.out(f"github.com/docker/buildx {BUILDX_VERSION} {digest('buildx')[:7]}")
    b.wait(0.02)
    complete(b, "INSTALL")
    b.wait(0.02)
    enter(b, "PRE_BUILD")
    login_cmds(b, spec["pre_build"])
    b.wait(0.04)
    complete(b, "PRE_BUILD")
    b.wait(0.02)
    enter(b, "BUILD")
    cmd = spec["build"][0]
    run(b, cmd)
    b.wait(0.3)
    idx = digest("index", name)
    b.out(f"#1 [internal] pushing {repo}:{name}",
          f"#1 0.118 copying sha256:{image_digest(name, name + '-amd64')} from {repo}:{name}-amd64 to {repo}:{name}",
          f"#1 0.143 copying sha256:{image_digest(name, name + '-arm64')} from {repo}:{name}-arm64 to {repo}:{name}")
    b.wait(0.96)
    b.out(f"#1 1.104 pushing sha256:{idx} to {repo}:{name}", "#1 DONE 1.1s")
    b.wait(0.03)
    b.out("ARM64_DEMO_TIMING step=manifest seconds=1.297")
    b.wait(0.05)
    complete(b, "BUILD")
    b.wait(0.02)
    enter(b, "POST_BUILD")
    run(b, spec["post_build"][0])
    b.wait(0.71)
    b.out(f"Name:      {repo}:{name}",
          "MediaType: application/vnd.docker.distribution.manifest.list.v2+json",
          f"Digest:    sha256:{idx}", "", "Manifests:",
          f"  Name:      {repo}:{name}@sha256:{image_digest(name, name + '-amd64')}",
          "  MediaType: application/vnd.docker.distribution.manifest.v2+json",
          "  Platform:  linux/amd64", "",
          f"  Name:      {repo}:{name}@sha256:{image_digest(name, name + '-arm64')}",
          "  MediaType: application/vnd.docker.distribution.manifest.v2+json",
          "  Platform:  linux/arm64")
    b.wait(0.04)
    complete(b, "POST_BUILD")
    b.wait(0.02)
    finish(b, plan, True)
    return b


# ── concept 1: codecommit/native_speed ──────────────────────────────────────────────────────

def ns_projects(arch):
    """Per C project: (ninja edges, nominal x86 seconds, sample ninja lines, installed files)."""
    a = arch
    asm = ("aesni-gcm-x86_64.S" if a == "x86_64" else "aesv8-gcm-armv8.S")
    common_arch = ("source/arch/intel/cpuid.c.o" if a == "x86_64" else "source/arch/arm/asm/cpuid.c.o")
    lib = "/usr/lib64"
    return {
        "aws-lc": (655, 96.0, [
            "Building C object crypto/fipsmodule/CMakeFiles/fipsmodule.dir/bcm.c.o",
            f"Building ASM object crypto/fipsmodule/CMakeFiles/fipsmodule.dir/__/__/generated-src/linux-{a}/crypto/fipsmodule/{asm}.o",
            "Building C object crypto/CMakeFiles/crypto_objects.dir/asn1/a_bitstr.c.o",
            "Building C object crypto/CMakeFiles/crypto_objects.dir/evp_extra/p_ed25519.c.o",
            "Building C object crypto/CMakeFiles/crypto_objects.dir/x509/x509_vfy.c.o",
            "Linking C static library crypto/libcrypto.a",
            "Building CXX object ssl/CMakeFiles/ssl.dir/ssl_lib.cc.o",
            "Linking CXX static library ssl/libssl.a",
            "Linking CXX executable tool/bssl"],
            [f"{lib}/libcrypto.a", f"{lib}/libssl.a", "/usr/include/openssl/aes.h",
             f"{lib}/crypto/cmake/crypto-config.cmake"]),
        "s2n-tls": (231, 43.0, [
            "Building C object CMakeFiles/s2n.dir/crypto/s2n_aead_cipher_aes_gcm.c.o",
            "Building C object CMakeFiles/s2n.dir/tls/s2n_handshake_io.c.o",
            "Building C object CMakeFiles/s2n.dir/tls/s2n_kem.c.o",
            "Building C object CMakeFiles/s2n.dir/utils/s2n_blob.c.o",
            "Linking C static library lib/libs2n.a"],
            [f"{lib}/libs2n.a", "/usr/include/s2n.h"]),
        "aws-c-common": (118, 16.0, [
            "Building C object CMakeFiles/aws-c-common.dir/source/allocator.c.o",
            f"Building C object CMakeFiles/aws-c-common.dir/{common_arch}",
            "Building C object CMakeFiles/aws-c-common.dir/source/encoding.c.o",
            "Linking C static library libaws-c-common.a"],
            [f"{lib}/libaws-c-common.a", "/usr/include/aws/common/common.h",
             f"{lib}/cmake/aws-c-common/aws-c-common-config.cmake"]),
        "aws-c-sdkutils": (12, 5.0, [
            "Building C object CMakeFiles/aws-c-sdkutils.dir/source/aws_profile.c.o",
            "Building C object CMakeFiles/aws-c-sdkutils.dir/source/endpoints_ruleset.c.o",
            "Linking C static library libaws-c-sdkutils.a"],
            [f"{lib}/libaws-c-sdkutils.a"]),
        "aws-c-cal": (22, 7.0, [
            "Building C object CMakeFiles/aws-c-cal.dir/source/der.c.o",
            "Building C object CMakeFiles/aws-c-cal.dir/source/unix/openssl_platform_init.c.o",
            "Linking C static library libaws-c-cal.a"],
            [f"{lib}/libaws-c-cal.a"]),
        "aws-c-io": (49, 15.0, [
            "Building C object CMakeFiles/aws-c-io.dir/source/channel.c.o",
            "Building C object CMakeFiles/aws-c-io.dir/source/linux/epoll_event_loop.c.o",
            "Building C object CMakeFiles/aws-c-io.dir/source/posix/socket.c.o",
            "Building C object CMakeFiles/aws-c-io.dir/source/s2n/s2n_tls_channel_handler.c.o",
            "Linking C static library libaws-c-io.a"],
            [f"{lib}/libaws-c-io.a"]),
        "aws-c-compression": (6, 4.0, [
            "Building C object CMakeFiles/aws-c-compression.dir/source/huffman.c.o",
            "Linking C static library libaws-c-compression.a"],
            [f"{lib}/libaws-c-compression.a"]),
        "aws-c-http": (47, 15.0, [
            "Building C object CMakeFiles/aws-c-http.dir/source/h1_connection.c.o",
            "Building C object CMakeFiles/aws-c-http.dir/source/h2_connection.c.o",
            "Building C object CMakeFiles/aws-c-http.dir/source/websocket.c.o",
            "Linking C static library libaws-c-http.a"],
            [f"{lib}/libaws-c-http.a"]),
        "aws-c-auth": (40, 14.0, [
            "Building C object CMakeFiles/aws-c-auth.dir/source/aws_signing.c.o",
            "Building C object CMakeFiles/aws-c-auth.dir/source/credentials_provider_imds.c.o",
            "Linking C static library libaws-c-auth.a"],
            [f"{lib}/libaws-c-auth.a"]),
        "json-c": (45, 8.0, [
            "Building C object CMakeFiles/json-c.dir/json_object.c.o",
            "Building C object CMakeFiles/json-c.dir/json_tokener.c.o",
            "Linking C static library libjson-c.a"],
            [f"{lib}/libjson-c.a", "/usr/include/json-c/json.h"]),
        "aws-nitro-enclaves-sdk-c": (38, 27.0, [
            "Building C object CMakeFiles/aws-nitro-enclaves-sdk-c.dir/source/cms.c.o",
            "Building C object CMakeFiles/aws-nitro-enclaves-sdk-c.dir/source/kms.c.o",
            "Building C object CMakeFiles/aws-nitro-enclaves-sdk-c.dir/source/rest.c.o",
            "Linking C static library libaws-nitro-enclaves-sdk-c.a",
            "Linking C executable bin/kmstool-enclave-cli/kmstool_enclave_cli"],
            [f"{lib}/libaws-nitro-enclaves-sdk-c.a", "/usr/bin/kmstool_enclave_cli"]),
    }


def cmake_lines(repo, edges, objs, installs, workdir):
    head = [f"Cloning into '{repo}'..."]
    cfg = [f"-- The C compiler identification is GNU {GCC}",
           f"-- The CXX compiler identification is GNU {GCC}",
           "-- Detecting C compiler ABI info", "-- Detecting C compiler ABI info - done",
           "-- Check for working C compiler: /usr/bin/cc - skipped",
           "-- Detecting C compile features", "-- Detecting C compile features - done"]
    if repo == "aws-lc":
        cfg.append('-- Found Perl: /usr/bin/perl (found version "5.32.1")')
    if repo == "s2n-tls":
        cfg += ["-- LibCrypto Include Dir: /usr/include",
                "-- LibCrypto Static Lib:  /usr/lib64/libcrypto.a"]
    cfg += ["-- Configuring done", "-- Generating done",
            f"-- Build files have been written to: {workdir}/{repo}/build"]
    k = len(objs)
    ninja = []
    for j, o in enumerate(objs):
        n = edges if j == k - 1 else 1 + (edges - 2) * j // max(1, k - 1)
        ninja.append(f"[{n}/{edges}] {o}")
    inst = ["[0/1] Install the project...", '-- Install configuration: ""']
    inst += [f"-- Installing: {p}" for p in installs]
    return head, cfg, ninja, inst


def ns_render(arch, ref, k, driver, export):
    """The native_speed image build for one platform, CPU-bound steps stretched by k."""
    df = Dockerfile("codecommit/native_speed/Dockerfile")
    a = arch
    bk = BK(driver)
    p = bk_prelude(bk, df, 0, [52.4e6], a)
    projects = ns_projects(a)
    # toolchain
    tc = df.run("dnf install -y cmake")
    i = bk.vertex(tc["label"], p)
    pk = re.findall(r"dnf install -y ([^&]+)", tc["args"])[0].split()
    vers = {"cmake": ("3.22.2-1.amzn2023.0.4", 7.3), "ninja-build": ("1.10.2-3.amzn2023.0.2", 0.14),
            "gcc": (f"{GCC}-5.amzn2023.0.5", 32.0), "gcc-c++": (f"{GCC}-5.amzn2023.0.5", 13.0),
            "make": ("1:4.3-5.amzn2023.0.2", 0.53), "git": ("2.50.1-1.amzn2023.0.1", 0.05),
            "tar": ("2:1.34-1.amzn2023.0.4", 0.88), "golang": ("1.24.6-1.amzn2023.0.1", 48.0),
            "perl": ("4:5.32.1-477.amzn2023.0.7", 0.02)}
    req = [(n, *vers.get(n, ("1.0-1.amzn2023", 1.0))) for n in pk]
    deps = [("cpp", f"{GCC}-5.amzn2023.0.5", 11.0), ("glibc-devel", "2.34-196.amzn2023.0.1", 0.5),
            ("libstdc++-devel", f"{GCC}-5.amzn2023.0.5", 2.5), ("git-core", "2.50.1-1.amzn2023.0.1", 4.9),
            ("golang-src", "1.24.6-1.amzn2023.0.1", 13.0), ("perl-libs", "4:5.32.1-477.amzn2023.0.7", 2.1)]
    d = 44.6 * k
    bk.outs(i, 0.6, d - 0.4, dnf_install(a, req, deps, extra_installed=112, seed="toolchain"))
    bk.done(i, p + d)
    t = p + d
    # the C libraries (stage crt) and, in parallel, the Rust library (stage nsm)
    wd = df.find("WORKDIR", "/tmp/crt")
    bk.simple(wd["label"], t, 0.02)
    tcrt = t + 0.03
    sdk_run = None
    for ins in [x for x in df.instrs if x["kw"] == "RUN" and "git clone" in x["args"]]:
        m = re.search(r"-b (\S+) https://github.com/[^/]+/([^/ ]+?)\.git", ins["args"])
        repo = m.group(2)
        if repo == "aws-nitro-enclaves-nsm-api":
            continue
        if repo == "aws-nitro-enclaves-sdk-c":
            sdk_run = ins
            continue
        edges, secs, objs, installs = projects[repo]
        secs *= k
        i = bk.vertex(ins["label"], tcrt)
        head, cfg, ninja, inst = cmake_lines(repo, edges, objs, installs, "/tmp/crt")
        bk.outs(i, 0.2, 0.3, head)
        c1 = 0.9 + min(0.04 * secs, 6.0)
        bk.outs(i, 0.9, c1, cfg)
        bk.outs(i, c1 + 0.4, 0.97 * secs, ninja)
        bk.outs(i, 0.975 * secs, 0.99 * secs, inst)
        bk.done(i, tcrt + secs)
        tcrt += secs + 0.01
    nd = df.run("dnf install -y rust cargo")
    i = bk.vertex(nd["label"], t)
    rust = [("rust", "1.88.0-1.amzn2023.0.1", 31.0), ("cargo", "1.88.0-1.amzn2023.0.1", 7.9)]
    rdeps = [("rust-std-static", "1.88.0-1.amzn2023.0.1", 41.0), ("llvm-libs", "15.0.7-3.amzn2023.0.3", 26.0)]
    d = 36.0 * k
    bk.outs(i, 0.5, d - 0.7, dnf_install(a, rust, rdeps, extra_installed=2, seed="rust"))
    bk.done(i, t + d)
    wn = df.find("WORKDIR", "/tmp/nsm")
    bk.simple(wn["label"], t + d + 0.02, 0.02)
    tn = t + d + 0.05
    ns = df.run("nsm-api.git")
    i = bk.vertex(ns["label"], tn)
    crates = [("proc-macro2", "1.0.95"), ("unicode-ident", "1.0.18"), ("libc", "0.2.174"),
              ("serde", "1.0.219"), ("cfg-if", "1.0.1"), ("bitflags", "2.9.1"), ("quote", "1.0.40"),
              ("syn", "2.0.104"), ("serde_derive", "1.0.219"), ("half", "1.8.3"), ("log", "0.4.27"),
              ("serde_cbor", "0.11.2"), ("serde_bytes", "0.11.17"), ("nix", "0.26.4")]
    d = 62.0 * k
    fetch = 3.1 + 0.02 * d   # clone and crate downloads: network, not CPU
    cargo = [(0.3, "Cloning into 'aws-nitro-enclaves-nsm-api'..."),
             (1.4, "    Updating crates.io index"),
             (fetch - 1.2, "     Locking 31 packages to latest Rust 1.88.0 compatible versions"),
             (fetch - 1.1, " Downloading crates ...")]
    cargo += [(fetch - 0.6 + 0.05 * n, f"  Downloaded {c} v{v}") for n, (c, v) in enumerate(crates[:6])]
    comp = crates + [("aws-nitro-enclaves-nsm-api", "0.4.0 (/tmp/nsm/aws-nitro-enclaves-nsm-api)"),
                     ("nsm-lib", "0.4.0 (/tmp/nsm/aws-nitro-enclaves-nsm-api/nsm-lib)")]
    for n, (c, v) in enumerate(comp):
        cargo.append((fetch + (d - fetch - 1.0) * (n / len(comp)) ** 1.6, f"   Compiling {c} v{v}"))
    cargo.append((d - 0.5, f"    Finished `release` profile [optimized] target(s) in {d - 0.5 - 1.4:.2f}s"))
    for rel, text in cargo:
        bk.out(i, tn + rel, text)
    bk.done(i, tn + d)
    # the SDK, once both chains are done
    t = max(tcrt, tn + d) + 0.02
    for ins in [x for x in df.instrs if x["kw"] == "COPY" and "--from=nsm" in x["args"]]:
        bk.simple(ins["label"], t, 0.04)
        t += 0.05
    edges, secs, objs, installs = projects["aws-nitro-enclaves-sdk-c"]
    secs *= k
    i = bk.vertex(sdk_run["label"], t)
    head, cfg, ninja, inst = cmake_lines("aws-nitro-enclaves-sdk-c", edges, objs, installs, "/tmp/crt")
    bk.outs(i, 0.2, 0.3, head)
    bk.outs(i, 0.9, 2.4, cfg)
    bk.outs(i, 3.0, 0.95 * secs, ninja)
    bk.outs(i, 0.96 * secs, 0.98 * secs, inst + [f"kmstool_enclave_cli built on {a}"])
    bk.done(i, t + secs)
    t += secs + 0.02
    for ins in [x for x in df.instrs if x["kw"] == "COPY" and "--from=sdk" in x["args"]]:
        bk.simple(ins["label"], t, 0.09)
        t += 0.1
    if export == "docker":
        t = bk_export_docker(bk, t, ref, 3)
    else:
        t = bk_export_load(bk, t, ref, 3)
    return bk, t + 0.05


def ns_docker(arch, ref, target, driver, export):
    """Render the native_speed image build; with a target, its CPU-bound steps are stretched so
    that the whole `docker build` lasts exactly `target` seconds. Returns (lines, seconds, ok)."""
    k = 1.0
    if target is not None:
        e1 = ns_render(arch, ref, 1.0, driver, export)[1]
        e2 = ns_render(arch, ref, 2.0, driver, export)[1]
        k = (target - (2 * e1 - e2)) / (e2 - e1)   # the end is linear in k
    bk, end = ns_render(arch, ref, k, driver, export)
    return bk.render(), (round(target, 3) if target is not None else end), True


def native_build_scenario(deck):
    rec = Recording("native-build", NOTE_SEED, DATE.replace(hour=10, minute=15))
    builds = {b["id"]: b for b in deck["builds"]}
    x86 = builds["x86-native"]
    arm = builds["arm64-native"]
    layers = [52.4e6, 3.1e6, 0.2e6]
    driver = '#0 building with "default" instance using docker driver'
    b1 = native_build(rec, "x86-native", x86, Plan(submitted=0.62, queued=2.71, provisioning=21.9,
                                                   download=3.1),
                      lambda target, ref: ns_docker("x86_64", ref, target, driver, "docker"),
                      total=float(x86["reference"]["seconds"]), push_layers=layers)
    b2 = native_build(rec, "arm64-native", arm, Plan(submitted=0.71, queued=3.42, provisioning=37.8,
                                                     download=3.4),
                      lambda target, ref: ns_docker("aarch64", ref, target, driver, "docker"),
                      total=float(arm["reference"]["seconds"]), push_layers=layers)
    start = max(b1.t, b2.t) + 4.2
    manifest_build(rec, "manifest", builds["manifest"]["env"]["CONTAINER_NAME"],
                   Plan(submitted=0.58, queued=2.4, provisioning=19.7, download=2.2), start)
    return rec


# ── concept 1: the emulated build ───────────────────────────────────────────────────────────

def emulated_build_scenario(deck):
    rec = Recording("emulated-build", NOTE_SEED, DATE.replace(hour=11, minute=2))
    cfg = {b["id"]: b for b in deck["builds"]}["arm64-emulated"]
    total = float(cfg["reference"]["seconds"])
    name = cfg["env"]["CONTAINER_NAME"]
    spec = buildspec("emulated_build.yml")
    repo = f"{REGISTRY}/arm64-demo"
    plan = Plan(submitted=0.66, queued=2.9, provisioning=22.6, download=3.2)
    b = rec.build("arm64-emulated", ENV_X86)
    begin(b, plan, spec)
    b.wait(0.03)
    enter(b, "INSTALL")
    run(b, spec["install"][0])
    b.wait(0.02)
    run(b, spec["install"][1])
    binfmt = "public.ecr.aws/eks-distro-build-tooling/binfmt-misc:qemu-v7.0.0"
    b.wait(0.3)
    b.out(f"Unable to find image '{binfmt}' locally",
          "qemu-v7.0.0: Pulling from eks-distro-build-tooling/binfmt-misc")
    lay = [digest("layer", binfmt, str(n))[:12] for n in range(3)]
    b.out(*[f"{x}: Pulling fs layer" for x in lay])
    b.wait(2.9)
    b.out(*[f"{x}: Verifying Checksum" for x in lay], *[f"{x}: Download complete" for x in lay])
    b.wait(1.1)
    b.out(*[f"{x}: Pull complete" for x in lay],
          f"Digest: sha256:{digest('binfmt')}",
          f"Status: Downloaded newer image for {binfmt}")
    b.wait(0.4)
    b.out("installing: arm64 OK", "{", '  "supported": [', '    "linux/amd64",',
          '    "linux/amd64/v2",', '    "linux/amd64/v3",', '    "linux/arm64",', '    "linux/386"',
          "  ],", '  "emulators": [', '    "qemu-aarch64"', "  ]", "}")
    b.wait(0.05)
    b.out("ARM64_DEMO_TIMING step=qemu_setup seconds=4.791")
    b.wait(0.03)
    complete(b, "INSTALL")
    b.wait(0.02)
    enter(b, "PRE_BUILD")
    login_cmds(b, spec["pre_build"][:4])
    run(b, spec["pre_build"][4])
    b.wait(0.2)
    b.out("arm64-demo")
    b.wait(0.1)
    bkimg = "public.ecr.aws/vend/moby/buildkit:buildx-stable-1"
    b.out("#1 [internal] booting buildkit", f"#1 pulling image {bkimg}")
    b.wait(3.4)
    b.out(f"#1 pulling image {bkimg} 3.4s done", "#1 creating container buildx_buildkit_arm64-demo0")
    b.wait(0.6)
    b.out("#1 creating container buildx_buildkit_arm64-demo0 0.6s done", "#1 DONE 4.0s",
          "Name:          arm64-demo", "Driver:        docker-container",
          f"Last Activity: {(rec.wall0 + dt.timedelta(seconds=b.t)):%Y-%m-%d %H:%M:%S} +0000 UTC", "",
          "Nodes:", "Name:                  arm64-demo0", "Endpoint:              unix:///var/run/docker.sock",
          f'Driver Options:        image="{bkimg}"', "Status:                running",
          "BuildKit daemon flags: --allow-insecure-entitlement=network.host",
          "BuildKit version:      v0.18.2",
          "Platforms:             linux/amd64, linux/amd64/v2, linux/amd64/v3, linux/arm64, linux/386")
    b.wait(0.05)
    b.out("ARM64_DEMO_TIMING step=builder_setup seconds=4.893")
    b.wait(0.04)
    complete(b, "PRE_BUILD")
    # BUILD: amd64 natively, then arm64 through QEMU
    b.wait(0.02)
    enter(b, "BUILD")
    driver = '#0 building with "arm64-demo" instance using docker-container driver'
    push = {}
    for arch in ("amd64", "arm64"):
        push[arch] = docker_push(f"{repo}:{name}-emulated-{arch}", f"{name}-emulated-{arch}",
                                 [52.4e6, 3.1e6, 0.2e6], f"{name}-emulated")[0]
    post = push["amd64"] + push["arm64"] + 0.12 * 2 + 0.05 + 1.6 + 0.4
    amd64_secs = 386.214  # of the order of the native x86 docker build (the seed gives no figure)
    run(b, spec["build"][0])
    b.wait(0.05)
    lines, secs, _ = ns_docker("x86_64", f"{repo}:{name}-emulated-amd64", amd64_secs, driver, "load")
    b.lines_at(b.t, lines)
    b.wait(secs + 0.009)
    b.out(f"ARM64_DEMO_TIMING step=docker_build_amd64 seconds={secs:.3f} platform=amd64")
    b.wait(0.02)
    run(b, spec["build"][1])
    b.wait(0.05)
    used = (b.t - b.start) + 0.009 + 0.2 + post + 0.12 + plan.upload + plan.finalizing
    lines, secs, _ = ns_docker("aarch64", f"{repo}:{name}-emulated-arm64", total - used, driver, "load")
    b.lines_at(b.t, lines)
    b.wait(secs + 0.009)
    b.out(f"ARM64_DEMO_TIMING step=docker_build_arm64 seconds={secs:.3f} platform=arm64")
    b.wait(0.2)
    complete(b, "BUILD")
    b.wait(0.01)
    enter(b, "POST_BUILD")
    run(b, spec["post_build"][0])
    for arch in ("amd64", "arm64"):
        secs, out = docker_push(f"{repo}:{name}-emulated-{arch}", f"{name}-emulated-{arch}",
                                [52.4e6, 3.1e6, 0.2e6], f"{name}-emulated")
        b.wait(0.12)
        b.lines_at(b.t, [(secs * k / len(out), x) for k, x in enumerate(out)])
        b.wait(secs)
        b.out(f"ARM64_DEMO_TIMING step=docker_push seconds={secs + 0.12:.3f} platform={arch}")
    b.wait(0.05)
    run(b, spec["post_build"][1])
    b.wait(0.3)
    idx = digest("index", name + "-emulated")
    b.out(f"#1 [internal] pushing {repo}:{name}-emulated",
          f"#1 0.121 copying sha256:{image_digest(name + '-emulated', name + '-emulated-amd64')} from {repo}:{name}-emulated-amd64 to {repo}:{name}-emulated",
          f"#1 0.139 copying sha256:{image_digest(name + '-emulated', name + '-emulated-arm64')} from {repo}:{name}-emulated-arm64 to {repo}:{name}-emulated")
    b.wait(1.0)
    b.out(f"#1 1.086 pushing sha256:{idx} to {repo}:{name}-emulated", "#1 DONE 1.1s")
    b.wait(0.3)
    b.out("ARM64_DEMO_TIMING step=manifest seconds=1.283")
    b.wait(0.1)
    complete(b, "POST_BUILD")
    b.wait(0.02)
    finish(b, plan, True, total)
    return rec


# ── concept 2A: codecommit/software_running ─────────────────────────────────────────────────

PY_SLIM_LAYERS = [28.2e6, 3.51e6, 13.66e6, 250.0]


def pip_req_lines(path):
    """(name, version, line number) of each `name==version` pin of a requirements file."""
    out = []
    for n, line in enumerate(read(path).split("\n"), 1):
        m = re.match(r"^\s*([A-Za-z0-9_.-]+)==([^\s#]+)", line)
        if m:
            out.append((m.group(1), m.group(2), n))
    return out


def primes_below(limit):
    sieve = bytearray([1]) * limit
    sieve[:2] = b"\x00\x00"
    for i in range(2, int(limit ** 0.5) + 1):
        if sieve[i]:
            sieve[i * i::i] = bytearray(len(range(i * i, limit, i)))
    return sum(sieve)


def tabulate_simple(headers, rows):
    widths = [max(len(h) + 2, *(len(r[k]) for r in rows)) for k, h in enumerate(headers)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    return [line(headers), "  ".join("-" * w for w in widths)] + [line(r) for r in rows]


def arch_factor(arch, what):
    """A small, stable, per-arch variation of a representative duration (0.9 .. 1.15)."""
    return 0.9 + (int(digest("speed", arch, what)[:4], 16) % 250) / 1000


def sr_docker(arch, ref):
    folder = "codecommit/software_running"
    df = Dockerfile(f"{folder}/Dockerfile")
    a = arch
    bk = BK('#0 building with "default" instance using docker driver')
    p = bk_prelude(bk, df, dir_bytes(folder), PY_SLIM_LAYERS, a)
    t = p + 0.02
    bk.simple(df.find("WORKDIR")["label"], t, 0.03)
    t += 0.05
    bk.simple(df.find("COPY", "requirements.txt")["label"], t, 0.02)
    t += 0.03
    pip = df.run("pip install")
    i = bk.vertex(pip["label"], t)
    reqs = pip_req_lines(f"{folder}/requirements.txt")
    out = []
    sizes = {"packaging": ("74 kB", "3.3 kB"), "tabulate": ("39 kB", "40 kB")}
    for name, ver, n in reqs:
        out += [f"Collecting {name}=={ver} (from -r requirements.txt (line {n}))",
                f"  Downloading {name}-{ver}-py3-none-any.whl.metadata ({sizes.get(name, ('50 kB', '4 kB'))[1]})"]
    for name, ver, n in reqs:
        out.append(f"Downloading {name}-{ver}-py3-none-any.whl ({sizes.get(name, ('50 kB', '4 kB'))[0]})")
    out += [f"Installing collected packages: {', '.join(sorted(r[0] for r in reqs))}",
            f"Successfully installed {' '.join(f'{r[0]}-{r[1]}' for r in sorted(reqs))}",
            "WARNING: Running pip as the 'root' user can result in broken permissions and conflicting "
            "behaviour with the system package manager, possibly rendering the system unusable. It is "
            "recommended to use a virtual environment instead: https://pip.pypa.io/warnings/venv. Use "
            "the --root-user-action option if you intend to suppress this warning."]
    d = 2.8 * arch_factor(a, "sr-pip")
    bk.outs(i, 0.71, d - 0.2, out)
    bk.done(i, t + d)
    t += d + 0.02
    bk.simple(df.find("COPY", "app.py")["label"], t, 0.02)
    t += 0.03
    app = df.run("python app.py")
    i = bk.vertex(app["label"], t)
    primes = primes_below(2_000_000)
    work = 0.0741 if a == "x86_64" else 0.0667
    rows = [[name, f"=={ver}", ver, "yes"] for name, ver, _ in reqs]
    table = tabulate_simple(["package", "pinned", "installed", "matches"], rows)
    summary = (f"{a}, Python {PY312}: {primes} primes below 2,000,000 in {work:.2f} s; "
               f"wrote out/report.json")
    bk.outs(i, 0.21, 0.22, table + [summary])
    bk.done(i, t + 0.3)
    t += 0.32
    chk = df.run("test -s out/report.json")
    i = bk.vertex(chk["label"], t)
    report = {"machine": a, "python": PY312,
              "packages": [{"name": name, "pinned": f"=={ver}", "installed": ver, "ok": True}
                           for name, ver, _ in reqs],
              "primes_below_2e6": primes,
              "sha256": hashlib.sha256(str(primes).encode()).hexdigest(),
              "work_seconds": work}
    bk.outs(i, 0.05, 0.06, json.dumps(report, indent=2).split("\n"))
    bk.done(i, t + 0.1)
    t += 0.12
    t = bk_export_docker(bk, t, ref, 7)
    return bk.render(), t + 0.04, True


def software_running_scenario(deck):
    rec = Recording("software-running", NOTE_REPR, DATE.replace(hour=13, minute=40))
    builds = {b["id"]: b for b in deck["builds"]}
    layers = PY_SLIM_LAYERS + [1.2e3, 2.1e5, 3.3e3, 1.9e3, 1.1e3]
    b1 = native_build(rec, "x86", builds["x86"], Plan(provisioning=20.8, queued=2.6),
                      lambda target, ref: sr_docker("x86_64", ref), push_layers=layers)
    b2 = native_build(rec, "arm64", builds["arm64"], Plan(provisioning=34.9, queued=3.3),
                      lambda target, ref: sr_docker("aarch64", ref), push_layers=layers)
    manifest_build(rec, "manifest", builds["manifest"]["env"]["CONTAINER_NAME"],
                   Plan(submitted=0.55, queued=2.2, provisioning=19.4, download=2.1),
                   max(b1.t, b2.t) + 3.8)
    return rec


# ── concept 2B: python_issues / python_fixes ────────────────────────────────────────────────

def apt_lines(arch):
    """Representative `apt-get update && apt-get install --no-install-recommends python3 python3-pip`."""
    if arch == "x86_64":
        mirror, sec, da = "http://archive.ubuntu.com/ubuntu", "http://security.ubuntu.com/ubuntu", "amd64"
    else:
        mirror, sec, da = "http://ports.ubuntu.com/ubuntu-ports", "http://ports.ubuntu.com/ubuntu-ports", "arm64"
    upd = [f"Get:1 {sec} focal-security InRelease [128 kB]",
           f"Get:2 {mirror} focal InRelease [265 kB]",
           f"Get:3 {mirror} focal-updates InRelease [128 kB]",
           f"Get:4 {mirror} focal-backports InRelease [128 kB]",
           f"Get:5 {sec} focal-security/main {da} Packages [4511 kB]",
           f"Get:6 {mirror} focal/main {da} Packages [1275 kB]",
           f"Get:7 {mirror} focal/universe {da} Packages [11.3 MB]",
           f"Get:8 {mirror} focal-updates/main {da} Packages [4998 kB]",
           f"Get:9 {mirror} focal-updates/universe {da} Packages [1592 kB]",
           "Fetched 26.1 MB in 3s (8542 kB/s)",
           "Reading package lists..."]
    inst = ["Reading package lists...", "Building dependency tree...", "Reading state information...",
            "The following additional packages will be installed:",
            "  ca-certificates libexpat1 libmpdec2 libpython3-stdlib libpython3.8",
            "  libpython3.8-minimal libpython3.8-stdlib libreadline8 libsqlite3-0 libssl1.1",
            "  mime-support openssl python-pip-whl python3-distutils python3-lib2to3",
            "  python3-minimal python3-pkg-resources python3-setuptools python3-wheel",
            "  python3.8 python3.8-minimal readline-common tzdata",
            "Suggested packages:",
            "  python3-doc python3-tk python3-venv python-setuptools-doc python3.8-venv",
            "  python3.8-doc binutils binfmt-support readline-doc",
            "Recommended packages:",
            "  build-essential python3-dev",
            "The following NEW packages will be installed:",
            "  ca-certificates libexpat1 libmpdec2 libpython3-stdlib libpython3.8",
            "  libpython3.8-minimal libpython3.8-stdlib libreadline8 libsqlite3-0 libssl1.1",
            "  mime-support openssl python-pip-whl python3 python3-distutils python3-lib2to3",
            "  python3-minimal python3-pip python3-pkg-resources python3-setuptools",
            "  python3-wheel python3.8 python3.8-minimal readline-common tzdata",
            "0 upgraded, 25 newly installed, 0 to remove and 0 not upgraded.",
            "Need to get 9968 kB of archives.",
            "After this operation, 41.2 MB of additional disk space will be used.",
            f"Get:1 {mirror} focal-updates/main {da} libpython3.8-minimal {da} {UBUNTU_PY}-0ubuntu1~20.04.18 [718 kB]",
            f"Get:25 {mirror} focal-updates/universe {da} python3-pip all 20.0.2-5ubuntu1.11 [231 kB]",
            "debconf: delaying package configuration, since apt-utils is not installed",
            "Fetched 9968 kB in 2s (5671 kB/s)",
            f"Selecting previously unselected package libpython3.8-minimal:{da}.",
            "(Reading database ... 4124 files and directories currently installed.)",
            f"Preparing to unpack .../libpython3.8-minimal_{UBUNTU_PY}-0ubuntu1~20.04.18_{da}.deb ...",
            f"Unpacking libpython3.8-minimal:{da} ({UBUNTU_PY}-0ubuntu1~20.04.18) ...",
            f"Setting up python3.8 ({UBUNTU_PY}-0ubuntu1~20.04.18) ...",
            "Setting up python3 (3.8.2-0ubuntu2) ...",
            "Setting up python3-pip (20.0.2-5ubuntu1.11) ...",
            "Processing triggers for libc-bin (2.31-0ubuntu9.17) ..."]
    return upd, inst


def py_docker(arch, ref, folder):
    df = Dockerfile(f"{folder}/Dockerfile")
    a = arch
    bk = BK('#0 building with "default" instance using docker driver')
    p = bk_prelude(bk, df, dir_bytes(folder), [27.5e6], a)
    t = p + 0.02
    apt = df.run("apt-get update")
    i = bk.vertex(apt["label"], t)
    upd, inst = apt_lines(a)
    d = 17.4 * arch_factor(a, "apt" + folder)
    bk.outs(i, 0.4, 0.24 * d, upd)
    bk.outs(i, 0.25 * d, 0.97 * d, inst)
    bk.done(i, t + d)
    t += d + 0.02
    bk.simple(df.find("WORKDIR")["label"], t, 0.02)
    t += 0.03
    pip = df.run("pip3 install")
    pin = re.search(r"numpy==(\S+)", pip["args"]).group(1)
    i = bk.vertex(pip["label"], t)
    wheel = {("1.18.5", "x86_64"): ("numpy-1.18.5-cp38-cp38-manylinux1_x86_64.whl", "20.6 MB"),
             ("1.19.0", "x86_64"): ("numpy-1.19.0-cp38-cp38-manylinux2010_x86_64.whl", "14.6 MB"),
             ("1.19.0", "aarch64"): ("numpy-1.19.0-cp38-cp38-manylinux2014_aarch64.whl", "12.2 MB")}
    if (pin, a) in wheel:
        whl, size = wheel[(pin, a)]
        d = 5.3 * arch_factor(a, "pip" + pin)
        bk.outs(i, 0.62, d - 0.4, [(0.0, f"Collecting numpy=={pin}"), (0.1, f"  Downloading {whl} ({size})"),
                                   (0.45, "Installing collected packages: numpy"),
                                   (1.0, f"Successfully installed numpy-{pin}")])
        bk.done(i, t + d)
        t += d + 0.02
        bk.simple(df.find("COPY", "app.py")["label"], t, 0.02)
        t += 0.03
        app = df.run("python3 app.py")
        i = bk.vertex(app["label"], t)
        bk.out(i, t + 0.31, f"numpy {pin} on {a} (Python {UBUNTU_PY}): sum=66, row means=[1.5, 5.5, 9.5]")
        bk.done(i, t + 0.4)
        t += 0.42
        t = bk_export_docker(bk, t, ref, 5)
        return bk.render(), t + 0.04, True
    # no wheel for this platform: pip falls back to the sdist, which cannot be compiled here
    tmp = "tmp" + digest("pep517", a, pin)[:8]
    inst = "pip-install-" + digest("pipinstall", a, pin)[:8]
    out1 = [(0.64, f"Collecting numpy=={pin}"),
            (1.21, f"  Downloading numpy-{pin}.zip (5.4 MB)"),
            (2.35, "  Installing build dependencies: started"),
            (9.87, "  Installing build dependencies: finished with status 'done'"),
            (9.88, "  Getting requirements to build wheel: started"),
            (11.92, "  Getting requirements to build wheel: finished with status 'done'"),
            (11.96, "    Preparing wheel metadata: started"),
            (15.83, "    Preparing wheel metadata: finished with status 'done'"),
            (15.91, "Building wheels for collected packages: numpy"),
            (15.92, "  Building wheel for numpy (PEP 517): started")]
    fail_at = 24.6
    build_out = [
        "  Running from numpy source directory.",
        "  blas_opt_info:",
        "  blas_mkl_info:",
        "  customize UnixCCompiler",
        "    libraries mkl_rt not found in ['/usr/local/lib', '/usr/lib', '/usr/lib/aarch64-linux-gnu']",
        "    NOT AVAILABLE",
        "  ",
        "  blis_info:",
        "    libraries blis not found in ['/usr/local/lib', '/usr/lib', '/usr/lib/aarch64-linux-gnu']",
        "    NOT AVAILABLE",
        "  ",
        "  openblas_info:",
        "    libraries openblas not found in ['/usr/local/lib', '/usr/lib', '/usr/lib/aarch64-linux-gnu']",
        "    NOT AVAILABLE",
        "  ",
        "  lapack_opt_info:",
        "    NOT AVAILABLE",
        "  ",
        "  running bdist_wheel",
        "  running build",
        "  running config_cc",
        "  unifing config_cc, config, build_clib, build_ext, build commands --compiler options",
        "  running config_fc",
        "  unifing config_fc, config, build_clib, build_ext, build commands --fcompiler options",
        "  running build_src",
        "  build_src",
        "  building py_modules sources",
        "  creating build",
        "  creating build/src.linux-aarch64-3.8",
        "  creating build/src.linux-aarch64-3.8/numpy",
        "  creating build/src.linux-aarch64-3.8/numpy/distutils",
        "  building library \"npymath\" sources",
        "  Could not locate executable gfortran",
        "  Could not locate executable f95",
        "  customize Gnu95FCompiler",
        "  customize UnixCCompiler",
        "  C compiler: aarch64-linux-gnu-gcc -pthread -Wno-unused-result -Wsign-compare -DNDEBUG -g -fwrapv "
        "-O2 -Wall -g -fstack-protector-strong -Wformat -Werror=format-security -g -fwrapv -O2 -fPIC",
        "  ",
        "  compile options: '-Inumpy/core/src/common -Inumpy/core/src -Inumpy/core -Inumpy/core/src/npymath "
        "-Inumpy/core/src/multiarray -Inumpy/core/src/umath -Inumpy/core/src/npysort -I/usr/include/python3.8 -c'",
        "  aarch64-linux-gnu-gcc: _configtest.c",
        "  failure.",
        "  removing: _configtest.c _configtest.o _configtest.o.d",
        "  RuntimeError: Broken toolchain: cannot link a simple C program",
        "  ----------------------------------------",
        "  ERROR: Failed building wheel for numpy",
    ]
    out2 = [(fail_at, "  Building wheel for numpy (PEP 517): finished with status 'error'"),
            (fail_at, "  ERROR: Command errored out with exit status 1:"),
            (fail_at, "   command: /usr/bin/python3 /usr/share/python-wheels/pep517-0.8.2-py2.py3-none-any.whl"
                      f"/pep517/_in_process.py build_wheel /tmp/{tmp}"),
            (fail_at, f"       cwd: /tmp/{inst}/numpy"),
            (fail_at, "  Complete output (212 lines):")]
    out2 += [(fail_at + 0.001 * k, x) for k, x in enumerate(build_out)]
    out2 += [(fail_at + 0.09, "Failed to build numpy"),
             (fail_at + 0.12, "ERROR: Could not build wheels for numpy which use PEP 517 and cannot be "
                              "installed directly")]
    for rel, text in out1 + out2:
        bk.out(i, t + rel, text)
    end = t + fail_at + 0.31
    tail = out2[-6:]
    lines = bk_failure(bk, i, end, df, pip, tail)
    return lines, end + 0.05, False


def python_wheels_scenario(deck):
    rec = Recording("python-wheels", NOTE_REPR, DATE.replace(hour=14, minute=5))
    builds = {b["id"]: b for b in deck["builds"]}
    layers = [27.5e6, 2.05e7, 3.2e4, 1.0e3]
    native_build(rec, "x86-pinned", builds["x86-pinned"], Plan(provisioning=21.3, queued=2.7),
                 lambda target, ref: py_docker("x86_64", ref, builds["x86-pinned"]["source"]),
                 push_layers=layers)
    native_build(rec, "arm64-pinned", builds["arm64-pinned"], Plan(provisioning=36.2, queued=3.1),
                 lambda target, ref: py_docker("aarch64", ref, builds["arm64-pinned"]["source"]))
    native_build(rec, "arm64-fixed", builds["arm64-fixed"], Plan(provisioning=39.5, queued=3.6),
                 lambda target, ref: py_docker("aarch64", ref, builds["arm64-fixed"]["source"]),
                 push_layers=layers)
    return rec


# ── concept 2B: nodejs_issues / nodejs_fixes ────────────────────────────────────────────────

NPM_DIR = "/usr/lib/nodejs20/lib/node_modules/npm"  # representative install path


def node_docker(arch, ref, folder):
    df = Dockerfile(f"{folder}/Dockerfile")
    lock = json.loads(read(f"{folder}/package-lock.json"))["packages"]
    npkgs = sum(1 for k in lock if k.startswith("node_modules/"))
    canvas = lock["node_modules/canvas"]["version"]
    npg = lock["node_modules/@mapbox/node-pre-gyp"]["version"]
    a = arch
    narch = "x64" if a == "x86_64" else "arm64"
    nv = NODE.lstrip("v")
    bk = BK('#0 building with "default" instance using docker driver')
    p = bk_prelude(bk, df, dir_bytes(folder), [52.4e6], a)
    t = p + 0.02
    nd = df.run("nodejs20")
    i = bk.vertex(nd["label"], t)
    req = [("nodejs20", f"1:{nv}-1.amzn2023.0.1", 0.3),
           ("nodejs20-npm", f"1:{NPM}-1.{nv}.1.amzn2023.0.1", 2.6)]
    deps = [("nodejs20-libs", f"1:{nv}-1.amzn2023.0.1", 14.0),
            ("nodejs20-full-i18n", f"1:{nv}-1.amzn2023.0.1", 8.6),
            ("libuv", "1:1.48.0-1.amzn2023.0.2", 0.27)]
    bk.outs(i, 0.5, 11.8, dnf_install(a, req, deps, extra_installed=1, seed="node") + [(1.0, NODE), (1.0, NPM)])
    bk.done(i, t + 12.1)
    t += 12.12
    devel = [x for x in df.instrs if x["kw"] == "RUN" and "cairo-devel" in x["args"]]
    if devel:
        i = bk.vertex(devel[0]["label"], t)
        names = re.findall(r"dnf install -y ([^&]+)", devel[0]["args"])[0].split()
        vers = {"gcc-c++": (f"{GCC}-5.amzn2023.0.5", 13.0), "make": ("1:4.3-5.amzn2023.0.2", 0.53),
                "cairo-devel": ("1.17.6-2.amzn2023.0.1", 0.1), "pango-devel": ("1.48.10-1.amzn2023.0.3", 0.16),
                "libjpeg-turbo-devel": ("2.1.4-2.amzn2023.0.5", 0.1), "giflib-devel": ("5.2.1-9.amzn2023.0.1", 0.05)}
        req = [(n, *vers.get(n, ("1.0-1.amzn2023", 0.2))) for n in names]
        deps = [("gcc", f"{GCC}-5.amzn2023.0.5", 32.0), ("cairo", "1.17.6-2.amzn2023.0.1", 0.7),
                ("pango", "1.48.10-1.amzn2023.0.3", 0.32), ("pixman-devel", "0.40.0-3.amzn2023.0.3", 0.02),
                ("libpng-devel", "2:1.6.37-10.amzn2023.0.6", 0.3), ("freetype-devel", "2.13.2-5.amzn2023.0.1", 0.95),
                ("glib2-devel", "2.82.2-765.amzn2023", 1.5), ("pkgconf-pkg-config", "1.8.0-4.amzn2023.0.2", 0.02)]
        bk.outs(i, 0.5, 36.9, dnf_install(a, req, deps, extra_installed=117, seed="canvas-devel"))
        bk.done(i, t + 37.3)
        t += 37.32
    bk.simple(df.find("WORKDIR")["label"], t, 0.02)
    t += 0.03
    bk.simple(df.find("COPY", "package.json")["label"], t, 0.02)
    t += 0.03
    npm = df.run("npm ci")
    i = bk.vertex(npm["label"], t)
    if a == "x86_64":  # node-pre-gyp downloads the prebuilt linux-glibc-x64 binary; npm stays quiet
        bk.out(i, t + 3.42, f"added {npkgs} packages in 3s")
        t += 3.6
        bk.done(i, t)
    elif devel:  # no arm64 prebuilt: compiled from source by node-gyp; npm only prints the summary
        bk.out(i, t + 52.4, f"added {npkgs} packages in 52s")
        t += 52.6
        bk.done(i, t)
    else:
        url = (f"https://github.com/Automattic/node-canvas/releases/download/v{canvas}/"
               f"canvas-v{canvas}-node-v115-linux-glibc-{narch}.tar.gz")
        gyp = f"{NPM_DIR}/node_modules/node-gyp"
        cache = f"/root/.cache/node-gyp/{nv}"
        args = ("configure --fallback-to-build --update-binary "
                "--module=/app/node_modules/canvas/build/Release/canvas.node --module_name=canvas "
                "--module_path=/app/node_modules/canvas/build/Release --napi_version=9 "
                "--node_abi_napi=napi --napi_build_version=0 --node_napi_label=node-v115")
        err = [
            "code 1",
            "path /app/node_modules/canvas",
            "command failed",
            "command sh -c node-pre-gyp install --fallback-to-build --update-binary",
            f"Failed to execute '/usr/bin/node-20 {gyp}/bin/node-gyp.js {args}' (1)",
            "node-pre-gyp info it worked if it ends with ok",
            f"node-pre-gyp info using node-pre-gyp@{npg}",
            f"node-pre-gyp info using node@{nv} | linux | {narch}",
            f"node-pre-gyp http GET {url}",
            f"node-pre-gyp ERR! install response status 404 Not Found on {url} ",
            f"node-pre-gyp WARN Pre-built binaries not installable for canvas@{canvas} and node@{nv} "
            "(node-v115 ABI, glibc) (falling back to source compile with node-gyp) ",
            f"node-pre-gyp WARN Hit error response status 404 Not Found on {url} ",
            "gyp info it worked if it ends with ok",
            f"gyp info using node-gyp@{NODE_GYP}",
            f"gyp info using node@{nv} | linux | {narch}",
            'gyp info find Python using Python version 3.9.23 found at "/usr/bin/python3"',
            f"gyp http GET https://nodejs.org/download/release/{NODE}/node-{NODE}-headers.tar.gz",
            f"gyp http 200 https://nodejs.org/download/release/{NODE}/node-{NODE}-headers.tar.gz",
            f"gyp http GET https://nodejs.org/download/release/{NODE}/SHASUMS256.txt",
            f"gyp http 200 https://nodejs.org/download/release/{NODE}/SHASUMS256.txt",
            "gyp info spawn /usr/bin/python3",
            "gyp info spawn args [",
            f"gyp info spawn args '{gyp}/gyp/gyp_main.py',",
            "gyp info spawn args 'binding.gyp',",
            "gyp info spawn args '-f',",
            "gyp info spawn args 'make',",
            "gyp info spawn args '-I',",
            "gyp info spawn args '/app/node_modules/canvas/build/config.gypi',",
            "gyp info spawn args '-I',",
            f"gyp info spawn args '{gyp}/addon.gypi',",
            "gyp info spawn args '-I',",
            f"gyp info spawn args '{cache}/include/node/common.gypi',",
            "gyp info spawn args '-Dlibrary=shared_library',",
            "gyp info spawn args '-Dvisibility=default',",
            f"gyp info spawn args '-Dnode_root_dir={cache}',",
            f"gyp info spawn args '-Dnode_gyp_dir={gyp}',",
            "gyp info spawn args '-Dmodule_root_dir=/app/node_modules/canvas',",
            "gyp info spawn args '-Dnode_engine=v8',",
            "gyp info spawn args '--depth=.',",
            "gyp info spawn args '--no-parallel',",
            "gyp info spawn args '--generator-output',",
            "gyp info spawn args 'build',",
            "gyp info spawn args '-Goutput_dir=.'",
            "gyp info spawn args ]",
            "/bin/sh: line 1: pkg-config: command not found",
            "gyp: Call to 'pkg-config pixman-1 --libs' returned exit status 127 while in binding.gyp. "
            "while trying to load binding.gyp",
            "gyp ERR! configure error ",
            "gyp ERR! stack Error: `gyp` failed with exit code: 1",
            f"gyp ERR! stack     at ChildProcess.<anonymous> ({gyp}/lib/configure.js:317:18)",
            "gyp ERR! stack     at ChildProcess.emit (node:events:524:28)",
            "gyp ERR! stack     at ChildProcess._handle.onexit (node:internal/child_process:293:12)",
            f'gyp ERR! command "/usr/bin/node-20" "{gyp}/bin/node-gyp.js" "configure" '
            '"--fallback-to-build" "--update-binary" '
            '"--module=/app/node_modules/canvas/build/Release/canvas.node" "--module_name=canvas" '
            '"--module_path=/app/node_modules/canvas/build/Release" "--napi_version=9" '
            '"--node_abi_napi=napi" "--napi_build_version=0" "--node_napi_label=node-v115"',
            "gyp ERR! cwd /app/node_modules/canvas",
            f"gyp ERR! node -v {NODE}",
            f"gyp ERR! node-gyp -v v{NODE_GYP}",
            "gyp ERR! not ok ",
            "node-pre-gyp ERR! build error ",
            f"node-pre-gyp ERR! stack Error: Failed to execute '/usr/bin/node-20 {gyp}/bin/node-gyp.js {args}' (1)",
            "node-pre-gyp ERR! stack     at ChildProcess.<anonymous> "
            "(/app/node_modules/@mapbox/node-pre-gyp/lib/util/compile.js:89:23)",
            'node-pre-gyp ERR! command "/usr/bin/node-20" "/app/node_modules/.bin/node-pre-gyp" '
            '"install" "--fallback-to-build" "--update-binary"',
            "node-pre-gyp ERR! cwd /app/node_modules/canvas",
            f"node-pre-gyp ERR! node -v {NODE}",
            f"node-pre-gyp ERR! node-pre-gyp -v v{npg}",
            "node-pre-gyp ERR! not ok",
        ]
        err.append("A complete log of this run can be found in: /root/.npm/_logs/@@NPMLOG@@-debug-0.log")
        fail_at = 7.81
        out = [(fail_at + 0.0005 * k, "npm error " + x) for k, x in enumerate(err)]
        for rel, text in out:
            bk.out(i, t + rel, text)
        end = t + fail_at + 0.12
        return bk_failure(bk, i, end, df, npm, out[-8:]), end + 0.05, False
    bk.simple(df.find("COPY", "draw.js")["label"], t + 0.01, 0.02)
    t += 0.04
    draw = df.run("node draw.js")
    i = bk.vertex(draw["label"], t)
    bk.out(i, t + 0.27, f"canvas {canvas} on {narch} (Node.js {NODE}, ABI 115): wrote out/canvas.png, 6158 bytes")
    bk.done(i, t + 0.33)
    t += 0.35
    t = bk_export_docker(bk, t, ref, 7 if devel else 6)
    return bk.render(), t + 0.04, True


def nodejs_scenario(deck):
    rec = Recording("nodejs-native-addon", NOTE_REPR, DATE.replace(hour=14, minute=31))
    builds = {b["id"]: b for b in deck["builds"]}
    small = [52.4e6, 31.0e6, 1.0e3, 6.2e6, 1.1e3, 6.5e3]
    big = [52.4e6, 31.0e6, 96.0e6, 1.0e3, 7.9e6, 1.1e3, 6.5e3]
    native_build(rec, "x86-prebuilt", builds["x86-prebuilt"], Plan(provisioning=20.6, queued=2.5),
                 lambda target, ref: node_docker("x86_64", ref, builds["x86-prebuilt"]["source"]),
                 push_layers=small)
    native_build(rec, "arm64-no-deps", builds["arm64-no-deps"], Plan(provisioning=35.7, queued=3.2),
                 lambda target, ref: node_docker("aarch64", ref, builds["arm64-no-deps"]["source"]))
    native_build(rec, "arm64-fixed", builds["arm64-fixed"], Plan(provisioning=38.9, queued=3.5),
                 lambda target, ref: node_docker("aarch64", ref, builds["arm64-fixed"]["source"]),
                 push_layers=big)
    return rec


# ── concept 3A: go_tests_issues / go_tests_fixed ────────────────────────────────────────────

GO_MODULE = "github.com/segmentio/parquet-go"
# Package directories of segmentio/parquet-go with tests, checked to exist in the repository's
# history and in its continuation parquet-go/parquet-go (see README.md).
GO_PKGS = ["", "/bloom", "/bloom/xxhash", "/compress", "/encoding/bytestreamsplit",
           "/encoding/delta", "/encoding/plain", "/encoding/rle", "/hashprobe",
           "/hashprobe/aeshash", "/hashprobe/wyhash", "/sparse"]
# internal/goarch of the Go standard library: goarch_amd64.go and goarch_arm64.go declare the
# same five constants on lines 8-12 (column 2), so selecting both files fails like this.
GOARCH_CONSTS = ["_ArchFamily", "_DefaultPhysPageSize", "_PCQuantum", "_MinFrameSize", "_StackAlign"]


def go_docker(arch, ref, folder):
    df = Dockerfile(f"{folder}/Dockerfile")
    a = arch
    goarch = "amd64" if a == "x86_64" else "arm64"
    bk = BK('#0 building with "default" instance using docker driver')
    p = bk_prelude(bk, df, 0, [52.4e6], a)
    t = p + 0.02
    dn = df.run("dnf install -y git")
    i = bk.vertex(dn["label"], t)
    req = [("git", "2.50.1-1.amzn2023.0.1", 0.05), ("tar", "2:1.34-1.amzn2023.0.4", 0.88)]
    deps = [("git-core", "2.50.1-1.amzn2023.0.1", 4.9), ("git-core-doc", "2.50.1-1.amzn2023.0.1", 2.9),
            ("perl-Git", "2.50.1-1.amzn2023.0.1", 0.04), ("perl-Error", "1:0.17029-5.amzn2023.0.2", 0.04)]
    bk.outs(i, 0.5, 8.7, dnf_install(a, req, deps, extra_installed=31, seed="go-git",
                                     already=["gzip-1.12-1.amzn2023.0.1"]))
    bk.done(i, t + 9.0)
    t += 9.02
    gd = df.run("go.dev/dl")
    i = bk.vertex(gd["label"], t)
    bk.out(i, t + 4.61, "/tmp/go.tgz: OK")
    bk.done(i, t + 6.9)
    t += 6.92
    gov = re.search(r"go(\d+\.\d+\.\d+)\.linux", gd["args"]).group(1)
    bk.simple(df.find("WORKDIR")["label"], t, 0.02)
    t += 0.03
    cl = df.run("git clone")
    i = bk.vertex(cl["label"], t)
    bk.out(i, t + 0.05, "Cloning into '.'...")
    d = 17.2 * arch_factor(a, "go-clone" + folder)
    bk.out(i, t + 0.34 * d, f"go version go{gov} linux/{goarch}")
    bk.done(i, t + d)
    t += d + 0.02
    test = df.run("go test")
    tags = re.search(r"-tags (\S+)", test["args"]).group(1)
    i = bk.vertex(test["label"], t)
    if tags == "amd64" and goarch != "amd64":
        # The amd64 tag selects every amd64-only file, the standard library's included, so the
        # build stops in the standard library before any parquet-go code is compiled.
        rel = 6.74
        errs = ["# internal/goarch"]
        src = "/usr/local/go/src/internal/goarch"
        for n, c in enumerate(GOARCH_CONSTS):
            errs.append(f"{src}/goarch_arm64.go:{8 + n}:2: {c} redeclared in this block")
            errs.append(f"\t{src}/goarch_amd64.go:{8 + n}:2: other declaration of {c}")
        errs.append("too many errors")
        out = [(rel + 0.001 * k, x) for k, x in enumerate(errs)]
        out += [(9.31 + 0.002 * k, f"FAIL\t{GO_MODULE}{pkg} [build failed]") for k, pkg in enumerate(GO_PKGS)]
        out.append((9.36, "FAIL"))
        for r, text in out:
            bk.out(i, t + r, text)
        end = t + 9.52
        return bk_failure(bk, i, end, df, test, out[-6:]), end + 0.05, False
    secs = {("amd64", "amd64"): [71.482, 0.912, 1.204, 3.31, 0.611, 4.822, 0.978, 2.913, 5.671, 0.134, 0.121, 0.342],
            ("arm64", "purego"): [78.915, 1.087, 1.466, 3.127, 0.702, 5.318, 1.054, 3.391, 6.236, 0.157, 0.149, 0.388],
            ("amd64", "purego"): [74.006, 0.958, 1.322, 3.289, 0.655, 5.093, 1.011, 3.104, 5.957, 0.141, 0.133, 0.361]}
    s = secs.get((goarch, tags), secs[("arm64", "purego")])
    finish_at = 38.0 + s[0] + 6.0  # compile time, then the slowest package
    start = 38.0 + s[0] * 0.2
    out = []
    for k, pkg in enumerate(GO_PKGS):
        rel = finish_at if k == 0 else start + (finish_at - start) * k / len(GO_PKGS)
        out.append((max(rel, finish_at) if k == 0 else rel, f"ok  \t{GO_MODULE}{pkg}\t{s[k]:.3f}s"))
    # go test prints packages in order, each once it and those before it are done
    done = out[0][0]
    for k, (rel, text) in enumerate(out):
        bk.out(i, t + done + 0.001 * k, text)
    bk.done(i, t + done + 0.2)
    t += done + 0.22
    t = bk_export_docker(bk, t, ref, 6)
    return bk.render(), t + 0.04, True


def go_scenario(deck):
    rec = Recording("go-assembly", NOTE_REPR, DATE.replace(hour=15, minute=10))
    builds = {b["id"]: b for b in deck["builds"]}
    layers = [52.4e6, 17.6e6, 66.0e6, 1.0e3, 27.4e6]
    native_build(rec, "x86-amd64-tag", builds["x86-amd64-tag"], Plan(provisioning=21.1, queued=2.6),
                 lambda target, ref: go_docker("x86_64", ref, builds["x86-amd64-tag"]["source"]),
                 push_layers=layers)
    native_build(rec, "arm64-amd64-tag", builds["arm64-amd64-tag"], Plan(provisioning=36.4, queued=3.3),
                 lambda target, ref: go_docker("aarch64", ref, builds["arm64-amd64-tag"]["source"]))
    native_build(rec, "arm64-purego", builds["arm64-purego"], Plan(provisioning=39.2, queued=3.7),
                 lambda target, ref: go_docker("aarch64", ref, builds["arm64-purego"]["source"]),
                 push_layers=layers)
    return rec


# ── concept 3B: codecommit/perf_tests ───────────────────────────────────────────────────────

def perf_docker(arch, ref, metrics):
    folder = "codecommit/perf_tests"
    df = Dockerfile(f"{folder}/Dockerfile")
    gen = read(f"{folder}/generate.py")
    rows = int(re.search(r"KAGGLE_ROWS = ([\d_]+)", gen).group(1).replace("_", ""))
    frauds = int(re.search(r"KAGGLE_FRAUDS = ([\d_]+)", gen).group(1).replace("_", ""))
    seed = int(re.search(r'"--seed", type=int, default=(\d+)', gen).group(1))
    cls = read(f"{folder}/classify.py")
    rounds = int(re.search(r'"--rounds", type=int, default=(\d+)', cls).group(1))
    method = re.search(r'"--tree-method".*?default="(\w+)"', cls, re.S).group(1)
    test_pos = int(round(frauds * 0.2))
    test_rows = int(round((rows - frauds) * 0.2)) + test_pos
    reqs = pip_req_lines(f"{folder}/requirements.txt")
    vers = {n: v for n, v, _ in reqs}
    a = arch
    bk = BK('#0 building with "default" instance using docker driver')
    p = bk_prelude(bk, df, dir_bytes(folder), PY_SLIM_LAYERS, a)
    t = p + 0.02
    bk.simple(df.find("WORKDIR")["label"], t, 0.03)
    t += 0.05
    bk.simple(df.find("COPY", "requirements.txt")["label"], t, 0.02)
    t += 0.03
    pip = df.run("pip install")
    i = bk.vertex(pip["label"], t)
    wheels = {"numpy": (f"cp312-cp312-manylinux_2_27_{a}.manylinux_2_28_{a}", (16.6, 14.3), "62 kB"),
              "scipy": (f"cp312-cp312-manylinux2014_{a}.manylinux_2_17_{a}", (35.7, 33.6), "62 kB"),
              "xgboost-cpu": (f"py3-none-manylinux_2_28_{a}", (4.6, 4.3), "2.1 kB")}
    out = []
    for name, ver, n in reqs:
        fname = name.replace("-", "_")
        out += [f"Collecting {name}=={ver} (from -r requirements.txt (line {n}))",
                f"  Downloading {fname}-{ver}-{wheels[name][0]}.whl.metadata ({wheels[name][2]})"]
    for name, ver, n in reqs:
        fname = name.replace("-", "_")
        mb = wheels[name][1][0 if a == "x86_64" else 1]
        out += [f"Downloading {fname}-{ver}-{wheels[name][0]}.whl ({mb} MB)",
                f"   {'━' * 40} {mb}/{mb} MB {120 + 7 * n:.1f} MB/s eta 0:00:00"]
    out += [f"Installing collected packages: {', '.join(n for n, _, _ in reqs)}",
            f"Successfully installed {' '.join(f'{n}-{v}' for n, v, _ in reqs)}",
            "WARNING: Running pip as the 'root' user can result in broken permissions and conflicting "
            "behaviour with the system package manager, possibly rendering the system unusable. It is "
            "recommended to use a virtual environment instead: https://pip.pypa.io/warnings/venv. Use "
            "the --root-user-action option if you intend to suppress this warning."]
    bk.outs(i, 0.68, 8.9, out)
    bk.done(i, t + 9.3)
    t += 9.32
    bk.simple(df.find("COPY", "generate.py")["label"], t, 0.02)
    t += 0.03
    bench = df.run("python generate.py")
    i = bk.vertex(bench["label"], t)
    g, load = (10.42, 14.93) if a == "x86_64" else (9.61, 13.27)
    train, infer = metrics["training_seconds"], metrics["inference_seconds"]
    bk.out(i, t + 0.4 + g, f"generate: wrote {rows} rows, {frauds} positives, seed {seed} to "
                           f"/tmp/creditcard.csv in {g:.2f} s")
    c0 = 0.4 + g + 0.55 + load + 0.41
    bk.out(i, t + c0, f"classify: {a}, Python {PY312}, numpy {vers['numpy']}, xgboost "
                      f"{vers['xgboost-cpu']}, tree_method {method}, {rounds} rounds")
    m = c0 + 0.32 + train + infer + 0.01
    lines = [("rows", rows, "count"), ("positives", frauds, "count"), ("test_rows", test_rows, "count"),
             ("test_positives", test_pos, "count"), ("training_seconds", train, "s"),
             ("inference_seconds", infer, "s")]
    for k, (name, value, unit) in enumerate(lines):
        text = str(value) if isinstance(value, int) else f"{value:.6f}"
        bk.out(i, t + m + 0.0001 * k, f"ARM64_DEMO_METRIC name={name} value={text} unit={unit}")
    bk.done(i, t + m + 0.21)
    t += m + 0.23
    t = bk_export_docker(bk, t, ref, 7)
    return bk.render(), t + 0.04, True


def perf_scenario(deck):
    rec = Recording("xgboost-perf", NOTE_SEED, DATE.replace(hour=15, minute=48))
    builds = {b["id"]: b for b in deck["builds"]}
    names = {"ML training": "training_seconds", "ML inference": "inference_seconds"}
    layers = PY_SLIM_LAYERS + [1.2e3, 1.21e8, 6.1e3, 1.1e3]
    for bid, arch, plan in (("x86", "x86_64", Plan(provisioning=21.4, queued=2.6)),
                            ("arm64", "aarch64", Plan(provisioning=37.1, queued=3.4))):
        cfg = builds[bid]
        metrics = {names[m["name"]]: float(m["reference"]) for m in cfg["metrics"]}
        native_build(rec, bid, cfg, plan,
                     lambda target, ref, arch=arch, metrics=metrics: perf_docker(arch, ref, metrics),
                     push_layers=layers)
    return rec


# ── main, and a check of what was written ───────────────────────────────────────────────────

SCENARIOS = {
    "native-build": native_build_scenario,
    "emulated-build": emulated_build_scenario,
    "software-running": software_running_scenario,
    "python-wheels": python_wheels_scenario,
    "nodejs-native-addon": nodejs_scenario,
    "go-assembly": go_scenario,
    "xgboost-perf": perf_scenario,
}


def load_deck():
    with open(os.path.join(ROOT, "slides", "deck.toml"), "rb") as f:
        return tomllib.load(f)


def check(deck, verbose=True):
    """Validate every recording against the format and the deck; returns the number of problems."""
    problems = 0

    def bad(msg):
        nonlocal problems
        problems += 1
        print(f"  PROBLEM: {msg}")

    for sc in deck["scenarios"]:
        path = os.path.join(HERE, f"{sc['id']}.jsonl")
        if not os.path.exists(path):
            print(f"{sc['id']}.jsonl: missing")
            problems += 1
            continue
        data = open(path, "rb").read()
        print(f"{sc['id']}.jsonl: {len(data)} bytes")
        if len(data) > 300_000:
            bad("larger than 300 KB")
        if not data.endswith(b"\n"):
            bad("does not end with a newline")
        objs = [json.loads(line) for line in data.decode("utf-8").split("\n")[:-1]]
        head, events, last = objs[0], objs[1:-1], objs[-1]
        recon = head.get("provenance", {}).get("kind") == "reconstructed"
        if head.get("format") != "arm64-demo-recording" or head.get("version") != 1:
            bad("header format/version")
        if head.get("scenario") != sc["id"]:
            bad("header scenario")
        if last != {"t": last.get("t"), "end": True}:
            bad("last line is not the end marker")
        want = {b["id"]: b for b in sc["builds"]}
        if set(head["builds"]) != set(want):
            bad(f"builds {sorted(head['builds'])} != deck {sorted(want)}")
        prev = -1.0
        per = {bid: [] for bid in head["builds"]}
        for e in events:
            t = e["t"]
            if t < prev:
                bad(f"t decreases at {t}")
            if round(t, 3) != t:
                bad(f"t {t} has more than 3 decimals")
            prev = t
            per[e["build"]].append(e)
        if last.get("t", -1) < prev:
            bad("end marker before the last event")
        for bid, evs in per.items():
            cfg = want[bid]
            phases = [(e["t"], e["event"]["phase"]) for e in evs if e["event"]["type"] == "phase"]
            if [p for _, p in phases] != PHASES:
                bad(f"{bid}: phases {[p for _, p in phases]}")
                continue
            at = {p: t for t, p in phases}
            statuses = [e for e in evs if e["event"]["type"] == "status"]
            if len(statuses) != 1 or statuses[0]["t"] != at["COMPLETED"]:
                bad(f"{bid}: not exactly one status at COMPLETED")
            status = statuses[0]["event"]["status"] if statuses else None
            expect = "FAILED" if cfg.get("expect") == "fail" else "SUCCEEDED"
            if recon and status != expect:
                bad(f"{bid}: status {status}, deck expects {expect}")
            started = [e for e in evs if e["event"]["type"] == "started"]
            if len(started) != 1 or started[0]["t"] != at["SUBMITTED"]:
                bad(f"{bid}: not exactly one 'started' at SUBMITTED")
            logs = [e for e in evs if e["event"]["type"] == "log"]
            if any(e["t"] < at["PROVISIONING"] for e in logs):
                bad(f"{bid}: log lines before PROVISIONING")
            if any(not e["event"]["lines"] for e in logs):
                bad(f"{bid}: an empty log event")
            env = head["builds"][bid]
            x86 = cfg["arch"] == "x86_64" or cfg.get("mode") == "emulated"
            if env != (ENV_X86 if x86 else ENV_ARM):
                bad(f"{bid}: environment {env}")
            text = "\n".join(x for e in logs for x in e["event"]["lines"])
            if re.search(r"\b\d{12}\b", text):
                bad(f"{bid}: something that looks like an account id")
            total = round(at["COMPLETED"] - at["SUBMITTED"], 3)
            nlines = sum(len(e["event"]["lines"]) for e in logs)
            ref = cfg.get("reference", {}).get("seconds")
            if recon and ref is not None and total != float(ref):
                bad(f"{bid}: {total} s, reference {ref} s")
            timing = re.findall(r"ARM64_DEMO_TIMING step=(\w+) seconds=([\d.]+)", text)
            build_phase = at["POST_BUILD"] - at["BUILD"]
            dsum = sum(float(s) for st, s in timing if st.startswith("docker_build"))
            if dsum and not dsum < build_phase:
                bad(f"{bid}: docker_build {dsum} s is not less than BUILD {build_phase:.3f} s")
            for m in (cfg.get("metrics", []) if recon else []):
                key = {"ML training": "training_seconds", "ML inference": "inference_seconds"}[m["name"]]
                got = re.findall(rf"ARM64_DEMO_METRIC name={key} value=([\d.]+) unit=s", text)
                if len(got) != 1 or float(got[0]) != float(m["reference"]):
                    bad(f"{bid}: metric {key} {got} != {m['reference']}")
            if verbose:
                steps = ", ".join(f"{st}={s}" for st, s in timing)
                print(f"  {bid:<16} {status:<9} SUBMITTED {at['SUBMITTED']:>8.3f} -> COMPLETED "
                      f"{at['COMPLETED']:>8.3f} = {total:>8.3f} s  BUILD {build_phase:8.3f} s  "
                      f"{len(logs):>3} log events, {nlines:>4} lines  {steps}")
    return problems


def provenance_kind(path):
    """The provenance kind of an existing recording, or None."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.loads(f.readline())["provenance"]["kind"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def main(argv):
    deck = load_deck()
    if "--check" not in argv:
        for sc in deck["scenarios"]:
            path = os.path.join(HERE, f"{sc['id']}.jsonl")
            kind = provenance_kind(path)
            if kind not in (None, "reconstructed") and "--force" not in argv:
                print(f"{sc['id']}.jsonl: kept (provenance {kind!r}; --force replaces it)")
                continue
            fn = SCENARIOS.get(sc["id"])
            if fn is None:
                sys.exit(f"reconstruct.py: no reconstruction for scenario {sc['id']!r} of deck.toml")
            rec = fn(sc)
            got = [b.id for b in rec.builds]
            want = [b["id"] for b in sc["builds"]]
            if sorted(got) != sorted(want):
                sys.exit(f"reconstruct.py: {sc['id']}: builds {got}, deck.toml has {want}")
            rec.write(path)
    problems = check(deck)
    print("OK: all recordings valid" if not problems else f"{problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
