"""The plain-English reply to the three questions asked of a programme, generated from its data.

(a) how much funding was allocated to each commitment, (b) what work was commissioned, and
(c) when the results will be reported. Every figure and every list is computed from a
``ProgrammeState``; the wording changes with the "as of" date (a report due in spring 2019 is
"due" in January 2019 and "was due" afterwards).
"""

from dataclasses import dataclass
from datetime import date

from linkwell.commissioning.domain import Commission, Commitment, Output, ProgrammeState
from linkwell.commissioning.money import Money
from linkwell.commissioning.periods import Period, format_date
from linkwell.commissioning.totals import (
    Total,
    Unit,
    allocation_units,
    attributable,
    commission_units,
    shared,
    total,
)

NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
QUESTIONS = (
    "How much funding was allocated to each commitment",
    "What work was commissioned",
    "When the results will be reported",
)


def count(n: int, singular: str, plural: str | None = None) -> str:
    word = NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)
    return f"{word} {singular if n == 1 else (plural or singular + 's')}"


def join(items: list[str] | tuple[str, ...]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


@dataclass(frozen=True)
class ReportLine:
    """When one result is or was reported. ``state``: published, reported, due, overdue, not_set."""

    title: str
    state: str
    when: Period | None
    text: str
    commission_id: int | None = None
    outputs: tuple[Output, ...] = ()


@dataclass(frozen=True)
class CommitmentAnswer:
    commitment: Commitment
    allocated: Total
    allocation_count: int
    shared_allocations: tuple[Unit, ...]
    commissioned: Total
    commissions: tuple[Commission, ...]
    shared_values: tuple[Unit, ...]


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...] = ()
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    state: ProgrammeState
    commitments: tuple[CommitmentAnswer, ...]
    commissioned: Total
    allocated: Total
    unknown_value: tuple[Commission, ...]
    unlinked: tuple[Commission, ...]
    reports: tuple[ReportLine, ...]
    sections: tuple[Section, ...]

    @property
    def as_of(self) -> date:
        return self.state.as_of

    def report_for(self, commission_id: int) -> ReportLine:
        return next(r for r in self.reports if r.commission_id == commission_id)

    def to_text(self) -> str:
        lines = [self.state.title, f"The position as of {format_date(self.as_of)}", ""]
        for section in self.sections:
            lines += [section.heading, ""]
            lines += [p + "\n" for p in section.paragraphs]
            lines += [f"- {item}" for item in section.items]
            if section.items:
                lines.append("")
        return "\n".join(lines).rstrip() + "\n"

    def to_json(self) -> dict:
        state = self.state
        return {
            "programme": {
                "slug": state.slug,
                "title": state.title,
                "strategy": state.strategy,
                "period": _period_json(state.period),
                "owner": state.owner,
            },
            "as_of": self.as_of.isoformat(),
            "known_total_pence": self.commissioned.known_pence,
            "unknown_value_count": self.commissioned.unknown_count,
            "allocated": {
                "known_total_pence": self.allocated.known_pence,
                "unknown_value_count": self.allocated.unknown_count,
                "allocations": [
                    {
                        "description": a.description,
                        "amount_pence": a.amount.pence if isinstance(a.amount, Money) else None,
                        "status": a.status.value,
                        "period": _period_json(a.period),
                        "commitments": sorted(state.commitment(i).number
                                              for i in a.commitment_ids),
                    }
                    for a in state.allocations
                ],
            },
            "commitments": [
                {
                    "number": c.commitment.number,
                    "text": c.commitment.text,
                    "period": _period_json(c.commitment.period),
                    "owner": c.commitment.owner,
                    "known_total_pence": c.commissioned.known_pence,
                    "unknown_value_count": c.commissioned.unknown_count,
                    "allocated_known_total_pence": c.allocated.known_pence,
                    "allocated_unknown_value_count": c.allocated.unknown_count,
                    "shared_values": [_unit_json(u) for u in c.shared_values],
                    "commissions": [self._commission_json(m) for m in c.commissions],
                }
                for c in self.commitments
            ],
            "unlinked_commissions": [self._commission_json(m) for m in self.unlinked],
            "unknown_value_commissions": [m.title for m in self.unknown_value],
            "combined_values": [
                {"label": cv.label, "total_pence": cv.amount.pence,
                 "commissions": [m.title for m in state.members(cv.id)]}
                for cv in state.combined_values if state.members(cv.id)
            ],
            "outputs": [_output_json(o) for o in state.outputs],
            "answer": [
                {"heading": s.heading, "paragraphs": list(s.paragraphs), "items": list(s.items)}
                for s in self.sections
            ],
        }

    def _commission_json(self, c: Commission) -> dict:
        report = self.report_for(c.id)
        combined = (self.state.combined_value(c.combined_value_id)
                    if c.combined_value_id is not None else None)
        return {
            "id": c.id,
            "title": c.title,
            "type": c.kind.value,
            "supplier": c.supplier,
            "status": c.status.value,
            "value_pence": c.value.pence if isinstance(c.value, Money) else None,
            "value_known": c.value.is_known or combined is not None,
            "combined_value": (
                {"label": combined.label, "total_pence": combined.amount.pence}
                if combined else None
            ),
            "commitments": sorted(self.state.commitment(i).number for i in c.commitment_ids),
            "started": _period_json(c.started),
            "report_date": _period_json(c.report_due),
            "report": {"state": report.state, "text": report.text},
            "outputs": [_output_json(o) for o in report.outputs],
        }


