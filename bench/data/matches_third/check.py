"""Consistency check of the third match set (no ranker is run).

Checks: the CSVs parse with the csv module and have the expected headers; every taxonomy code exists
(stage, round, industries, needs/serves, mentor_type, investor kind, provider category, price tier,
languages, city, regions); names are unique within each file; every name in judgments.json exists;
grades are 1-3; no graded candidate is in must_not_appear; must_not_appear equals the rule-based lists.
Also prints, for re-reading, grade>=2 pairs whose candidate does not declare the project's region and
grade-3 pairs whose candidate stages do not include the project's stage.

Run: .venv/bin/python bench/data/matches_third/check.py
"""
from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))
sys.path.insert(0, str(HERE / "source"))

from matcher.taxonomy import (  # noqa: E402
    CITIES,
    INDUSTRIES,
    INVESTOR_KINDS,
    LANGUAGES,
    MENTOR_TYPES,
    NEEDS,
    PRICE_TIERS,
    PROVIDER_CATEGORIES,
    REGIONS,
    ROUNDS,
    STAGES,
)

HEADERS = {
    "projects": ("name,one_liner,needs_statement,description,stage,round_sought,"
                "industries,needs,city,languages,team_size,funding_sought"),
    "mentors": ("name,mentor_type,title,organisation,expertise,offer,bio,"
               "serves,industries,stages,languages,city,regions,capacity,active"),
    "investors": ("name,kind,thesis,description,rounds,ticket_min,ticket_max,"
                 "serves,industries,stages,languages,city,regions,capacity,active"),
    "providers": ("name,category,services,description,serves,industries,"
                 "stages,languages,city,regions,price_tier,capacity,active"),
}
KIND_FILE = {"mentor": "mentors", "investor": "investors", "provider": "providers"}
errors: list[str] = []


def err(msg: str) -> None:
    errors.append(msg)


def split(v: str) -> list[str]:
    return [x for x in v.split("|") if x] if v else []


def check_codes(where: str, vocab, values: list[str]) -> None:
    for v in values:
        if v not in vocab:
            err(f"{where}: unknown {vocab.name} code {v!r}")


def check_place(where: str, parser, value: str) -> str | None:
    try:
        return parser.parse(value)
    except Exception as e:  # noqa: BLE001
        err(f"{where}: unknown place {value!r} ({type(e).__name__})")
        return None


def load(name: str) -> list[dict]:
    path = HERE / f"{name}.csv"
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        if ",".join(header) != HEADERS[name]:
            err(f"{name}.csv: header {header} differs from {HEADERS[name]}")
        out = []
        for n, row in enumerate(reader, start=2):
            if len(row) != len(header):
                err(f"{name}.csv line {n}: {len(row)} fields, expected {len(header)}")
                continue
            out.append(dict(zip(header, row, strict=True)))
    names = Counter(r["name"] for r in out)
    for nm, c in names.items():
        if c > 1:
            err(f"{name}.csv: name {nm!r} appears {c} times")
        if not nm.strip():
            err(f"{name}.csv: empty name")
    return out


def common(where: str, r: dict, has_regions: bool = True) -> None:
    check_codes(where, INDUSTRIES, split(r["industries"]))
    check_codes(where, STAGES, split(r["stages"]))
    check_codes(where, LANGUAGES, split(r["languages"]))
    if not split(r["languages"]):
        err(f"{where}: no language")
    check_codes(where, NEEDS, split(r["serves"]))
    check_place(where, CITIES, r["city"])
    if has_regions:
        for reg in split(r["regions"]):
            check_place(where, REGIONS, reg)
    if r["active"] not in ("true", "false"):
        err(f"{where}: active must be true/false")
    if r["capacity"] and not r["capacity"].isdigit():
        err(f"{where}: capacity {r['capacity']!r}")


