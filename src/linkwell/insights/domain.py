"""The operational dashboard's figures, computed from the frames ``queries`` reads (no I/O).

Every figure is a table of records with its definition, so the page, the CSV export and the
tests read one structure. Disclosure control is the evaluation's (``evaluation.disclosure``),
applied last by ``protect``; equity uses the evaluation's reach and SII/RII (``evaluation.reach``).
"""

from dataclasses import dataclass, field, replace
from datetime import date, datetime

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from linkwell.evaluation.disclosure import SUPPRESSED, THRESHOLD, Audience, protect_counts
from linkwell.insights import outcomes, person_outcomes
from linkwell.insights.costs import ProgrammeCost, cost_rows, per_person
from linkwell.insights.equity import COMPLETED, equity, equity_tables, people_columns
from linkwell.insights.onward import prepare as prepare_onward
from linkwell.insights.onward import rows as onward_rows
from linkwell.insights.selection import SIMULATED, Index, timeline_order
from linkwell.insights.table import Table
from linkwell.referrals.domain import (
    CLOSURE_REASONS,
    NEEDS_DOMAINS,
    REFERRAL_REASONS,
    REFERRAL_SOURCES,
    Status,
)

DECLINED = "declined"  # an episode closed because the person declined
NEED_AT = 3  # a needs domain scored 3 (some concern) or more at the first assessment
WAITING = (Status.REQUESTED.value, Status.RECEIVED.value)
ACCEPTED_BY_PROVIDER = (Status.ACCEPTED.value, Status.IN_PROGRESS.value, Status.ON_HOLD.value,
                        Status.COMPLETED.value, Status.FAILED.value)
WAIT_BANDS = ((0, 7, "Under 1 week"), (7, 14, "1 to 2 weeks"), (14, 28, "2 to 4 weeks"),
              (28, None, "4 weeks or more"))
DAY = pd.Timedelta(days=1)


@dataclass(frozen=True)
class Filters:
    """What the viewer chose. Period bounds are inclusive dates of referral."""

    date_from: date | None = None
    date_to: date | None = None
    borough: str | None = None
    pcn: int | None = None
    practice: str | None = None
    team: int | None = None
    source: str | None = None
    include_simulated: bool = False

    def query(self) -> dict[str, str]:
        """The filters as query parameters (links to the exports keep them)."""
        values = {"from": self.date_from, "to": self.date_to, "borough": self.borough,
                  "pcn": self.pcn, "practice": self.practice, "team": self.team,
                  "source": self.source, "simulated": "1" if self.include_simulated else None}
        return {k: str(v) for k, v in values.items() if v not in (None, "")}


@dataclass
class Frames:
    referrals: pd.DataFrame
    onward: pd.DataFrame
    needs: pd.DataFrame
    teams: pd.DataFrame
    lsoa: pd.DataFrame
    borough_names: dict = field(default_factory=dict)
    reasons: pd.DataFrame | None = None  # set by ``prepare``
    index: Index | None = None  # set by ``prepare``
    people: int = 0  # distinct people referred (their dense codes); set by ``prepare``
    today: dict = field(default_factory=dict)  # the figures ``_today`` keeps
    costs: list[ProgrammeCost] = field(default_factory=list)
    community: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["team_id", "kind", "month", "count"]))
    system: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["person_id", "measure", "period_start", "period_end", "relative", "count"]))
    measures: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["person_id", "episode_id", "instrument", "timepoint", "measured_on", "score"]))
    person_pairs: pd.DataFrame | None = None  # set by ``prepare``


def scope(frames: Frames, filters: Filters, *, period: bool = True) -> pd.DataFrame:
    """The referrals the filters select (simulated ones only when asked for), from the index
    ``prepare`` built; the frame itself, not a copy, when they select every row."""
    referrals = frames.referrals
    span = frames.index.span(filters, period=period)
    if span is not None:  # a period alone: one slice of the frame, not a copy
        return referrals if span == (0, len(referrals)) else referrals.iloc[span[0]:span[1]]
    rows = frames.index.select(filters, period=period)
    return referrals if len(rows) == len(referrals) else referrals.take(rows)


