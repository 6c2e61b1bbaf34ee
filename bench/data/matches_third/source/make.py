"""Write the third set's CSVs and judgments.json from the hand-written data in this folder.

Grades come verbatim from grades.py. must_not_appear is computed from the rules of the README
(bench/data/matches_heldout/README.md and this folder's README, section "must_not_appear"). Run: .venv/bin/python bench/data/matches_third/source/make.py
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(OUT.parents[2]))  # repo root, for matcher.taxonomy

from grades import GRADES, MOVING_TO  # noqa: E402
from investors import INVESTORS  # noqa: E402
from mentors import MENTORS  # noqa: E402
from projects import PROJECTS  # noqa: E402
from providers import PROVIDERS  # noqa: E402

from matcher.taxonomy import CITIES, REGIONS  # noqa: E402

P_COLS = "name,one_liner,needs_statement,description,stage,round_sought,industries,needs,city,languages,team_size,funding_sought".split(",")
M_COLS = "name,mentor_type,title,organisation,expertise,offer,bio,serves,industries,stages,languages,city,regions,capacity,active".split(",")
I_COLS = "name,kind,thesis,description,rounds,ticket_min,ticket_max,serves,industries,stages,languages,city,regions,capacity,active".split(",")
V_COLS = "name,category,services,description,serves,industries,stages,languages,city,regions,price_tier,capacity,active".split(",")

SCALE = ("0-3 graded relevance: 3 excellent (directly addresses a stated or clearly described need, right domain, "
         "stage/region/language fit, investors: round and ticket fit, active with capacity); 2 good with one notable "
         "gap; 1 partial or plausible; 0 not relevant (omitted).")


def rows(data, cols):
    out = []
    for r in data:
        d = dict(zip(cols, r))
        out.append(d)
    return out


def province(place_code: str) -> str:
    """Province-level code of a place code: '341100' -> '340000'; overseas codes map to themselves."""
    return place_code[:2] + "0000" if place_code[:6].isdigit() else place_code


def city_prov(name: str) -> str:
    return province(CITIES.parse(name))


def langs(s: str) -> set[str]:
    return set(s.split("|")) if s else set()


def fmt(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    return "" if v is None else str(v)


def write_csv(path: Path, cols, data):
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(cols)
        for d in data:
            w.writerow([fmt(d[c]) for c in cols])


def must_not_appear(projects, mentors, investors, providers):
    mna = {}
    for p in projects:
        pl = langs(p["languages"])
        pprov = city_prov(p["city"])
        allowed_provs = {pprov} | MOVING_TO.get(p["name"], set())
        raising = int(p["funding_sought"]) > 0
        entry = {"mentor": [], "investor": [], "provider": []}
        for m in mentors:
            if not m["active"] or m["capacity"] == 0 or not (pl & langs(m["languages"])):
                entry["mentor"].append(m["name"])
        for i in investors:
            bad = not i["active"] or not (pl & langs(i["languages"]))
            if raising and not bad:
                rounds = langs(i["rounds"])
                bad = (i["capacity"] == 0
                       or p["round_sought"] not in rounds
                       or int(i["ticket_min"]) > int(p["funding_sought"])
                       or (i["kind"] == "government_fund"
                           and province(REGIONS.parse(i["regions"])) != pprov))
            if bad:
                entry["investor"].append(i["name"])
        for v in providers:
            bad = not v["active"] or v["capacity"] == 0 or not (pl & langs(v["languages"]))
            if not bad and v["category"] in ("policy_application", "registration"):
                bad = city_prov(v["city"]) not in allowed_provs
            if bad:
                entry["provider"].append(v["name"])
        mna[p["name"]] = entry
    return mna


def main():
    projects = rows(PROJECTS, P_COLS)
    mentors = rows(MENTORS, M_COLS)
    investors = rows(INVESTORS, I_COLS)
    providers = rows(PROVIDERS, V_COLS)
    for d in investors + mentors + providers:
        if d["capacity"] == "":
            d["capacity"] = None
    write_csv(OUT / "projects.csv", P_COLS, projects)
    write_csv(OUT / "mentors.csv", M_COLS, mentors)
    write_csv(OUT / "investors.csv", I_COLS, investors)
    write_csv(OUT / "providers.csv", V_COLS, providers)
    judg = {p: {k: dict(v) for k, v in kinds.items() if v} for p, kinds in GRADES.items()}
    mna = must_not_appear(projects, mentors, investors, providers)
    doc = {"version": 1, "scale": SCALE, "judgments": judg, "must_not_appear": mna}
    (OUT / "judgments.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print("written", {k: len(v) for k, v in (("projects", projects), ("mentors", mentors),
                                             ("investors", investors), ("providers", providers))})


if __name__ == "__main__":
    main()
