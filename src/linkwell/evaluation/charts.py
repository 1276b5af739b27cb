"""Charts for the evaluation report as inline SVG (matplotlib's SVG backend, text kept as text
so screen readers and search find it). Suppressed values are simply not drawn."""

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from linkwell.evaluation.instruments import INSTRUMENTS  # noqa: E402

BLUE, GREY, DARK = "#005eb8", "#aeb7bd", "#212b32"
plt.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "linkwell", "font.size": 9,
                     "font.family": "sans-serif", "axes.spines.top": False,
                     "axes.spines.right": False})


def _svg(fig) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def _number(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) and value is not None else None


def reach_by_decile(rows: list[dict]) -> str:
    """Share of people referred against share of population, by IMD decile."""
    deciles = [r["imd_decile"] for r in rows]
    people = [_number(r.get("people")) for r in rows]
    total = sum(p for p in people if p) or 1
    fig, ax = plt.subplots(figsize=(6.4, 2.8))
    width = 0.4
    ax.bar([d - width / 2 for d in deciles], [100 * r["population_share"] for r in rows],
           width, color=GREY, label="Share of population")
    ax.bar([d + width / 2 for d in deciles], [100 * (p or 0) / total for p in people], width,
           color=BLUE, label="Share of people referred")
    ax.set_xticks(deciles)
    ax.set_xlabel("IMD 2019 decile (1 = most deprived 10% in England)")
    ax.set_ylabel("Per cent")
    ax.legend(frameon=False)
    return _svg(fig)


def change_by_quintile(outcomes: dict) -> str | None:
    """Mean change with its 95% CI by IMD quintile, one panel per instrument."""
    panels = [(code, entry["by"].get("imd_quintile", [])) for code, entry in outcomes.items()]
    panels = [(code, rows) for code, rows in panels if any(r.get("ci95") for r in rows)]
    if not panels:
        return None
    columns = min(len(panels), 4)
    nrows = (len(panels) + columns - 1) // columns
    fig, axes = plt.subplots(nrows, columns, figsize=(1.9 * columns + 0.6, 2.2 * nrows),
                             squeeze=False)
    for ax in axes.flat[len(panels):]:
        ax.set_visible(False)
    for ax, (code, rows) in zip(axes.flat, panels, strict=False):
        for row in rows:
            if row.get("ci95"):
                q, mean = row["imd_quintile"], row["mean_change"]
                low, high = row["ci95"]
                ax.errorbar(q, mean, yerr=[[mean - low], [high - mean]], fmt="o", color=BLUE,
                            capsize=3)
        ax.axhline(0, color=DARK, linewidth=0.6)
        ax.set_xticks([1, 2, 3, 4, 5])
        ax.set_xlim(0.5, 5.5)
        ax.set_title(code + (" (lower is better)" if INSTRUMENTS[code].lower_is_better else ""),
                     fontsize=8)
        ax.set_xlabel("IMD quintile (1 = most deprived)", fontsize=7)
    axes[0][0].set_ylabel("Mean change (points)")
    fig.tight_layout()
    return _svg(fig)


def attrition_by_quintile(outcomes: dict) -> str | None:
    """Share of baseline measures with no follow-up, by IMD quintile and instrument."""
    series = {code: [(r["imd_quintile"], r["attrition_rate"]) for r in entry["by"].get(
        "imd_quintile", []) if isinstance(r.get("attrition_rate"), float)]
        for code, entry in outcomes.items()}
    series = {k: v for k, v in series.items() if v}
    if not series:
        return None
    fig, ax = plt.subplots(figsize=(6.4, 2.6))
    for code, points in series.items():
        ax.plot([p[0] for p in points], [100 * p[1] for p in points], marker="o", label=code)
    ax.set_xticks([1, 2, 3, 4, 5])
    ax.set_xlabel("IMD quintile (1 = most deprived)")
    ax.set_ylabel("No follow-up (%)")
    ax.set_ylim(0, 100)
    ax.legend(frameon=False, fontsize=7, ncol=2)
    return _svg(fig)


def sensitivity(attrition: dict) -> str | None:
    """The mean change under three assumptions about missing follow-ups, per instrument."""
    names = [("complete_case", "Complete cases"),
             ("missing_as_no_change", "Missing = no change"),
             ("multiple_imputation", "Multiple imputation")]
    codes = [c for c, e in attrition.items()
             if any(e["sensitivity"].get(n, {}).get("ci95") for n, _ in names)]
    if not codes:
        return None
    fig, ax = plt.subplots(figsize=(6.4, 0.45 * len(codes) * 3 + 0.8))
    y, labels = 0, []
    colours = [BLUE, GREY, DARK]
    for code in codes:
        for (name, label), colour in zip(names, colours, strict=True):
            block = attrition[code]["sensitivity"].get(name, {})
            if block.get("ci95"):
                mean, (low, high) = block["mean_change"], block["ci95"]
                ax.errorbar(mean, y, xerr=[[mean - low], [high - mean]], fmt="o",
                            color=colour, capsize=2)
            labels.append(f"{code}: {label}")
            y -= 1
        y -= 0.5
    ticks = []
    y = 0
    for _ in codes:
        ticks += [y, y - 1, y - 2]
        y -= 3.5
    ax.set_yticks(ticks)
    ax.set_yticklabels(labels, fontsize=7)
    ax.axvline(0, color=DARK, linewidth=0.6)
    ax.set_xlabel("Mean change in score (95% CI)")
    return _svg(fig)