def centiles(days: pd.Series) -> dict:
    """Median and 90th centile (linear interpolation between closest ranks) and n."""
    values = days.to_numpy(float, na_value=np.nan)
    values = values[~np.isnan(values)]
    if not len(values):
        return {"n": 0, "median": None, "p90": None}
    median, p90 = np.percentile(values, [50, 90])  # one partition for both
    return {"n": int(len(values)), "median": float(median), "p90": float(p90)}


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _counted(values: pd.Series, among: np.ndarray | None = None) -> pd.Series:
    """How many of the (categorical) ``values`` ``among`` selects have each value, blank
    (NaN) included: what ``value_counts(dropna=False)`` gives, counted by code."""
    codes = values.cat.codes.to_numpy()
    codes = codes if among is None else codes[among]
    counts = np.bincount(codes.astype(np.intp) + 1, minlength=len(values.cat.categories) + 1)
    return pd.Series(np.r_[counts[1:], counts[0]],
                     index=[*values.cat.categories.tolist(), np.nan])


def _by_counts(counts: pd.Series, labels: dict | None = None) -> list[dict]:
    """Rows of referrals by code (counted already), largest first."""
    counts = counts[counts > 0]
    codes = ["" if pd.isna(code) else str(code) for code in counts.index]
    rows = [{"code": code or "not recorded",
             "group": (labels[code].display if labels and code in labels else code)
             or "Not recorded", "referrals": int(n)} for code, n in zip(codes, counts,
                                                                        strict=True)]
    return sorted(rows, key=lambda r: (-r["referrals"], r["group"]))


def _referrals_table(key, title, definition, rows, heading) -> Table:
    return Table(key, title, definition, [("group", heading), ("code", "Code"),
                                          ("referrals", "Referrals")], rows,
                 counts={"referrals": []}, labels=("group", "code"))


def _team_counts(team_ids: np.ndarray) -> pd.Series:
    """Referrals by team id (``value_counts``, counted with ``bincount`` for small ids)."""
    if (team_ids.dtype.kind not in "iu" or not len(team_ids) or team_ids.min() < 0
            or team_ids.max() > 1 << 20):
        return pd.Series(team_ids).value_counts()
    counts = np.bincount(team_ids)
    teams = np.flatnonzero(counts)
    return pd.Series(counts[teams], index=teams.astype(team_ids.dtype))


def referrals_in(refs: pd.DataFrame, frames: Frames,
                 chosen: np.ndarray | None = None) -> list[Table]:
    team_names = dict(zip(frames.teams["team_id"], frames.teams["name"], strict=True))
    per_team = _team_counts(refs["team_id"].to_numpy()[(refs["team_kind"] == "pcn").to_numpy()])
    per_pcn = per_team.groupby(per_team.index.map(team_names), dropna=False).sum()
    chosen = _chosen(refs, len(frames.referrals)) if chosen is None else chosen
    reasons = _counted(frames.reasons["reason"], chosen[frames.reasons["pos"].to_numpy()])
    needs = _counted(frames.needs["domain"], chosen[frames.needs["pos"].to_numpy()])
    return [
        _referrals_table("by_source", "Referrals in, by source",
                         "Referrals received in the period, by who referred (the referral's "
                         "source).", _by_counts(_counted(refs["source"]), REFERRAL_SOURCES),
                         "Source"),
        _referrals_table("by_practice", "Referrals in, by practice",
                         "Referrals received in the period, by the referring organisation's "
                         "ODS code (blank when the referrer's organisation has none).",
                         _by_counts(_counted(refs["practice"])), "Practice (ODS code)"),
        _referrals_table("by_pcn", "Referrals in, by primary care network",
                         "Referrals received in the period by the PCN team they were sent "
                         "to (teams of kind PCN only).", _by_counts(per_pcn), "PCN"),
        _referrals_table("by_reason", "Referrals in, by reason",
                         "Reasons the referrer gave; a referral may give several, so the "
                         "rows add up to more than the referrals.",
                         _by_counts(reasons, REFERRAL_REASONS), "Reason"),
        _referrals_table("by_need", "Needs found at the first assessment",
                         f"Referrals whose first needs assessment scored the domain "
                         f"{NEED_AT} (some concern) or more, out of 5; a person may have "
                         "several needs.", _by_counts(needs, NEEDS_DOMAINS), "Need"),
    ]


