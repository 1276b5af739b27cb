"""Every figure and every suppression on the dashboard, for a set of filter combinations the
page allows and both audiences, is exactly as it was before the filtered views were sped up
(ADR 0020): the snapshot was taken from the code before that change, on this seeded dataset,
whose counts ``test_insights_dashboard`` checks independently."""

from datetime import date
from pathlib import Path

from insights_factories import NOW, seed
from insights_figures import check_against, figures
from linkwell.insights import domain, queries

SNAPSHOT = Path(__file__).with_name("dashboard_figures.json")
CASES = {
    "first view": {},
    "period": {"date_from": date(2026, 1, 1), "date_to": date(2026, 4, 30)},
    "from a date": {"date_from": date(2025, 12, 1)},
    "to a date": {"date_to": date(2026, 2, 15)},
    "one day": {"date_from": date(2026, 3, 2), "date_to": date(2026, 3, 2)},
    "no data": {"date_from": date(2020, 1, 1), "date_to": date(2020, 1, 31)},
    "borough": {"borough": "E09000023"},
    "pcn": {"pcn": "North PCN"},
    "borough team": {"team": "Borough team"},
    "a borough team given as a PCN": {"pcn": "Borough team"},
    "practice": {"practice": "G85001"},
    "source": {"source": "gp"},
    "simulated source": {"source": "simulated"},
    "pcn and period": {"pcn": "South PCN", "date_from": date(2026, 2, 1)},
    "borough and source": {"borough": "E09000028", "source": "self"},
    "practice, source and period": {"practice": "G85002", "source": "hospital",
                                    "date_to": date(2026, 5, 31)},
    "team and another borough": {"team": "North PCN", "borough": "E09000028"},
    "every filter": {"borough": "E09000023", "pcn": "North PCN", "team": "North PCN",
                     "practice": "G85003", "source": "gp", "date_from": date(2025, 10, 1),
                     "date_to": date(2026, 6, 30)},
    "unknown practice": {"practice": "Y99999"},
}


def _filters(seeded, case: dict, include_simulated: bool) -> domain.Filters:
    values = {k: seeded.teams[v].id if k in ("pcn", "team") else v for k, v in case.items()}
    return domain.Filters(**values, include_simulated=include_simulated)


def test_every_figure_and_suppression_is_as_before(session):
    seeded = seed(session)
    kept = queries.frames(session)
    computed = {}
    for name, case in CASES.items():
        for audience in ("commissioner", "evaluator"):
            for simulated in (False, True) if audience == "evaluator" else (False,):
                filters = _filters(seeded, case, simulated)
                label = f"{name} / {audience}" + (" with simulated" if simulated else "")
                computed[label] = figures(domain.build(kept, filters, audience, NOW))
    check_against(SNAPSHOT, computed)