def _period_json(period: Period | None) -> dict | None:
    if period is None:
        return None
    return {"label": period.label, "start": period.start.isoformat(),
            "end": period.end.isoformat()}


def _unit_json(unit: Unit) -> dict:
    return {
        "total_pence": unit.amount.pence if isinstance(unit.amount, Money) else None,
        "commissions": list(unit.titles),
    }


def _output_json(output: Output) -> dict:
    return {"id": output.id, "title": output.title, "published": _period_json(output.published),
            "url": output.url, "has_file": output.file_id is not None, "note": output.note}


# -- building the answer ----------------------------------------------------------------------

def report_line(state: ProgrammeState, commission: Commission) -> ReportLine:
    outputs = state.outputs_of(commission.id)
    due = commission.report_due
    if commission.status.has_reported:
        dated = [o for o in outputs if o.published]
        when = max((o.published for o in dated), default=None)
        text = commission.status.label
        if when:
            text += f" {_in(when)}"
        if not outputs and commission.status.value == "published":
            text += " (no link to the publication has been recorded yet)"
        return ReportLine(commission.title, commission.status.value, when, text[0].upper()
                          + text[1:] + ".", commission.id, outputs)
    if due is None:
        return ReportLine(commission.title, "not_set", None,
                          "No report date has been set yet.", commission.id, outputs)
    if due.ended_before(state.as_of):
        return ReportLine(commission.title, "overdue", due,
                          f"Was due {_in(due)}; no report had been recorded by "
                          f"{format_date(state.as_of)}.", commission.id, outputs)
    return ReportLine(commission.title, "due", due, f"Due {_in(due)}.", commission.id, outputs)


def _in(period: Period) -> str:
    return f"on {period.label}" if period.is_exact else f"in {period.describe()}"


def _output_line(output: Output) -> ReportLine:
    text = f"Published {_in(output.published)}." if output.published else "Published."
    if output.note:
        text += f" {output.note.rstrip('.')}."
    return ReportLine(output.title, "published", output.published, text, None, (output,))


def _value_phrase(state: ProgrammeState, c: Commission) -> str:
    if c.combined_value_id is not None:
        combined = state.combined_value(c.combined_value_id)
        others = [m.title for m in state.members(combined.id) if m.id != c.id]
        phrase = f"part of a combined {combined.amount}"
        if others:
            phrase += f" with {join(others)}"
        if isinstance(c.value, Money):
            phrase += f" (its own share stated as {c.value})"
        return phrase
    return str(c.value) if isinstance(c.value, Money) else "value not yet known"


def _commitment_phrase(state: ProgrammeState, c: Commission) -> str:
    numbers = sorted(state.commitment(i).number for i in c.commitment_ids)
    if not numbers:
        return "not linked to a commitment"
    if len(numbers) == 1:
        return f"for commitment {numbers[0]}"
    return "for commitments " + join([str(n) for n in numbers])


def _commitment_answer(state, commitment, c_units, a_units) -> CommitmentAnswer:
    own = attributable(c_units, commitment.id)
    allocations = attributable(a_units, commitment.id)
    return CommitmentAnswer(
        commitment=commitment,
        allocated=total(allocations),
        allocation_count=len(allocations),
        shared_allocations=tuple(shared(a_units, commitment.id)),
        commissioned=total(own),
        commissions=tuple(c for c in state.commissions if commitment.id in c.commitment_ids),
        shared_values=tuple(shared(c_units, commitment.id)),
    )


