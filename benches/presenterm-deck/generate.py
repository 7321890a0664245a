#!/usr/bin/env python3
"""Writes deck.md beside this file: the bundled deck (slides/*.md) as a markdown-only deck for
presenterm, for scripts/bench-vs-presenterm.

Same text, headings, lists, tables, quotes, code blocks and pauses, slide for slide. What has no
markdown equivalent changes: a diff pane becomes a ```diff code block holding the unified diff of
its two files (3 lines of context); the other panes (build, race, logs, metrics, pipeline) are
live views and are left out; speaker notes and front matter are dropped (`center = true` becomes
presenterm's `<!-- jump_to_middle -->`). Slides end with `<!-- end_slide -->`.

Run it again after the bundled slides change: `python3 benches/presenterm-deck/generate.py`.
"""

import difflib
import pathlib
import re

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def front_matter(text):
    """(toml lines, rest) of a slide file."""
    lines = text.split("\n")
    if lines and lines[0].strip() == "+++":
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "+++")
        return lines[1:end], "\n".join(lines[end + 1 :])
    return [], text


def split_slides(text):
    """Splits on a `---` line with blank lines around it, outside code fences."""
    slides, cur, fence = [], [], None
    lines = text.split("\n")
    for i, line in enumerate(lines):
        m = re.match(r"^(```+|~~~+)", line)
        if m:
            if fence is None:
                fence = m.group(1)
            elif line.strip().startswith(fence):
                fence = None
        blank_around = (i == 0 or not lines[i - 1].strip()) and (i + 1 >= len(lines) or not lines[i + 1].strip())
        if fence is None and line.strip() == "---" and blank_around:
            slides.append("\n".join(cur))
            cur = []
        else:
            cur.append(line)
    slides.append("\n".join(cur))
    return slides


def pane_to_markdown(body):
    """A pane's TOML body as markdown: a diff block for a diff pane, nothing for live panes."""
    keys = dict(re.findall(r'^(\w+)\s*=\s*"([^"]*)"', body, re.M))
    if keys.get("kind") != "diff":
        return None
    left, right = keys["left"], keys["right"]
    a = (ROOT / left).read_text().splitlines()
    b = (ROOT / right).read_text().splitlines()
    diff = difflib.unified_diff(a, b, fromfile=left, tofile=right, lineterm="", n=3)
    return "```diff\n" + "\n".join(diff) + "\n```"


def convert(slide, center):
    # Speaker notes: dropped.
    slide = re.sub(r"<!-- notes:.*?-->\n?", "", slide, flags=re.S)
    out = re.sub(
        r"```pane\n(.*?)```\n?",
        lambda m: (pane_to_markdown(m.group(1)) or "") + "\n",
        slide,
        flags=re.S,
    )
    out = re.sub(r"\n{3,}", "\n\n", out).strip()
    if center:
        out = "<!-- jump_to_middle -->\n\n" + out
    return out


def main():
    slides = []
    for path in sorted((ROOT / "slides").glob("*.md")):
        if path.name == "README.md":
            continue
        toml, body = front_matter(path.read_text())
        center = any(re.match(r"^\s*center\s*=\s*true", l) for l in toml)
        slides += [convert(s, center) for s in split_slides(body)]
    text = "\n\n<!-- end_slide -->\n\n".join(slides) + "\n"
    (HERE / "deck.md").write_text(text)
    print(f"{len(slides)} slides written to {HERE / 'deck.md'}")


if __name__ == "__main__":
    main()
