#!/usr/bin/env python3
"""Write fuzz/data/: a tiny court cut from examples/data, for the csv_eval target.

About 30 cases active in June 2022 (a hearing that month, or closed in it) and
at most 30 rows of every other table that belong to them, so that every
reference resolves and the shipped policy has something to count in 2022-06.
Run from the repository root: python3 fuzz/make_data.py
"""
import csv
import os

SRC, DST, MAX = "examples/data", "fuzz/data", 30


def rows(name):
    with open(os.path.join(SRC, name), newline="", encoding="utf-8-sig") as f:
        r = list(csv.reader(f))
    return r[0], r[1:]


def cut(body, first=None):
    """At most MAX rows, those of June 2022 (or those `first` picks) first, in the file's order."""
    first = first or (lambda r: any(v.startswith("2022-06") for v in r))
    june = [i for i, r in enumerate(body) if first(r)]
    rest = [i for i in range(len(body)) if i not in set(june)]
    keep = sorted((june + rest)[:MAX])
    return [body[i] for i in keep]


def write(name, header, body):
    with open(os.path.join(DST, name), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(body)


os.makedirs(DST, exist_ok=True)
h_head, h_rows = rows("hearings.csv")
c_head, c_rows = rows("cases.csv")
hc, sc = h_head.index("case_id"), h_head.index("scheduled_at")
picked = []
for r in h_rows:
    if r[sc].startswith("2022-06") and r[hc] not in picked and len(picked) < 20:
        picked.append(r[hc])
closed = c_head.index("closed_on")
for r in c_rows:
    if r[closed].startswith("2022-06") and r[0] not in picked and len(picked) < MAX:
        picked.append(r[0])
cases = set(picked)
write("cases.csv", c_head, cut([r for r in c_rows if r[0] in cases]))

kept = {}
for name in sorted(os.listdir(SRC)):
    if name == "cases.csv" or not name.endswith(".csv"):
        continue
    head, body = rows(name)
    if "case_id" in head:
        i = head.index("case_id")
        body = [r for r in body if r[i] in cases]
    kept[name] = (head, body if name in ("services.csv", "parties.csv") else cut(body))

# The parties served in June first, so that the services kept are of June.
head, body = kept["services.csv"]
served = {r[head.index("party_id")] for r in body if r[head.index("sent_at")].startswith("2022-06")}
head, body = kept["parties.csv"]
kept["parties.csv"] = (head, cut(body, lambda r: r[0] in served))
parties = {r[0] for r in kept["parties.csv"][1]}
head, body = kept["services.csv"]
pi = head.index("party_id")
kept["services.csv"] = (head, cut([r for r in body if r[pi] in parties]))
rooms = {r[0] for r in kept["courtrooms.csv"][1]}
head, body = kept["computers.csv"]
kept["computers.csv"] = (head, cut([r for r in body if r[head.index("room_id")] in rooms]))
officers = {r[0] for r in kept["officers.csv"][1]}
head, body = kept["mobile_sessions.csv"]
kept["mobile_sessions.csv"] = (
    head, cut([r for r in body if r[head.index("officer_id")] in officers])
)
for name, (head, body) in kept.items():
    write(name, head, body)
