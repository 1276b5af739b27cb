"""Statistical disclosure control for everything a commissioner sees or the public reads.

Rules: a count of fewer than 10 people is suppressed (shown "<10"); secondary suppression then
makes sure no line (a row with its total, a column with its total, or any set of published
counts that add up, across tables: ``linked_mask``) has exactly one suppressed entry, so
nothing can be recovered by subtraction; public counts are rounded to the nearest 5.
Evaluators see unsuppressed aggregates. No audience sees individual rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np

if TYPE_CHECKING:  # pandas takes a second to import; pages that only read stored results
    import pandas as pd  # never need it

Audience = Literal["public", "commissioner", "evaluator"]
AUDIENCES = ("public", "commissioner", "evaluator")
THRESHOLD = 10
ROUND_TO = 5
SUPPRESSED = "<10"  # primary: fewer than 10 people
CONFIDENTIAL = "c"  # secondary: hidden so that a "<10" cannot be recovered by subtraction


def round_count(value: int) -> int:
    """Nearest multiple of 5, halves upwards (so 10 and above never round below 10)."""
    return int(np.floor(value / ROUND_TO + 0.5) * ROUND_TO)


def with_margins(cells: np.ndarray) -> np.ndarray:
    """The table with its row totals as a last column and column totals as a last row."""
    cells = np.asarray(cells, dtype=np.int64)
    rows, cols = cells.shape
    full = np.zeros((rows + 1, cols + 1), dtype=np.int64)
    full[:rows, :cols] = cells
    full[:rows, cols] = cells.sum(axis=1)
    full[rows, :cols] = cells.sum(axis=0)
    full[rows, cols] = cells.sum()
    return full


def suppression_mask(cells: np.ndarray, *, row_totals: bool = True,
                     column_totals: bool = True) -> np.ndarray:
    """Which entries of the table with its margins to suppress.

    Returns a boolean mask of shape (rows + 1, columns + 1): the last row holds the column
    totals, the last column the row totals, the corner the grand total. Margins that are not
    published are never suppressed and do not constrain anything.
    """
    cells = np.asarray(cells, dtype=np.int64)
    rows, cols = cells.shape
    full = with_margins(cells)
    published = np.zeros_like(full, dtype=bool)
    published[:rows, :cols] = True
    if row_totals:
        published[:rows, cols] = True
    if column_totals:
        published[rows, :cols] = True
    if row_totals or column_totals:
        published[rows, cols] = True
    # Lines whose entries add up: each row with its total, each column with its total,
    # and the margins with the grand total.
    lines = []
    if row_totals:
        lines += [[(r, c) for c in range(cols + 1)] for r in range(rows)]
        if column_totals:
            lines.append([(r, cols) for r in range(rows + 1)])
    if column_totals:
        lines += [[(r, c) for r in range(rows + 1)] for c in range(cols)]
        if row_totals:
            lines.append([(rows, c) for c in range(cols + 1)])
    mask = published & (full < THRESHOLD)
    changed = True
    while changed:
        changed = False
        for line in lines:
            entries = [e for e in line if published[e]]
            hidden = [e for e in entries if mask[e]]
            if len(hidden) == 1:
                candidates = [e for e in entries if not mask[e]]
                if not candidates:
                    continue
                smallest = min(candidates, key=lambda e: (full[e], e))
                mask[smallest] = True
                changed = True
    return mask


def protect_table(cells: pd.DataFrame, audience: Audience, *, row_totals: bool = True,
                  column_totals: bool = True) -> pd.DataFrame:
    """The table as the audience may see it, with its published margins ("Total")."""
    import pandas as pd

    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}")
    values = cells.to_numpy(dtype=np.int64)
    rows, cols = values.shape
    full = with_margins(values)
    out = pd.DataFrame(full.astype(object), index=[*cells.index, "Total"],
                       columns=[*cells.columns, "Total"])
    if audience != "evaluator":
        mask = suppression_mask(values, row_totals=row_totals, column_totals=column_totals)
        for r in range(rows + 1):
            for c in range(cols + 1):
                if mask[r, c]:
                    out.iat[r, c] = SUPPRESSED if full[r, c] < THRESHOLD else CONFIDENTIAL
                elif audience == "public":
                    out.iat[r, c] = round_count(int(full[r, c]))
    if not row_totals:
        out = out.drop(columns="Total")
    if not column_totals:
        out = out.drop(index="Total")
    return out


def linked_mask(values, lines: list[list[int]], keep=None) -> np.ndarray:
    """Suppression over a system of linked counts: ``values`` are every count in the release
    that is tied to others, ``lines`` the index sets whose entries add up (one entry being the
    total of the others), possibly overlapping across tables (deciles within quintiles, groups
    within a total, paired and lost within baseline). Primary suppression hides every count
    under 10; then, until no line has exactly one hidden entry, the smallest visible entry of
    such a line is hidden too. A hidden entry is thus never the only unknown of any sum.
    Entries marked in ``keep`` (counts whose statistics are published beside them) are hidden
    for another only when a line has nothing else left."""
    values = np.asarray(values, dtype=np.int64)
    keep = np.zeros(len(values), dtype=bool) if keep is None else np.asarray(keep, dtype=bool)
    mask = values < THRESHOLD
    lines = [np.asarray(line, dtype=np.intp) for line in lines]  # each line scanned at once
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = mask[line]
            if np.count_nonzero(hidden) != 1:
                continue
            visible = line[~hidden]
            if len(visible):  # the smallest by (kept, value, position)
                mask[visible[np.lexsort((visible, values[visible], keep[visible]))[0]]] = True
                changed = True
    return mask


def marker(value: int) -> str:
    """How a hidden count is shown: "<10" when it is small itself, "c" when hidden with it."""
    return SUPPRESSED if value < THRESHOLD else CONFIDENTIAL


def protect_counts(rows: list[dict], counts: dict[str, list[str]], audience: Audience,
                   *, whole_rows: bool = False, labels: tuple[str, ...] = ()) -> list[dict]:
    """Protect a one-way breakdown given as records, whose groups add up to a total that may
    be published beside them (one line of ``linked_mask``).

    ``counts`` maps each count key to the keys derived from it (rates, CIs, shares), which are
    hidden with it. With ``whole_rows`` a group hidden for one count hides every statistic in
    the record (for groups whose means would describe fewer than 10 people).
    """
    if audience == "evaluator" or not rows:
        return rows
    rows = [dict(r) for r in rows]
    masks = {}
    for key in counts:
        if key not in rows[0]:
            continue
        values = [int(r.get(key) or 0) for r in rows]
        masks[key] = linked_mask([*values, sum(values)], [list(range(len(values) + 1))])[:-1]
    if whole_rows and masks:
        union = np.logical_or.reduce(list(masks.values()))
        masks = dict.fromkeys(masks, union)
    whole: dict[tuple, list[str]] = {}  # with ``whole_rows``: a record's statistics, by its keys
    for key, mask in masks.items():
        for row, hidden in zip(rows, mask.tolist(), strict=True):
            if hidden:
                row[key] = marker(int(row[key] or 0))
                if whole_rows:
                    shape = tuple(row)
                    derived = whole.get(shape)
                    if derived is None:
                        derived = whole[shape] = [k for k in shape if k not in counts
                                                  and k not in labels]
                else:
                    derived = counts[key]
                for name in derived:
                    if name in row:
                        row[name] = None
            elif audience == "public":
                row[key] = round_count(int(row[key] or 0))
    return rows