def main() -> int:
    projects = load("projects")
    mentors = load("mentors")
    investors = load("investors")
    providers = load("providers")
    for p in projects:
        w = f"project {p['name']}"
        check_codes(w, STAGES, [p["stage"]])
        if p["round_sought"]:
            check_codes(w, ROUNDS, [p["round_sought"]])
        check_codes(w, INDUSTRIES, split(p["industries"]))
        check_codes(w, NEEDS, split(p["needs"]))
        check_codes(w, LANGUAGES, split(p["languages"]))
        check_place(w, CITIES, p["city"])
        if not p["team_size"].isdigit() or not p["funding_sought"].isdigit():
            err(f"{w}: team_size/funding_sought must be integers")
        if int(p["funding_sought"] or 0) > 0 and not p["round_sought"]:
            err(f"{w}: raising without round_sought")
    for m in mentors:
        w = f"mentor {m['name']}"
        check_codes(w, MENTOR_TYPES, [m["mentor_type"]])
        common(w, m)
    for i in investors:
        w = f"investor {i['name']}"
        check_codes(w, INVESTOR_KINDS, [i["kind"]])
        check_codes(w, ROUNDS, split(i["rounds"]))
        if int(i["ticket_min"]) > int(i["ticket_max"]):
            err(f"{w}: ticket_min > ticket_max")
        common(w, i)
    for v in providers:
        w = f"provider {v['name']}"
        check_codes(w, PROVIDER_CATEGORIES, [v["category"]])
        check_codes(w, PRICE_TIERS, [v["price_tier"]])
        common(w, v)

    doc = json.loads((HERE / "judgments.json").read_text(encoding="utf-8"))
    if doc.get("version") != 1 or not isinstance(doc.get("scale"), str):
        err("judgments.json: version/scale")
    pnames = {p["name"] for p in projects}
    cnames = {"mentor": {m["name"] for m in mentors}, "investor": {i["name"] for i in investors},
              "provider": {v["name"] for v in providers}}
    judg, mna = doc["judgments"], doc["must_not_appear"]
    for section, data in (("judgments", judg), ("must_not_appear", mna)):
        for p, kinds in data.items():
            if p not in pnames:
                err(f"{section}: unknown project {p!r}")
            for kind, cands in kinds.items():
                if kind not in cnames:
                    err(f"{section}/{p}: unknown kind {kind!r}")
                    continue
                for c in cands:
                    if c not in cnames[kind]:
                        err(f"{section}/{p}/{kind}: unknown candidate {c!r}")
    for p, kinds in judg.items():
        for kind, cands in kinds.items():
            for c, g in cands.items():
                if g not in (1, 2, 3):
                    err(f"judgments/{p}/{kind}/{c}: grade {g}")
                if c in mna.get(p, {}).get(kind, []):
                    err(f"{p}/{kind}/{c}: graded {g} but in must_not_appear")
    for p in pnames - set(judg):
        err(f"project {p} has no judgments")
    # every project: a grade-3 mentor and provider; every raising project: a graded investor
    for p in projects:
        j = judg.get(p["name"], {})
        for kind in ("mentor", "provider"):
            if 3 not in j.get(kind, {}).values():
                err(f"{p['name']}: no grade-3 {kind}")
        if int(p["funding_sought"]) > 0 and not j.get("investor"):
            err(f"{p['name']}: raising but no graded investor")
    # must_not_appear must equal the rule-based computation
    import make  # source/make.py
    rule = make.must_not_appear(
        make.rows(make.PROJECTS, make.P_COLS), make.rows(make.MENTORS, make.M_COLS),
        make.rows(make.INVESTORS, make.I_COLS), make.rows(make.PROVIDERS, make.V_COLS))
    for p, kinds in rule.items():
        for kind, lst in kinds.items():
            if sorted(lst) != sorted(mna.get(p, {}).get(kind, [])):
                err(f"must_not_appear/{p}/{kind} differs from the rules")

    # flags to re-read (not errors)
    by = {"mentor": {m["name"]: m for m in mentors}, "investor": {i["name"]: i for i in investors},
          "provider": {v["name"]: v for v in providers}}
    pby = {p["name"]: p for p in projects}
    flags = []
    for p, kinds in judg.items():
        pc = CITIES.parse(pby[p]["city"])
        for kind, cands in kinds.items():
            for c, g in cands.items():
                cand = by[kind][c]
                regs = [REGIONS.parse(r) for r in split(cand["regions"])]
                ok = any(r == "nationwide" or r == pc or r == make.province(pc)
                         or r == REGIONS.macro_of(pc) for r in regs)
                if g >= 2 and not ok:
                    flags.append(f"region  {p} / {kind} {c} = {g}: candidate regions {cand['regions']}")
                if g == 3 and pby[p]["stage"] not in split(cand["stages"]):
                    flags.append(f"stage   {p} / {kind} {c} = 3: candidate stages {cand['stages']}")
    for f in flags:
        print("FLAG", f)

    counts = {k: Counter() for k in cnames}
    for kinds in judg.values():
        for kind, cands in kinds.items():
            counts[kind].update(cands.values())
    print("rows:", {n: len(x) for n, x in (("projects", projects), ("mentors", mentors),
                                          ("investors", investors), ("providers", providers))})
    for kind in cnames:
        n_mna = sum(len(k.get(kind, [])) for k in mna.values())
        withg = sum(1 for k in judg.values() if k.get(kind))
        print(f"{kind}: graded {sum(counts[kind].values())} (3: {counts[kind][3]}, 2: {counts[kind][2]}, "
              f"1: {counts[kind][1]}), projects with graded {withg}, must_not_appear {n_mna}")
    for e in errors:
        print("ERROR", e)
    print("OK" if not errors else f"{len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