def funnel_counts(refs: pd.DataFrame) -> list[dict]:
    referred = len(refs)
    accepted = refs["episode_id"].notna()
    stages = [
        ("referred", "Referred", np.ones(referred, dtype=bool)),
        ("contacted", "Contacted", refs["contact_days"].notna().to_numpy()),
        ("accepted", "Accepted", accepted.to_numpy()),
        ("plan_agreed", "Plan agreed (a goal agreed)", refs["first_goal_at"].notna().to_numpy()),
        ("onward_referral", "Referred onward", (refs["onward_referrals"] > 0).to_numpy()),
        ("completed", "Completed (goals met)", (refs["closure_reason"] == COMPLETED).to_numpy()),
        ("declined", "Declined", declined(refs).to_numpy()),
    ]
    return [{"code": code, "group": label, "people": int(mask.sum()),
             "share_of_referred": _share(int(mask.sum()), referred)}
            for code, label, mask in stages]


def declined(refs: pd.DataFrame) -> pd.Series:
    """Declined before an episode opened (referral rejected) or by the person later."""
    return (refs["status"] == Status.REJECTED.value) | (refs["closure_reason"] == DECLINED)


def decline_reasons(refs: pd.DataFrame) -> list[dict]:
    rejected = (refs["status"] == Status.REJECTED.value).to_numpy()
    later = int(((refs["closure_reason"] == DECLINED).to_numpy() & ~rejected).sum())
    counts = _counted(refs["decline_reason"], rejected)  # the reason a referral was declined
    counts = counts.add(pd.Series([later], index=[DECLINED]), fill_value=0).astype("int64")
    return _by_counts(counts, CLOSURE_REASONS)  # and "declined": the person, after acceptance


def first_contact(refs: pd.DataFrame) -> dict:
    """Days from the referral to its first contact (``contact_days``, from ``prepare``)."""
    return centiles(refs["contact_days"])


def first_appointment(refs: pd.DataFrame) -> dict:
    """Days from the referral to the start of its first attended appointment."""
    return centiles(refs["appointment_days"])


def attendance(refs: pd.DataFrame) -> list[dict]:
    """Appointments of the period's referrals whose outcome is recorded: attended, did not
    attend, and the did-not-attend rate (booked and cancelled ones are left out)."""
    attended, missed = int(refs["attended"].sum()), int(refs["did_not_attend"].sum())
    return [{"group": "Appointments with an outcome", "held": attended + missed,
             "attended": attended, "did_not_attend": missed,
             "dna_rate": _share(missed, attended + missed)}]


def caseload(refs: pd.DataFrame, teams: pd.DataFrame) -> list[dict]:
    """Open episodes per team and link worker, against the team's caseload capacity."""
    open_ = refs.loc[(refs["episode_id"].notna() & refs["closed_at"].isna()).to_numpy(),
                     ["team_id", "link_worker_id"]]  # the two columns only
    per_worker = open_.groupby(["team_id", "link_worker_id"]).size()
    by_team = per_worker.groupby(level="team_id").agg(["size", "sum", "mean", "max"])
    rows = []
    for team in teams.itertuples():
        if team.kind == SIMULATED or (team.team_id not in by_team.index
                                      and not team.caseload_capacity):
            continue
        workers, cases, mean, most = (by_team.loc[team.team_id] if team.team_id in
                                      by_team.index else (0, 0, None, None))
        capacity = int(team.caseload_capacity) if pd.notna(team.caseload_capacity) else None
        rows.append({
            "group": team.name, "link_workers": int(workers), "open_episodes": int(cases),
            "mean_per_link_worker": None if mean is None else float(mean),
            "max_per_link_worker": None if most is None else int(most),
            "capacity": capacity,
            "share_of_capacity": _share(int(cases), capacity) if capacity else None})
    return rows


def waiting(refs: pd.DataFrame, now: datetime) -> tuple[dict, list[dict]]:
    """Referrals not yet accepted or declined, and how long they have waited."""
    created = refs["created_at"][refs["status"].isin(WAITING).to_numpy()]  # one column only
    days = (pd.Timestamp(now) - created) / DAY
    bands = []
    for low, high, label in WAIT_BANDS:
        inside = (days >= low) & ((days < high) if high is not None else True)
        bands.append({"group": label, "referrals": int(inside.sum())})
    return centiles(days), bands


