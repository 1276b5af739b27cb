import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from linkwell.evaluation.disclosure import (
    CONFIDENTIAL,
    SUPPRESSED,
    THRESHOLD,
    linked_mask,
    protect_table,
    round_count,
    suppression_mask,
    with_margins,
)

tables = st.tuples(st.integers(1, 6), st.integers(1, 6)).flatmap(
    lambda shape: arrays(np.int64, shape, elements=st.integers(0, 60)))


def _lines(rows, cols):
    """Every set of published entries that adds up: rows with totals, columns with totals,
    and the margins with the grand total (as (row, col) in the table with margins)."""
    lines = [[(r, c) for c in range(cols + 1)] for r in range(rows)]
    lines += [[(r, c) for r in range(rows + 1)] for c in range(cols)]
    lines.append([(rows, c) for c in range(cols + 1)])
    lines.append([(r, cols) for r in range(rows + 1)])
    return lines


@settings(max_examples=300, deadline=None)
@given(tables)
def test_suppression_no_small_cell_published_and_none_recoverable(cells):
    rows, cols = cells.shape
    full = with_margins(cells)
    mask = suppression_mask(cells)

    assert not np.any((full < THRESHOLD) & ~mask)  # no published cell below 10
    for line in _lines(rows, cols):
        hidden = sum(mask[e] for e in line)
        assert hidden != 1  # one unknown in a line is recoverable by subtraction


@settings(max_examples=200, deadline=None)
@given(tables)
def test_protect_table_public_rounds_and_marks(cells):
    frame = pd.DataFrame(cells)
    shown = protect_table(frame, "public")

    for value in shown.to_numpy().ravel():
        if value in (SUPPRESSED, CONFIDENTIAL):
            continue
        assert value >= THRESHOLD and value % 5 == 0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=2, max_size=10))
def test_linked_mask_deciles_within_quintiles_never_single_hidden(counts):
    """Deciles and quintiles published together: no decile, quintile or total is the only
    unknown of its sum, so quintile - decile recovers nothing."""
    deciles = counts + [0] * (len(counts) % 2)
    quintiles = [deciles[i] + deciles[i + 1] for i in range(0, len(deciles), 2)]
    values = [sum(deciles), *deciles, *quintiles]
    d = list(range(1, len(deciles) + 1))
    q = list(range(len(deciles) + 1, len(values)))
    lines = [[0, *d], [0, *q]] + [[q[i], d[2 * i], d[2 * i + 1]] for i in range(len(q))]
    mask = linked_mask(values, lines)

    assert not any(v < THRESHOLD and not m for v, m in zip(values, mask, strict=True))
    for line in lines:
        assert sum(mask[i] for i in line) != 1


def test_protect_table_evaluator_sees_everything():
    frame = pd.DataFrame([[3, 40], [25, 12]], index=["a", "b"], columns=["x", "y"])
    shown = protect_table(frame, "evaluator")

    assert shown.loc["a", "x"] == 3 and shown.loc["Total", "Total"] == 80


def test_protect_table_secondary_suppression_example():
    frame = pd.DataFrame([[3, 40], [25, 12]], index=["a", "b"], columns=["x", "y"])
    shown = protect_table(frame, "commissioner")

    assert shown.loc["a", "x"] == SUPPRESSED
    # Row a and column x each need a second hidden entry: the next smallest ones.
    assert shown.loc["b", "x"] == CONFIDENTIAL and shown.loc["a", "y"] == CONFIDENTIAL
    assert shown.loc["b", "y"] == CONFIDENTIAL  # then row b and column y need one more
    assert shown.loc["Total", "Total"] == 80


def test_round_count_nearest_five():
    assert [round_count(v) for v in (10, 12, 13, 17, 18, 102)] == [10, 10, 15, 15, 20, 100]


def _linked_mask_before(values, lines, keep=None):
    """``linked_mask`` as it was written before each line was scanned with NumPy."""
    values = np.asarray(values, dtype=np.int64)
    keep = np.zeros(len(values), dtype=bool) if keep is None else np.asarray(keep, dtype=bool)
    mask = values < 10
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [i for i in line if mask[i]]
            if len(hidden) != 1:
                continue
            visible = [i for i in line if not mask[i]]
            if visible:
                mask[min(visible, key=lambda i: (keep[i], values[i], i))] = True
                changed = True
    return mask


@pytest.mark.parametrize("seed", range(40))
def test_linked_mask_hides_exactly_what_it_hid_before(seed):
    """Overlapping lines, ties between values, kept entries and empty lines: the same
    entries are hidden as by the pure-Python scan it replaced."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 60))
    values = rng.choice([0, 3, 9, 10, 11, 12, 25, 40, 100], n)
    lines = [sorted(rng.choice(n, int(rng.integers(0, n + 1)), replace=False).tolist())
             for _ in range(int(rng.integers(1, 8)))]
    keep = rng.random(n) < 0.3 if seed % 2 else None
    assert linked_mask(values, lines, keep).tolist() == _linked_mask_before(
        values, lines, keep).tolist()
