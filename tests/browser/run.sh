#!/usr/bin/env bash
# The 周通报 in a real browser: render `zhibiao report`'s HTML in headless
# Chromium, check the DOM it built (every indicator, every department, every
# missed target, one list per missed target) against the bulletin's JSON, and
# keep a screenshot (target/report-check/周通报.png).
#
# Needs Chromium (Debian's `chromium`) and a CJK font (`fonts-noto-cjk`); as
# root it installs them when missing. Without a browser it fails: it never
# passes having checked nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."

find_chromium() {
  command -v chromium || command -v chromium-browser || true
}
browser=$(find_chromium)
if [[ -z "$browser" || ! -d /usr/share/fonts/opentype/noto ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "installing chromium and fonts-noto-cjk" >&2
    apt-get update -qq >/dev/null || { echo "error: cannot update the package lists (apt-get update)" >&2; exit 1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
    browser=$(find_chromium)
  fi
fi
if [[ -z "$browser" ]]; then
  echo "error: the report's browser check needs Chromium (apt-get install chromium fonts-noto-cjk)" >&2
  exit 1
fi

bin=./target/release/zhibiao
[[ -x $bin ]] || cargo build --release --locked
out=target/report-check
rm -rf "$out" && mkdir -p "$out"
period=${1:-2022-W23}
$bin report --period "$period" --trend 8 --output "$out/周通报.html"
$bin report --period "$period" --trend 8 --output "$out/bulletin.json"

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync
  --user-data-dir="$profile" --window-size=1600,2400)
page="file://$PWD/$out/周通报.html"
"$browser" "${flags[@]}" --dump-dom "$page" > "$out/dom.html" 2> "$out/chromium.log"
"$browser" "${flags[@]}" --screenshot="$out/周通报.png" "$page" 2>> "$out/chromium.log"
[[ -s "$out/周通报.png" ]] || { echo "error: Chromium took no screenshot (see $out/chromium.log)" >&2; exit 1; }

python3 - "$out/dom.html" "$out/bulletin.json" <<'PY'
import json, sys
from html.parser import HTMLParser

dom_path, json_path = sys.argv[1], sys.argv[2]
b = json.load(open(json_path, encoding="utf-8"))

class Dom(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements = []   # (tag, attrs) in document order
        self.stack = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        # Where the element sits: inside which section.
        a["_section"] = next((s for s in reversed(self.stack) if s), None)
        self.elements.append((tag, a))
        self.stack.append(a.get("id") if tag == "section" else None)
    def handle_endtag(self, tag):
        if self.stack:
            self.stack.pop()

d = Dom()
d.feed(open(dom_path, encoding="utf-8").read())
els = d.elements
problems = []
def find(pred):
    return [a for t, a in els if pred(t, a)]

if not find(lambda t, a: t == "svg"):
    problems.append("no SVG chart in the page")
for s in b["indicators"]:
    code = s["code"]
    if not find(lambda t, a: t == "section" and a.get("id") == f"ind-{code}"):
        problems.append(f"no section for {code}")
    if not find(lambda t, a: t == "th" and a.get("data-indicator") == code and a["_section"] == "overview"):
        problems.append(f"{code} missing from the overview's header")
    if not find(lambda t, a: t == "figure" and a.get("data-indicator") == code):
        problems.append(f"no trend chart for {code}")
for dept in b["departments"] + ["court"]:
    if not find(lambda t, a: t == "tr" and a.get("data-department") == dept and a["_section"] == "overview"):
        problems.append(f"department {dept} missing from the overview")
missed = 0
for s in b["indicators"]:
    for r in s["rows"]:
        if r["status"] not in ("below", "above"):
            continue
        missed += 1
        # The overview row of the department holds a cell of this indicator with that status.
        seen = False
        in_row = False
        for t, a in els:
            if t == "tr" and a["_section"] == "overview":
                in_row = a.get("data-department") == r["department"]
            if in_row and t == "td" and a.get("data-indicator") == s["code"] and a.get("data-status") == r["status"]:
                seen = True
                break
        if not seen:
            problems.append(f"{s['code']} {r['department']} is {r['status']} but not marked so in the overview")
details = find(lambda t, a: t == "details")
if len(details) != len(b["chases"]):
    problems.append(f"{len(details)} lists in the page, {len(b['chases'])} in the bulletin")
for c in b["chases"]:
    if not any(a.get("data-indicator") == c["indicator"] and a.get("data-department") == c["department"] for a in details):
        problems.append(f"no list for {c['indicator']} {c['department']}")
if missed == 0:
    problems.append("the period misses no target: the check would check nothing; pick another period")
if problems:
    print("the report's DOM does not hold the bulletin:", *problems, sep="\n  ", file=sys.stderr)
    sys.exit(1)
print(f"report DOM checked: {len(b['indicators'])} indicators, {len(b['departments'])} departments, "
      f"{missed} missed targets, {len(b['chases'])} lists; screenshot {sys.argv[1].rsplit('/', 1)[0]}/周通报.png")
PY