def onward(refs: pd.DataFrame, frames: Frames, chosen: np.ndarray | None = None) -> list[dict]:
    chosen = _chosen(refs, len(frames.referrals)) if chosen is None else chosen
    keep = chosen[frames.onward["pos"].to_numpy()]
    return [{"group": service, "provider": provider, "sent": sent, "accepted": accepted,
             "completed": completed, "acceptance_rate": _share(accepted, sent),
             "completion_rate": _share(completed, accepted),
             "median_response_days": None if median != median else median,  # NaN: none
             "p90_response_days": None if p90 != p90 else p90}
            for service, provider, sent, accepted, completed, median, p90 in
            onward_rows(frames.onward, keep)]


def trend(refs: pd.DataFrame) -> list[dict]:
    """Referrals and acceptances by calendar month of referral, months without any included."""
    if refs.empty:
        return []
    month = refs["month"].array.asi8  # months as ordinals: counted with ``bincount``
    first, last = int(month.min()), int(month.max())
    referred = np.bincount(month - first, minlength=last - first + 1)
    accepted = np.bincount(month[refs["episode_id"].notna().to_numpy()] - first,
                           minlength=last - first + 1)
    months = pd.period_range(pd.Period(ordinal=first, freq="M"),
                             pd.Period(ordinal=last, freq="M"), freq="M")
    return [{"group": str(m), "referrals": int(n), "accepted": int(a)}
            for m, n, a in zip(months, referred, accepted, strict=True)]


def person_outcomes_table(frames: Frames, chosen: np.ndarray) -> Table:
    return Table(
        "person_outcomes", "Person outcomes: wellbeing before and after",
        "Episodes of support from the referrals in the filters with both a baseline and a "
        "follow-up measure on the instrument (the earliest baseline and the latest "
        "follow-up, or the measure at closure; a person supported twice counts twice); the "
        "mean score at each, and the mean change (follow-up minus baseline, on the "
        "instrument's scale) with its 95% confidence interval from the paired t-test, as in "
        "the evaluation. Confidence: " + person_outcomes.CONFIDENCE,
        [("group", "Instrument"), ("n_paired", "People with a baseline and a follow-up"),
         ("mean_baseline", "Mean at baseline"), ("mean_follow_up", "Mean at follow-up"),
         ("mean_change", "Mean change"), ("ci95_low", "95% CI from"), ("ci95_high", "95% CI to")],
        person_outcomes.rows(frames.person_pairs, chosen),
        counts={"n_paired": ["mean_baseline", "mean_follow_up", "mean_change", "ci95_low",
                             "ci95_high"]},
        labels=("group", "code"), one_by_one=True)


def outcome_tables(refs: pd.DataFrame, frames: Frames, filters: Filters) -> list[Table]:
    """Community and system outcomes of the common outcomes framework, each saying how
    confident the figure is."""
    teams = frames.teams
    if filters.team is not None or filters.pcn is not None:
        team_ids = {filters.team if filters.team is not None else filters.pcn}
    elif filters.borough and "lad_code" in teams:
        team_ids = set(teams["team_id"][teams["lad_code"] == filters.borough])
    else:
        team_ids = None
    return [
        Table("community_outcomes", "Community outcomes: new groups and volunteers",
              "New community groups started and volunteers recruited, as link workers "
              "recorded them for their team, in the months of the period. Confidence: "
              + outcomes.COMMUNITY_CONFIDENCE,
              [("group", "Outcome"), ("count", "Number"), ("records", "Times recorded")],
              outcomes.community_rows(frames.community, team_ids, filters.date_from,
                                      filters.date_to), labels=("group", "code")),
        Table("system_outcomes", "System outcomes: GP appointments and A&E attendances",
              "People referred in the period whose practice supplied counts both before and "
              "after their first referral (imported CSV): the mean per person per month "
              "before and after, and the change. Confidence: " + outcomes.SYSTEM_CONFIDENCE,
              [("group", "Measure"), ("people", "People"),
               ("per_month_before", "Per person per month before"),
               ("per_month_after", "Per person per month after"),
               ("change_per_month", "Change per month")],
              outcomes.system_rows(frames.system, refs["person_id"].unique()
                                   if len(frames.system) else []),
              counts={"people": ["per_month_before", "per_month_after", "change_per_month"]},
              labels=("group", "code"), one_by_one=True),
    ]


@dataclass
class Dashboard:
    filters: Filters
    audience: Audience
    referred: int
    empty: bool
    too_few: bool
    tables: list[Table]
    first_contact: dict
    first_appointment: dict
    waiting_summary: dict
    funnel: list[dict]
    trend: list[dict]
    inequality: dict | None
    boroughs: list[tuple[str, str]]
    cost: dict = field(default_factory=dict)


