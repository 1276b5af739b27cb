"""Onward referrals by service and provider, from a frame sorted once per read of the data.

``prepare`` gives each onward referral its group (service × provider, by category code) and
sorts the frame by group and then by days to the provider's answer (unanswered last). A view
then selects its rows with a mask, which keeps that order, so each group's answered rows are
one sorted run: the counts are one ``bincount`` and the median and 90th centile are read at
their positions, with the interpolation pandas' grouped ``median`` and ``quantile`` use (the figures
the page showed when it grouped with pandas; ``tests/unit/insights`` compares them).
"""

import numpy as np
import pandas as pd

P90 = 0.9


def prepare(onward: pd.DataFrame) -> pd.DataFrame:
    """``onward`` (``service`` and ``provider`` as categories, ``days``, ``accepted``,
    ``completed``) sorted by group (service × provider) and days, with each row's ``code``:
    its group's bin (0 when the service or provider is blank), times 8, plus 4 when answered,
    2 when accepted and 1 when completed, so that one ``bincount`` counts them all."""
    services = onward["service"].cat.codes.to_numpy().astype(np.int64)
    providers = onward["provider"].cat.codes.to_numpy().astype(np.int64)
    width = max(len(onward["provider"].cat.categories), 1)
    group = np.where((services >= 0) & (providers >= 0), services * width + providers, -1)
    days = onward["days"].to_numpy(float)
    code = ((group + 1) * 8 + ~np.isnan(days) * 4 + onward["accepted"].to_numpy() * 2
            + onward["completed"].to_numpy())
    code = code.astype(np.int32) if code.max(initial=0) < np.iinfo(np.int32).max else code
    order = np.lexsort((days, group))  # NaN sorts last
    return onward.iloc[order].assign(code=code[order]).reset_index(drop=True)


def _runs(days: np.ndarray, starts: np.ndarray, known: np.ndarray) -> tuple[np.ndarray,
                                                                          np.ndarray]:
    """Median and 90th centile of each sorted run of ``known`` values from ``starts`` (NaN for
    a run of none): the median as the mean of the two middle values for an even run, the
    centile by linear interpolation at q × (n − 1), as pandas' grouped statistics do."""
    median = np.full(len(starts), np.nan)
    p90 = np.full(len(starts), np.nan)
    some = known > 0
    s, n = starts[some], known[some]
    middle = s + n // 2
    even = n % 2 == 0
    median[some] = np.where(even, (days[middle] + days[np.where(even, middle - 1, middle)])
                            / 2, days[middle])
    at = P90 * (n - 1).astype(float)
    low = at.astype(np.int64)
    frac = np.fmod(at, 1.0)
    value = days[s + low]
    following = days[s + np.where(frac == 0.0, low, low + 1)]
    p90[some] = np.where(frac == 0.0, value, value + (following - value) * frac)
    return median, p90


def rows(onward: pd.DataFrame, keep: np.ndarray) -> list[tuple]:
    """(service, provider, sent, accepted, completed, median days, 90th centile days) for each
    group with an onward referral among the rows ``keep`` selects, in category order."""
    services = onward["service"].cat.categories
    providers = onward["provider"].cat.categories
    width = max(len(providers), 1)
    bins = len(services) * width + 1
    counts = np.bincount(onward["code"].to_numpy()[keep], minlength=bins * 8).reshape(bins, 8)
    sent = counts.sum(axis=1)
    observed = np.flatnonzero(sent[1:]) + 1  # bin 0: a blank service or provider
    mine = counts[observed]
    accepted = mine[:, [2, 3, 6, 7]].sum(axis=1)
    completed = mine[:, [1, 3, 5, 7]].sum(axis=1)
    known = mine[:, 4:].sum(axis=1)
    starts = (np.cumsum(sent) - sent)[observed]
    median, p90 = _runs(onward["days"].to_numpy(float)[keep], starts, known)
    return list(zip(services[(observed - 1) // width].tolist(),
                    providers[(observed - 1) % width].tolist(), sent[observed].tolist(),
                    accepted.tolist(), completed.tolist(), median.tolist(), p90.tolist(),
                    strict=True))
