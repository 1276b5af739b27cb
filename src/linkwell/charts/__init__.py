"""Every chart in Linkwell, drawn one way (ADR 0018): pure functions returning SVG markup with
a name, a description, an HTML legend and a captioned data table.

    line_chart(series, chart_id=..., title=...)           trends and scores over time
    bar_chart(categories, [Bars(...)], ...)                counts and shares
    funnel_chart([(stage, count, text), ...], ...)         referral to completion
    interval_chart([Estimate(...)], ...)                   estimates with 95% CIs
    choropleth(areas, values, threshold=..., ...)          a rate against a threshold
    point_map(boroughs, points=..., origin=..., title=...) numbered places to zoom and pan
    figure(chart)                                          the figure and its table as HTML
"""

from linkwell.charts.bar import Bars, Estimate, bar_chart, funnel_chart, interval_chart
from linkwell.charts.line import Series, line_chart
from linkwell.charts.look import Chart, Table, contrast, figure, table_html
from linkwell.charts.maps import (
    BoroughShape,
    Dot,
    MapPoint,
    Origin,
    choropleth,
    dot_map,
    point_map,
)

__all__ = ["Bars", "BoroughShape", "Chart", "Dot", "Estimate", "MapPoint", "Origin", "Series",
           "Table", "bar_chart", "choropleth", "contrast", "dot_map", "figure", "funnel_chart",
           "interval_chart", "line_chart", "point_map", "table_html"]
