"""An automated attacker on a protected evaluation release.

Given the protected release and the evaluator release of the same run (the truth), it derives
every count it can from what is published: differencing across linked tables and rows
(quintile - decile, total - other groups, n_baseline - n_paired, ...) and back-calculation
from rates, shares, means and costs (rate x population, share x total, funding / cost per
person, ...). A finding is a count below 10 recovered exactly, or, in a public release, any
exact count the rounding was meant to hide. A plain module, not a conftest (see
evaluation_lsoa).
"""

SMALL = 10
COUNTS = ("referrals", "people", "completed_episodes")


def _num(value):
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


class Attack:
    def __init__(self, release: dict, truth: dict):
        self.release, self.truth = release, truth
        self.public = release["audience"] == "public"
        self.findings: list[str] = []

    def derived(self, name: str, value, true) -> None:
        """``value`` is what the attacker computed for a count whose true value is ``true``."""
        if value is None or true is None:
            return
        if abs(value - true) >= 0.01:
            return
        if true < SMALL or (self.public and round(true) % 5 != 0):
            self.findings.append(f"{name}: recovered {true}")

    def published(self, name: str, value, true) -> None:
        if _num(value) is not None and _num(true) is not None and true < SMALL:
            self.findings.append(f"{name}: published {true}")

    def difference(self, name: str, total, parts: list, true) -> None:
        """``total`` - sum(``parts``): the attacker needs every term numeric."""
        if _num(total) is None or any(_num(p) is None for p in parts):
            return
        self.derived(name, total - sum(parts), true)


def _fraction(a: Attack, name: str, share: float, n_published: int, n_true: int,
              true: float) -> None:
    """A share published as an exact fraction k/n gives k away once n is pinned down: the
    true n lies within 2 of the rounded one; if only one of those denominators makes the
    share a whole count, that is the count."""
    whole = [d for d in range(max(n_published - 2, 1), n_published + 3)
             if abs(share * d - round(share * d)) < 1e-9]
    if whole == [n_true]:
        a.derived(f"{name} as an exact fraction", share * n_true, true)


def _rows(table, key):
    return {row[key]: row for row in table}


def attack_reach(a: Attack) -> None:
    pub, true = a.release["reach"], a.truth["reach"]
    for count in COUNTS:
        if count not in true["totals"]:
            continue
        tables = {t: (_rows(pub[t], k), _rows(true[t], k)) for t, k in (
            ("by_imd_decile", "imd_decile"), ("by_imd_quintile", "imd_quintile"),
            ("by_borough", "lad_code"), ("by_age_band", "age_band"), ("by_sex", "sex"),
            ("by_ethnicity", "ethnicity"))}
        deciles_p, deciles_t = tables["by_imd_decile"]
        quintiles_p, _ = tables["by_imd_quintile"]
        for q, row in quintiles_p.items():
            for d, other in ((2 * q - 1, 2 * q), (2 * q, 2 * q - 1)):
                if d in deciles_t and other in deciles_p:
                    a.difference(f"{count} decile {d} = quintile {q} - decile {other}",
                                 row[count], [deciles_p[other][count]], deciles_t[d][count])
        total_p, total_t = pub["totals"][count], true["totals"][count]
        for name, (rows_p, rows_t) in tables.items():
            for key, row_t in rows_t.items():
                a.published(f"{count} {name} {key}", rows_p[key][count], row_t[count])
                rate = _num(rows_p[key].get(f"{count}_per_1000"))
                population = _num(rows_p[key].get("population"))
                if rate is not None and population:
                    a.derived(f"{count} {name} {key} = rate x population",
                              rate * population / 1000, row_t[count])
                share = _num(rows_p[key].get(f"{count}_share"))
                if share is not None and _num(total_p) is not None:
                    a.derived(f"{count} {name} {key} = share x total", share * total_p,
                              row_t[count])
            if name == "by_ethnicity" or sum(r[count] for r in rows_t.values()) != total_t:
                continue  # groups do not add up to the total (unknown LSOA, no ethnicity)
            for key, row_t in rows_t.items():
                a.difference(f"{count} {name} {key} = total - other groups", total_p,
                             [r[count] for k, r in rows_p.items() if k != key], row_t[count])
        rate = _num(pub["totals"].get(f"{count}_per_1000"))
        if rate is not None:
            a.derived(f"{count} total = rate x population",
                      rate * pub["totals"]["population"] / 1000, total_t)


def _outcome_block(a: Attack, name: str, p: dict, t: dict) -> None:
    for key in ("n_baseline", "n_follow_up", "n_paired"):
        a.published(f"{name} {key}", p.get(key), t.get(key))
    n_lost = t["n_baseline"] - t["n_paired"]
    a.difference(f"{name} n_lost = n_baseline - n_paired", p.get("n_baseline"),
                 [p.get("n_paired")], n_lost)
    a.difference(f"{name} follow-up only = n_follow_up - n_paired", p.get("n_follow_up"),
                 [p.get("n_paired")], t["n_follow_up"] - t["n_paired"])
    rate, n_b, n_p = _num(p.get("attrition_rate")), _num(p.get("n_baseline")), _num(
        p.get("n_paired"))
    if rate is not None and n_b is not None:
        a.derived(f"{name} n_lost = attrition_rate x n_baseline", rate * n_b, n_lost)
    if rate is not None and n_p is not None and rate < 1:
        a.derived(f"{name} n_lost = n_paired x rate / (1 - rate)", n_p * rate / (1 - rate),
                  n_lost)
    for share in ("improved_share", "worsened_share"):
        value, true_share = _num(p.get(share)), _num(t.get(share))
        if value is None or true_share is None:
            continue
        k = true_share * t["n_paired"]
        if n_p is not None:
            a.derived(f"{name} {share} x n_paired", value * n_p, k)
            a.derived(f"{name} n_paired - {share} x n_paired", n_p - value * n_p,
                      t["n_paired"] - k)
        if a.public and n_p is not None:
            _fraction(a, f"{name} {share}", value, n_p, t["n_paired"], k)