def build(frames: Frames, filters: Filters, audience: Audience, now: datetime) -> Dashboard:
    """Every figure for the filters, protected for the audience.

    The linear algebra underneath (the SII/RII fits' 10 x 10,000 least squares) runs on one
    BLAS thread: on a busy two-core server OpenBLAS's own threads made each fit wait tens of
    milliseconds for the other core (ADR 0020)."""
    with threadpool_limits(limits=1, user_api="blas"):
        return _build(frames, filters, audience, now)


def _build(frames: Frames, filters: Filters, audience: Audience, now: datetime) -> Dashboard:
    refs = scope(frames, filters)
    lad = frames.referrals["lad_code"]
    codes = lad.cat.categories if hasattr(lad, "cat") else lad.dropna().unique()
    boroughs = sorted((code, frames.borough_names.get(code, code)) for code in codes)
    base = Dashboard(filters, audience, len(refs), empty=refs.empty,
                     too_few=audience != "evaluator"
                     and 0 < _people(frames, refs) < THRESHOLD,
                     tables=[], first_contact={}, first_appointment={},
                     waiting_summary={}, funnel=[], trend=[],
                     inequality=None, boroughs=boroughs)
    if base.empty or base.too_few:
        return base
    funnel = funnel_counts(refs)
    chosen = _chosen(refs, len(frames.referrals))
    (wait_summary, wait_bands), caseload_rows = _today(frames, filters, refs, now)
    tables = referrals_in(refs, frames, chosen) + [
        Table("funnel", "From referral to completion",
              "Of the referrals received in the period: contacted = at least one contact "
              "recorded; accepted = an episode opened; plan agreed = at least one goal "
              "agreed; referred onward = at least one onward referral sent; completed = the "
              "episode closed with its goals met; declined = the referral was declined, or "
              "the person declined after acceptance.",
              [("group", "Stage"), ("people", "Referrals"),
               ("share_of_referred", "Share of referred")], funnel,
              counts={"people": ["share_of_referred"]}, labels=("group", "code"),
              one_by_one=True),
        Table("decline_reasons", "Reasons for declines",
              "The reason recorded when a referral was declined; 'person declined' also "
              "counts episodes the person ended after acceptance.",
              [("group", "Reason"), ("referrals", "Referrals")], decline_reasons(refs),
              counts={"referrals": []}, labels=("group", "code")),
        Table("attendance", "Appointments attended and missed",
              "Appointments on the episodes of the period's referrals whose outcome the link "
              "worker recorded. Did-not-attend rate = did not attend / (attended + did not "
              "attend); appointments still booked, and cancelled ones, are left out.",
              [("group", "Appointments"), ("held", "With an outcome"),
               ("attended", "Attended"), ("did_not_attend", "Did not attend"),
               ("dna_rate", "Did-not-attend rate")], attendance(refs),
              counts={"held": [], "attended": ["dna_rate"], "did_not_attend": ["dna_rate"]},
              one_by_one=True),
        Table("caseload", "Caseload per link worker against capacity",
              "Open episodes today (accepted and not closed) in each team, per link worker "
              "holding any, against the team's caseload capacity (places it can hold at "
              "once). Not limited to the period.",
              [("group", "Team"), ("link_workers", "Link workers"),
               ("open_episodes", "Open episodes"), ("mean_per_link_worker", "Mean per worker"),
               ("max_per_link_worker", "Most for one worker"), ("capacity", "Capacity"),
               ("share_of_capacity", "Share of capacity")], caseload_rows,
              counts={"open_episodes": ["mean_per_link_worker", "max_per_link_worker",
                                        "share_of_capacity"]},
              labels=("group", "link_workers", "capacity")),
        Table("waiting_list", "Waiting list by time waited",
              "Referrals today neither accepted nor declined (requested or received), by "
              "days since referral. Not limited to the period.",
              [("group", "Waited"), ("referrals", "Referrals")], wait_bands,
              counts={"referrals": []}),
        Table("onward", "Onward referrals by service and provider",
              "Onward referrals sent from the period's referrals. Acceptance rate = "
              "accepted (ever) / sent; completion rate = completed / accepted; response "
              "time = days from sending to the provider's first answer (median, 90th centile).",
              [("group", "Service"), ("provider", "Provider"), ("sent", "Sent"),
               ("accepted", "Accepted"), ("completed", "Completed"),
               ("acceptance_rate", "Acceptance rate"), ("completion_rate", "Completion rate"),
               ("median_response_days", "Median response (days)"),
               ("p90_response_days", "90th centile response (days)")],
              onward(refs, frames, chosen),
              counts={"sent": ["acceptance_rate", "median_response_days",
                               "p90_response_days"],
                      "accepted": ["acceptance_rate", "completion_rate"],
                      "completed": ["completion_rate"]},
              labels=("group", "provider"), whole_rows=True),
        Table("trend", "Referrals by month",
              "Referrals received, and of them those accepted, by calendar month of referral.",
              [("group", "Month"), ("referrals", "Referrals"), ("accepted", "Accepted")],
              trend(refs), counts={"referrals": [], "accepted": []}),
    ]
    tables.append(Table(
        "costs", "Delivery and research cost by programme",
        "The known value of each programme's commissions: delivery (link worker posts, grants "
        "to providers) apart from research, evaluation and review. 'Unknown' counts "
        "commissions whose value is not yet known.",
        [("group", "Programme"), ("delivery", "Delivery cost"),
         ("delivery_unknown", "Delivery, value unknown"), ("research", "Research and review"),
         ("research_unknown", "Research, value unknown")], cost_rows(frames.costs)))
    whole = filters in (Filters(), Filters(include_simulated=True))
    cost = per_person(frames.costs, reached=_people(frames, refs),
                      completing=_people(frames, refs, refs["completed"].to_numpy()),
                      whole_service=whole, audience=audience)
    if frames.person_pairs is not None and len(frames.person_pairs):  # any measure recorded
        tables.append(person_outcomes_table(frames, chosen))
    tables += outcome_tables(refs, frames, filters)
    result = equity(refs, frames.lsoa)
    if result is not None:
        tables += equity_tables(result)
    dashboard = replace(base, tables=tables, first_contact=first_contact(refs),
                        first_appointment=first_appointment(refs), cost=cost,
                        waiting_summary=wait_summary, funnel=funnel,
                        inequality=result["inequality"] if result else None)
    return protect(dashboard)


