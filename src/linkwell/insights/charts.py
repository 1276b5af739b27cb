"""Chart geometry for the dashboard's SVG charts (no I/O). Templates draw the shapes; the
numbers behind each chart are also shown as a captioned table and exported as JSON."""

WIDTH, BAR_AREA, LABEL_WIDTH = 640, 400, 200


def _value(row: dict, key: str) -> int | None:
    value = row.get(key)
    return value if isinstance(value, int) else None


def bars(rows: list[dict], key: str) -> dict:
    """Horizontal bars, one per row; a suppressed value draws no bar and says so."""
    values = [_value(r, key) for r in rows]
    top = max([v for v in values if v is not None] or [1]) or 1
    out = []
    for i, (row, value) in enumerate(zip(rows, values, strict=True)):
        out.append({"y": 10 + i * 32, "label": str(row["group"]),
                    "width": 0 if value is None else round(value / top * BAR_AREA, 1),
                    "text": f"{value:,}" if value is not None else str(row.get(key))})
    return {"bars": out, "height": 20 + len(rows) * 32, "width": WIDTH,
            "label_width": LABEL_WIDTH}


def columns(rows: list[dict], key: str, height: int = 220) -> dict:
    """Vertical columns by month with the largest value as the scale."""
    values = [_value(r, key) for r in rows]
    top = max([v for v in values if v is not None] or [1]) or 1
    step = max(min(48, (WIDTH - 60) // max(len(rows), 1)), 8)
    out = []
    for i, (row, value) in enumerate(zip(rows, values, strict=True)):
        h = 0 if value is None else round(value / top * (height - 40), 1)
        out.append({"x": 50 + i * step, "w": step - 4, "h": h, "y": height - 20 - h,
                    "label": str(row["group"]), "show_label": i % max(len(rows) // 6, 1) == 0,
                    "text": f"{value:,}" if value is not None else str(row.get(key))})
    return {"columns": out, "height": height, "width": max(WIDTH, 60 + len(rows) * step),
            "top": top}