def attack_outcomes(a: Attack) -> None:
    for code, t in a.truth["outcomes"].items():
        p = a.release["outcomes"][code]
        _outcome_block(a, code, p, t)
        for by, rows_t in t["by"].items():
            rows_p = _rows(p["by"][by], by)
            for row_t in rows_t:
                key = row_t[by]
                if key not in rows_p:
                    continue
                _outcome_block(a, f"{code} by {by} {key}", rows_p[key], row_t)
                for count in ("n_baseline", "n_follow_up", "n_paired"):
                    a.difference(f"{code} by {by} {key} {count} = overall - other groups",
                                 p.get(count), [r.get(count) for k, r in rows_p.items()
                                                if k != key], row_t[count])
        att_p, att_t = a.release["attrition"].get(code), a.truth["attrition"].get(code)
        if not att_t:
            continue
        b_p, b_t = att_p["baseline_comparison"], att_t["baseline_comparison"]
        a.published(f"{code} attrition n_lost", b_p.get("n_lost"), b_t["n_lost"])
        s_p = att_p["sensitivity"]
        a.difference(f"{code} attrition n_lost = no-change n - complete n",
                     (s_p.get("missing_as_no_change") or {}).get("n"),
                     [(s_p.get("complete_case") or {}).get("n")], b_t["n_lost"])
        a.difference(f"{code} attrition n_lost = n_baseline - complete-case n",
                     p.get("n_baseline"), [(s_p.get("complete_case") or {}).get("n")],
                     b_t["n_lost"])
        cc = _num((s_p.get("complete_case") or {}).get("mean_change"))
        nc = _num((s_p.get("missing_as_no_change") or {}).get("mean_change"))
        n_p = _num(p.get("n_paired"))
        if cc and nc and n_p is not None:
            a.derived(f"{code} attrition n_lost = n_paired x (cc / nc - 1)",
                      n_p * (cc / nc - 1), b_t["n_lost"])


def attack_cost(a: Attack) -> None:
    p, t = a.release["cost"], a.truth["cost"]
    if not p.get("available") or not t.get("available"):
        return
    funding = p["funding_pence"]
    per = (p.get("per_person_supported") or {}).get("pence")
    if per:
        a.derived("people = funding / cost per person", funding / per, t["people_supported"])
    completed = a.truth["reach"]["totals"].get("completed_episodes")
    per = (p.get("per_completed_episode") or {}).get("pence")
    if per and completed is not None:
        a.derived("completed = funding / cost per completed episode", funding / per, completed)
    improved_p, improved_t = p.get("per_person_improved"), t.get("per_person_improved")
    if not (improved_p and improved_t):
        return
    people = _num(p.get("people_supported"))
    paired, n_lost = _num(improved_p.get("n_paired")), _num(improved_p.get("n_lost"))
    true_improved, true_lost = improved_t["n_improved"], improved_t["n_lost"]
    for key in ("n_improved", "n_paired", "n_lost"):
        a.published(f"cost {key}", improved_p.get(key), improved_t[key])
    share, n = _num(improved_p.get("improved_share")), paired
    if share is not None and n is not None:
        a.derived("improved = improved_share x n_paired (cost)", share * n, true_improved)
        if a.public:
            _fraction(a, "improved (cost)", share, n, improved_t["n_paired"], true_improved)
    gross = _num(improved_p.get("gross_pence"))
    if gross and people and paired:
        a.derived("improved = funding / gross cost x n_paired / people (funding)",
                  funding / gross * paired / people, true_improved)
    attrition_range = improved_p.get("attrition_range_pence") or [None, None]
    worst = _num(attrition_range[1])
    comparison = improved_p.get("comparison")
    if worst and people and not comparison and _num(improved_p.get("n_improved")):
        # worst = funding / (people x improved / (paired + lost))
        a.derived("lost = improved x people x worst / funding - paired (funding)",
                  improved_p["n_improved"] * people * worst / funding - (paired or 0),
                  true_lost)
    if n_lost is None and paired is not None:
        a.difference("lost = assessed - paired (cost)", improved_p.get("n_people_assessed"),
                     [paired], true_lost)


def attack_comparison(a: Attack) -> None:
    for code, entry in a.truth["comparison"].get("instruments", {}).items():
        for design, t in entry.items():
            p = a.release["comparison"]["instruments"][code][design]
            for key, value in t.items():
                if key.startswith("n_") and isinstance(value, int):
                    a.published(f"{code} {design} {key}", p.get(key), value)


def attack(release: dict, truth: dict) -> list[str]:
    a = Attack(release, truth)
    for step in (attack_reach, attack_outcomes, attack_cost, attack_comparison):
        step(a)
    return a.findings