def _people(frames: Frames, refs: pd.DataFrame, among: np.ndarray | None = None) -> int:
    """People (not referrals) among the referrals: their dense codes marked once each."""
    codes = refs["person"].to_numpy()
    seen = np.zeros(frames.people, dtype=bool)
    seen[codes if among is None else codes[among]] = True
    return int(seen.sum())


def _today(frames: Frames, filters: Filters, refs: pd.DataFrame,
           now: datetime) -> tuple[tuple[dict, list[dict]], list[dict]]:
    """The waiting list and the caseloads, which the period does not limit: computed once
    per choice of the other filters and hour, and kept, so that changing only the period
    (the commonest change) does not recompute them over every referral."""
    whole = replace(filters, date_from=None, date_to=None)
    key = (whole, now)
    kept = frames.today.get(key)
    if kept is None:
        current = refs if whole == filters else scope(frames, whole)
        kept = waiting(current, now), caseload(current, frames.teams)
        if len(frames.today) >= TODAY_KEPT:
            frames.today.clear()  # one step, safe beside another request's thread
        frames.today[key] = kept
    return kept


def _protect_summary(summary: dict, audience: Audience) -> dict:
    """Centiles of fewer than 10 people are not shown."""
    if audience == "evaluator" or summary.get("n", 0) >= THRESHOLD:
        return summary
    return {"n": SUPPRESSED if summary.get("n") else 0, "median": None, "p90": None}


def protect(dashboard: Dashboard) -> Dashboard:
    """Disclosure control for the audience, with the evaluation's rules."""
    audience = dashboard.audience
    tables = []
    for table in dashboard.tables:
        if table.one_by_one:
            rows = [protect_counts([row], table.counts, audience, labels=table.labels)[0]
                    for row in table.rows]
        else:
            rows = protect_counts(table.rows, table.counts, audience,
                                  whole_rows=table.whole_rows, labels=table.labels)
        tables.append(replace(table, rows=rows))
    by_key = {t.key: t for t in tables}
    return replace(dashboard, tables=tables, funnel=by_key["funnel"].rows,
                   trend=by_key["trend"].rows,
                   first_contact=_protect_summary(dashboard.first_contact, audience),
                   first_appointment=_protect_summary(dashboard.first_appointment, audience),
                   waiting_summary=_protect_summary(dashboard.waiting_summary, audience))