def _funding_paragraphs(state, ca: CommitmentAnswer) -> list[str]:
    c = ca.commitment
    text = [f"Commitment {c.number}: \u201c{c.text}\u201d"]
    if ca.allocation_count:
        text.append(f"Funding allocated to this commitment: {ca.allocated.describe()} "
                    f"({count(ca.allocation_count, 'allocation')}).")
    else:
        text.append("No allocation of funding to this commitment on its own has been recorded.")
    for unit in ca.shared_allocations:
        text.append(f"A further {unit.amount} ({join(unit.titles)}) is allocated jointly with "
                    "other commitments, so it cannot be divided between them.")
    own_known = [m for m in ca.commissions
                 if m.combined_value_id is None and len(m.commitment_ids) == 1
                 and m.value.is_known]
    own_unknown = [m for m in ca.commissions
                   if m.combined_value_id is None and len(m.commitment_ids) == 1
                   and not m.value.is_known]
    if not ca.commissions:
        text.append("No commissioned work is linked to this commitment yet.")
    elif own_known:
        text.append(f"Work commissioned for it has a known value of {ca.commissioned.known} "
                    f"({count(len(own_known), 'commission')}).")
    else:
        text.append("No commissioned work with a known value is linked to this commitment "
                    "alone.")
    if own_unknown:
        text.append(f"The value of {count(len(own_unknown), 'commission')} for it is not yet "
                    f"known: {join([m.title for m in own_unknown])}.")
    mine = {m.title for m in ca.commissions}
    for unit in ca.shared_values:
        inside = [t for t in unit.titles if t in mine]
        outside = [t for t in unit.titles if t not in mine]
        value = f"a combined value of {unit.amount}" if unit.combined else (
            f"a value of {unit.amount}" if unit.amount.is_known else "a value not yet known")
        if outside:
            shared_with = f"that also covers {join(outside)}"
        else:
            shared_with = "that also serves another commitment"
        text.append(f"{join(inside)} {'is' if len(inside) == 1 else 'are'} covered by {value} "
                    f"{shared_with}, so it is not counted against this commitment alone.")
    return text


def build_answer(state: ProgrammeState) -> Answer:
    c_units = commission_units(state)
    a_units = allocation_units(state)
    commitments = tuple(_commitment_answer(state, c, c_units, a_units)
                        for c in sorted(state.commitments, key=lambda c: c.number))
    commissioned = total(c_units)
    allocated = total(a_units)
    unknown_value = tuple(c for c in state.commissions
                          if c.combined_value_id is None and not c.value.is_known)
    unlinked = tuple(c for c in state.commissions if not c.commitment_ids)
    reports = tuple(report_line(state, c) for c in state.commissions)
    loose_outputs = tuple(_output_line(o) for o in state.outputs if o.commission_id is None)

    # (a) funding
    funding: list[str] = []
    for ca in commitments:
        funding += _funding_paragraphs(state, ca)
    combined = [cv for cv in state.combined_values if state.members(cv.id)]
    summary = (f"Across the programme, work commissioned has a known value of "
               f"{commissioned.known}.")
    if combined:
        summary += " Each combined value is counted once: " + join([
            f"{cv.amount} for {join([m.title for m in state.members(cv.id)])}"
            for cv in combined]) + "."
    if unknown_value:
        summary += (f" The value of {count(len(unknown_value), 'commission')} is not yet known: "
                    f"{join([c.title for c in unknown_value])}.")
    funding.append(summary)
    if not state.allocations:
        funding.append("No funding allocations have been recorded for this programme, so the "
                       "figures above are the values of the work commissioned.")
    else:
        funding.append(f"Allocations recorded for the programme total {allocated.describe()}.")

    # (b) work commissioned
    work_items = tuple(
        f"{c.title} ({c.kind.value}{', ' + c.supplier if c.supplier else ''}): "
        f"{c.status.label}; {_value_phrase(state, c)}; {_commitment_phrase(state, c)}."
        for c in state.commissions
    )
    work = ("No work had been commissioned." if not state.commissions else
            f"{count(len(state.commissions), 'commission').capitalize()} had been recorded:")
    sections = [Section(QUESTIONS[0], tuple(funding)), Section(QUESTIONS[1], (work,), work_items)]
    if unlinked:
        sections.append(Section("Work not yet linked to a commitment", (
            f"{count(len(unlinked), 'commission').capitalize()} "
            f"{'is' if len(unlinked) == 1 else 'are'} not linked to a commitment: "
            f"{join([c.title for c in unlinked])}.",)))

    # (c) reporting
    sections.append(Section(QUESTIONS[2], (),
                            tuple(f"{r.title}: {r.text}" for r in reports + loose_outputs)))
    return Answer(state, commitments, commissioned, allocated, unknown_value, unlinked,
                  reports + loose_outputs, tuple(sections))


@dataclass(frozen=True)
class TimelineEntry:
    when: Period
    text: str
    state: str


def timeline(answer: Answer) -> list[TimelineEntry]:
    """Dated facts in order: work starting, reports due or made, outputs published.

    Items known only to a season sort by the season's first day; "spring 2019" stays "spring
    2019" in the text.
    """
    state = answer.state
    entries = [TimelineEntry(c.started, f"{c.title} starts", "start")
               for c in state.commissions if c.started]
    for report in answer.reports:
        if report.when is None:
            continue
        if report.state in ("published", "reported"):
            entries.append(TimelineEntry(report.when, f"{report.title}: {report.state}",
                                         report.state))
        else:
            verb = "was due" if report.state == "overdue" else "due"
            entries.append(TimelineEntry(report.when, f"{report.title}: report {verb}",
                                         report.state))
    return sorted(entries, key=lambda e: (e.when, e.text))
