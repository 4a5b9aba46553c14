"""Generate a corpus of programme descriptions for benchmarking govcheck.

    python benchmarks/generate.py OUT_DIR --count N [--seed S] [--invalid K] [--corpus realistic]

Two profiles, each the same files for the same seed:
- `synthetic` (the default, as before): starts from examples/*.yaml and rules/_base.yaml and
  mutates them with a seeded random.Random into large files (about 10 KB: 1-30 parties, 0-40
  risks). The K invalid ones are deliberately broken (YAML syntax errors, unknown fields,
  wrong types).
- `realistic`: the shapes people write. Each file is one of the descriptions in
  examples/real/ or one project of the bundled GMPP release imported by govcheck
  (examples/gmpp/), drawn in the proportion they have there, with its figures varied: every
  amount of a file scaled by one factor and every date moved by one number of days, so the
  file still validates. Sizes follow theirs (about 2-8 KB).
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import random
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = [ROOT / "examples/healthy.yaml", ROOT / "examples/ngss.yaml",
             ROOT / "examples/troubled.yaml", ROOT / "rules/_base.yaml"]
Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

WORDS = ("payments digital records case estates workforce data identity licensing border "
         "tax benefits justice health schools transport energy defence housing grants").split()
DEPTS = ("Department for Transport", "Home Office", "Ministry of Justice", "HM Revenue & Customs",
         "Department for Education", "Cabinet Office", "Department of Health", "National Appeals Service",
         "Department for Work and Pensions", "Ministry of Defence")
ROLES = ("customer", "supplier", "delivery_partner", "sponsor", "other")
COMMIT = ("committed", "supportive", "neutral", "resisting", "exited", "unknown")
RATINGS = ("Green", "Amber/Green", "Amber", "Amber/Red", "Red")
LEVELS = ("low", "medium", "high")
CASES = ("strategic", "economic", "commercial", "financial", "management")
OPTIONAL_TOP = ("description", "start_date", "planned_end_date", "next_gate", "objectives", "leadership",
                "mandate", "governance", "business_case", "costs", "benefits", "risk_management",
                "gateway_reviews", "changes", "delivery", "migration", "milestones", "parties")


def _load_templates() -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in TEMPLATES]


def _phrase(r: random.Random, n: int = 3) -> str:
    return " ".join(r.choice(WORDS) for _ in range(n)).capitalize()


def _date(r: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    if hi <= lo:
        return lo
    return lo + dt.timedelta(days=r.randrange((hi - lo).days + 1))


def _money(amount: float, cur: str) -> dict:
    return {"amount": float(round(amount)), "currency": cur}


def make_valid(r: random.Random, templates: list[dict], i: int) -> dict:
    p = copy.deepcopy(r.choice(templates))
    troubled = r.random() < 0.4
    cur = r.choice(("GBP", "GBP", "GBP", "EUR", "USD"))
    start = _date(r, dt.date(2010, 1, 1), dt.date(2022, 12, 31))
    assess = _date(r, start + dt.timedelta(days=180), start + dt.timedelta(days=365 * 5))
    end = _date(r, assess, assess + dt.timedelta(days=365 * 4))
    p["id"] = f"prog-{i:06d}"
    p["name"] = f"{_phrase(r)} Programme {i}"
    p["department"] = r.choice(DEPTS)
    p["assessment_date"] = assess
    p["start_date"] = start
    p["planned_end_date"] = end
    p["next_gate"] = r.randint(0, 5)

    def before(d: dt.date = assess) -> dt.date:
        return _date(r, start, d)

    # leadership
    lead = p.setdefault("leadership", {}) or {}
    p["leadership"] = lead
    lead["sro"] = {"name": f"{_phrase(r, 2)} SRO", "appointed": before(),
                   "time_commitment": r.choice(("full_time", "part_time", "unknown"))}
    prev, t = [], start
    for _ in range(r.choice((0, 0, 1, 2, 3)) if troubled else r.choice((0, 0, 1))):
        e = _date(r, t, min(t + dt.timedelta(days=700), assess))
        prev.append({"name": _phrase(r, 2), "start": t, "end": e})
        t = e
    lead["previous_sros"] = prev
    # governance / business case dates must be within range
    gov = p.get("governance") or {}
    if isinstance(gov.get("board"), dict):
        gov["board"]["last_met"] = before()
        gov["board"]["meets"] = r.choice(("weekly", "monthly", "quarterly", "ad_hoc"))
    bc = p.get("business_case")
    if isinstance(bc, dict):
        stage = r.choice(("none", "soc", "obc", "fbc", "pbc"))
        bc["stage"] = stage
        if stage == "none":
            bc["approved"] = False
            bc["cases"] = []
        else:
            bc["approved"] = r.random() > (0.5 if troubled else 0.1)
            bc["cases"] = r.sample(CASES, r.randint(0, 5))
        for k in ("approved_on", "last_updated"):
            if k in bc:
                bc[k] = before()
        bc["options_appraised"] = r.randint(0, 8)
    # parties 1-30
    parties = []
    for j in range(r.randint(1, 30)):
        c = r.choice(COMMIT) if troubled else r.choice(COMMIT[:3])
        party = {"name": f"{_phrase(r, 2)} party {j}", "role": r.choice(ROLES), "commitment": c}
        if r.random() < 0.7:
            party["confirmed_on"] = before()
        if c == "exited":
            party["exited_on"] = before()
        if r.random() < 0.6:
            party["needs_assessed"] = r.random() < (0.5 if troubled else 0.9)
        if r.random() < 0.3:
            party["group"] = f"ISSC{r.randint(1, 3)}"
        parties.append(party)
    p["parties"] = parties
    # milestones 0-20
    ms = []
    for j in range(r.randint(0, 20)):
        base = _date(r, start, end)
        m = {"name": f"Milestone {j}: {_phrase(r)}", "baseline": base}
        if r.random() < 0.7:
            slip = r.randint(0, 900) if troubled else r.randint(-30, 90)
            m["forecast"] = min(base + dt.timedelta(days=slip), dt.date(2100, 1, 1))
        if base < assess and r.random() < 0.5:
            m["actual"] = _date(r, base, assess)
        if r.random() < 0.15:
            m["go_live"] = True
        ms.append(m)
    p["milestones"] = ms
    # migration
    if r.random() < 0.5:
        total = r.randint(1, 100_000)
        cps, d = [], start
        for _ in range(r.randint(0, 8)):
            d = d + dt.timedelta(days=r.randint(30, 200))
            planned = r.randint(0, total)
            cp = {"date": d, "planned": planned}
            if d <= assess:
                cp["done"] = r.randint(0, planned)
            cps.append(cp)
        cps.sort(key=lambda c: c["date"])
        p["migration"] = {"unit": r.choice(("customers", "sites", "users", "departments")),
                          "total": total, "checkpoints": cps}
    else:
        p.pop("migration", None)
    # costs (single currency)
    budget = r.randint(1, 2000) * 1_000_000
    over = r.uniform(1.0, 1.8) if troubled else r.uniform(0.8, 1.1)
    p["costs"] = {"budget": _money(budget, cur),
                  "spent_to_date": _money(budget * r.uniform(0, over), cur),
                  "whole_life": {"baseline": _money(budget * 1.8, cur), "forecast": _money(budget * 1.8 * over, cur)},
                  "contingency": _money(budget * r.uniform(0, 0.2), cur)}
    for k in list(p["costs"]):
        if r.random() < 0.15:
            del p["costs"][k]
    # benefits 0-6 with yearly forecasts
    items = []
    for j in range(r.randint(0, 6)):
        y0 = r.randint(assess.year - 2, assess.year + 3)
        b = {"name": f"Benefit {j}: {_phrase(r)}", "cashable": r.random() < 0.7,
             "agreed_with_owner": r.random() < (0.4 if troubled else 0.9),
             "forecast": [{"year_ending": dt.date(y0 + k, 3, 31), "amount": _money(r.randint(1, 50) * 100_000, cur)}
                          for k in range(r.randint(0, 6))]}
        if r.random() < 0.7:
            b["owner"] = _phrase(r, 2)
        if r.random() < 0.3:
            b["delivered_to_date"] = _money(r.randint(0, 40) * 100_000, cur)
        items.append(b)
    p["benefits"] = {"realisation_plan": r.random() < 0.7, "items": items}
    # risks 0-40
    risks = []
    for _ in range(r.randint(0, 40)):
        rk = {"title": f"Risk: {_phrase(r, 4)}", "likelihood": r.choice(LEVELS), "impact": r.choice(LEVELS),
              "status": r.choice(("open", "open", "closed"))}
        if r.random() < (0.5 if troubled else 0.95):
            rk["owner"] = _phrase(r, 2)
        if r.random() < (0.4 if troubled else 0.9):
            rk["mitigation"] = f"Mitigate by {_phrase(r, 5).lower()}."
        risks.append(rk)
    p["risk_management"] = {"register_maintained": r.random() < 0.8, "last_reviewed": before(), "risks": risks}
    # gateway reviews
    p["gateway_reviews"] = sorted(
        ({"gate": r.randint(0, 5), "date": before(), "rating": r.choice(RATINGS[2:] if troubled else RATINGS[:3]),
          "recommendations_open": r.randint(0, 10)} for _ in range(r.randint(0, 6))), key=lambda g: g["date"])
    p["changes"] = [{"date": before(), "summary": _phrase(r, 8) + ".",
                     "scope": r.choice(("reduced", "increased", "unchanged")),
                     "budget": r.choice(("reduced", "increased", "unchanged"))} for _ in range(r.randint(0, 4))]
    # the templates' judgements and contracts, dated within the programme's life
    for key in ("assessments", "contracts", "audit_conclusions"):
        if p.get(key):
            p[key] = [{**item, "date": before()} if "date" in item else item for item in p[key]]
    # omit some optional fields
    for k in OPTIONAL_TOP:
        if k in p and r.random() < 0.08:
            del p[k]
    return p


def make_invalid(r: random.Random, templates: list[dict], i: int) -> str:
    p = make_valid(r, templates, 900_000 + i)
    kind = i % 3
    if kind == 0:  # syntax error
        text = yaml.dump(p, Dumper=Dumper, sort_keys=False)
        lines = text.splitlines()
        at = r.randrange(len(lines))
        lines.insert(at, r.choice(("  bad: [unclosed", "\tkey: tab", "- : :", "x: {a: 1")))
        return "\n".join(lines) + "\n"
    if kind == 1:  # unknown fields
        p[r.choice(("sponsor_name", "budgett", "notes"))] = "unexpected"
        if p.get("parties"):
            p["parties"][0]["colour"] = "blue"
    else:  # wrong types
        p["next_gate"] = "three"
        if p.get("parties"):
            p["parties"][0]["needs_assessed"] = "yes"
        p["assessment_date"] = "20/05/2016"
    return yaml.dump(p, Dumper=Dumper, sort_keys=False)


def generate(out: Path, count: int, seed: int = 0, invalid: int = 0) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    r = random.Random(seed)
    templates = _load_templates()
    paths = []
    for i in range(count):
        path = out / f"valid-{i:06d}.yaml"
        path.write_text(yaml.dump(make_valid(r, templates, i), Dumper=Dumper, sort_keys=False), encoding="utf-8")
        paths.append(path)
    for i in range(invalid):
        path = out / f"invalid-{i:06d}.yaml"
        path.write_text(make_invalid(r, templates, i), encoding="utf-8")
        paths.append(path)
    return paths


def _real_templates() -> list[dict]:
    """The real descriptions and the projects of the bundled GMPP release, as plain data."""
    import subprocess
    import sys
    import tempfile

    found = [yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
             for p in sorted((ROOT / "examples" / "real").glob("[!_]*.yaml"))]  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "govcheck", "import", "gmpp", str(ROOT / "examples" / "gmpp" / "uk_2017.csv"),
             "--output-dir", tmp],
            check=True, capture_output=True,
        )  # fmt: skip
        found += [yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
                  for p in sorted(Path(tmp).glob("*.yaml"))]  # fmt: skip
    return found


def _vary(value: object, factor: float, days: int) -> object:
    """Every amount scaled by `factor`, every date moved by `days`, within the format's range."""
    if isinstance(value, dict):
        if set(value) == {"amount", "currency"}:
            return {"amount": round(float(value["amount"]) * factor, 2), "currency": value["currency"]}
        return {k: _vary(v, factor, days) for k, v in value.items()}
    if isinstance(value, list):
        return [_vary(v, factor, days) for v in value]
    if isinstance(value, dt.date):
        return value + dt.timedelta(days=days)
    return value


def generate_realistic(out: Path, count: int, seed: int = 0) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    r = random.Random(seed)
    templates = _real_templates()
    paths = []
    for i in range(count):
        data = _vary(copy.deepcopy(r.choice(templates)), r.uniform(0.7, 1.3), r.randint(-60, 60))
        assert isinstance(data, dict)
        data["id"] = f"real-{i:06d}"
        path = out / f"valid-{i:06d}.yaml"
        path.write_text(yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--invalid", type=int, default=0)
    ap.add_argument("--corpus", choices=("synthetic", "realistic"), default="synthetic")
    a = ap.parse_args()
    if a.corpus == "realistic":
        paths = generate_realistic(a.out_dir, a.count, a.seed)
    else:
        paths = generate(a.out_dir, a.count, a.seed, a.invalid)
    print(f"wrote {len(paths)} files to {a.out_dir}")


if __name__ == "__main__":
    main()