TODAY_KEPT = 64  # choices of the non-period filters whose waiting list and caseloads are kept
DROPPED = ("referral_id", "reasons", "team_name", "sex", "birth_date", "ethnicity", "opened_at",
           "first_contact_at", "first_appointment_at")
CATEGORIES = ("source", "status", "team_kind", "practice", "lad_code", "sex", "ethnicity",
              "closure_reason", "decline_reason", "lsoa11cd")


def prepare(frames: Frames) -> Frames:
    """Once per read of the data, the work no filter changes: repeated text as categories, the
    month of each referral, the reasons one per row, each onward referral's and need's
    position in the referral frame (so a filter selects them with one array look-up), each
    person's dense code, the index the filters select with (``selection``), and the referral
    frame without the columns no figure reads once these are derived (a view copies less)."""
    refs = frames.referrals.reset_index(drop=True).copy()
    person, people = pd.factorize(refs["person_id"])
    refs["person"] = person.astype(np.int32)
    for column in CATEGORIES:
        refs[column] = refs[column].astype("category")
    refs["month"] = refs["created_at"].dt.tz_localize(None).dt.to_period("M")
    refs["contact_days"] = (refs["first_contact_at"] - refs["created_at"]) / DAY
    refs["appointment_days"] = (refs["first_appointment_at"] - refs["created_at"]) / DAY
    for column, values in people_columns(refs).items():
        refs[column] = values
    position = pd.Series(np.arange(len(refs)), index=refs["referral_id"].to_numpy())
    reasons = refs["reasons"].explode()
    reasons = pd.DataFrame({"pos": reasons.index.to_numpy(),
                            "reason": reasons.fillna("").to_numpy()}).astype(
        {"reason": "category"})
    onward_frame = prepare_onward(frames.onward.astype(
        {"service": "category", "provider": "category"}).assign(
        pos=position.reindex(frames.onward["referral_id"].to_numpy()).to_numpy(),
        days=(frames.onward["responded_at"] - frames.onward["sent_at"]) / DAY,
        accepted=frames.onward["status"].isin(ACCEPTED_BY_PROVIDER),
        completed=frames.onward["status"] == Status.COMPLETED.value))
    needs_frame = frames.needs[frames.needs["score"] >= NEED_AT]
    needs_frame = needs_frame.astype({"domain": "category"}).assign(pos=position.reindex(
        needs_frame["referral_id"].to_numpy()).to_numpy())
    episodes = pd.Series(np.arange(len(refs)), index=refs["episode_id"].to_numpy())
    episodes = episodes[episodes.index.notna() & ~episodes.index.duplicated()]
    person_pairs = person_outcomes.prepare(frames.measures, episodes)
    order, timeline, real_rows = timeline_order(refs)  # rows keep their labels (positions)
    refs = refs.drop(columns=list(DROPPED)).take(order)
    return replace(frames, referrals=refs, onward=onward_frame, needs=needs_frame,
                   reasons=reasons, index=Index.of(refs, timeline=timeline,
                                                   real_rows=real_rows),
                   people=len(people), today={}, person_pairs=person_pairs)


def _chosen(refs: pd.DataFrame, total: int) -> np.ndarray:
    """Whether each referral, by its position as read (its label), is among ``refs``: the
    onward referrals, reasons and needs of the view are those of the chosen ones."""
    keep = np.zeros(total, dtype=bool)
    keep[refs.index.to_numpy()] = True
    return keep


def headline(dashboard: Dashboard) -> str:
    """The monthly e-mail's figures, as the page shows them to its audience (no number
    behind fewer than 10 people)."""
    if dashboard.empty:
        return "no referrals"
    if dashboard.too_few:
        return "fewer than 10 people, so no figures"
    referred = dashboard.funnel[0]["people"]
    parts = [f"{referred:,} referrals" if isinstance(referred, int) else f"{referred} referrals"]
    attendance = next(t for t in dashboard.tables if t.key == "attendance").rows[0]
    if attendance.get("dna_rate") is not None:
        parts.append(f"did-not-attend rate {attendance['dna_rate']:.0%}")
    if dashboard.first_contact.get("median") is not None:
        parts.append(f"median {dashboard.first_contact['median']:.0f} days to first contact")
    return ", ".join(parts)
