"""One figure of the dashboard: its records, columns, what counts people and its definition."""

from dataclasses import dataclass, field


@dataclass
class Table:
    """One figure: records, the columns shown (key, heading), which columns count people
    (and what is hidden with each) and its definition."""

    key: str
    title: str
    definition: str
    columns: list[tuple[str, str]]
    rows: list[dict]
    counts: dict[str, list[str]] = field(default_factory=dict)
    labels: tuple[str, ...] = ("group",)
    whole_rows: bool = False
    one_by_one: bool = False  # rows do not add up to a total: each is protected alone
