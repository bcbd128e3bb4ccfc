"""Charts: pure functions from results to plotly figures, shared by the page and notebooks.

Colours come from :data:`prioritize.model.CATEGORY_COLOURS`, so every chart, page and
workbook shows a category in the same colour. Plotly is an optional dependency (the
``app`` extra); it is imported when a chart is drawn.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from prioritize.council.round_diff import RoundDiff
from prioritize.engine.matrix import categorize, rule_categories
from prioritize.model.categories import CATEGORIES, CATEGORY_COLOURS
from prioritize.model.evaluation import Evaluation
from prioritize.model.scorecard import Delivery, Measure, Readings

if TYPE_CHECKING:
    import plotly.graph_objects as go

__all__ = [
    "acceptability_heatmap",
    "contribution_waterfall",
    "measure_chart",
    "round_diff_chart",
    "tornado_chart",
    "value_matrix",
]

_GRID = 201


def _safe(text: object) -> str:
    """User text for a plotly label: plotly renders a subset of HTML (links included) in
    labels and hover text, so ``<``, ``>`` and ``&`` are written as entities (shown as
    typed, never as markup)."""
    return html.escape(str(text), quote=False)


def _go() -> Any:
    try:
        import plotly.graph_objects as go
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("charts need plotly: pip install 'prioritize[app]'") from exc
    return go


def _hex_to_rgba(colour: str, alpha: float) -> str:
    colour = colour.lstrip("#")
    red, green, blue = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({red},{green},{blue},{alpha})"


def _regions(evaluation: Evaluation) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The category of every point of a value x effort grid, for a requirement that is not
    urgent (urgency 0) and not mandatory, placed by the criteria set's own rules."""
    axis = np.linspace(0, 1, _GRID)
    effort, value = np.meshgrid(axis, axis)
    values = {
        "value": value,
        "effort": effort,
        "urgency": np.zeros_like(value),
        "net_value": value - effort,
        "score": np.full_like(value, np.nan),
    }
    rules = evaluation.criteria.matrix.rules
    placed = categorize(values, np.zeros(value.shape, dtype=bool), rules)
    codes = rule_categories(rules)[placed].astype(float)
    uses_score = {i for i, r in enumerate(rules) if any(c.measure == "score" for c in r.conditions)}
    if uses_score:  # a score rule cannot be drawn on this plane: leave it blank
        codes[np.isin(placed, list(uses_score))] = np.nan
    return axis, axis, codes


def value_matrix(evaluation: Evaluation, *, highlight: str | None = None) -> go.Figure:
    """Value against effort, coloured by category, sized by urgency, regions drawn.

    The shaded regions are the categories the rules give a requirement that is not urgent
    (urgency 0); rules needing urgency (Immediate control) show on the points only. Hover
    shows each requirement's explanation.
    """
    go = _go()
    table = evaluation.table
    effort_axis, value_axis, codes = _regions(evaluation)
    colourscale = []
    n = len(CATEGORIES)
    for index, name in enumerate(CATEGORIES):
        colour = _hex_to_rgba(CATEGORY_COLOURS[name], 0.12)
        colourscale += [[index / n, colour], [(index + 1) / n, colour]]
    figure = go.Figure()
    figure.add_trace(
        go.Heatmap(
            x=effort_axis,
            y=value_axis,
            z=codes,
            zmin=0,
            zmax=n,
            colorscale=colourscale,
            showscale=False,
            hoverinfo="skip",
            name="regions",
        )
    )
    for category in CATEGORIES:
        rows = table[table["category"] == category]
        if rows.empty:
            continue
        size = 10 + 26 * rows["urgency"].to_numpy(dtype=float)
        line_width = [3 if rid == highlight else 1 for rid in rows.index]
        hover = [
            f"<b>{_safe(rid)}</b> {_safe(title)}<br>score {score:.3f} (rank {rank})<br>"
            f"{_safe(text)}"
            for rid, title, score, rank, text in zip(
                rows.index,
                rows["title"],
                rows["score"],
                rows["rank"],
                rows["explanation"],
                strict=True,
            )
        ]
        figure.add_trace(
            go.Scatter(
                x=rows["effort"],
                y=rows["value"],
                mode="markers+text",
                name=category,
                text=[_safe(r) for r in rows.index],
                textposition="top center",
                textfont={"size": 9},
                marker={
                    "size": size,
                    "color": CATEGORY_COLOURS[category],
                    "line": {"color": "#222222", "width": line_width},
                    "opacity": 0.9,
                },
                hovertext=hover,
                hoverinfo="text",
                customdata=np.array(rows.index, dtype=object),
            )
        )
    figure.update_layout(
        xaxis={"title": "effort (higher: more cost, time and strain)", "range": [-0.02, 1.02]},
        yaxis={
            "title": "value (higher: more customer and business benefit)",
            "range": [-0.02, 1.02],
        },
        legend={"title": "category (size: urgency)"},
        height=560,
        margin={"l": 60, "r": 20, "t": 30, "b": 50},
    )
    return figure


def contribution_waterfall(evaluation: Evaluation, requirement_id: str) -> go.Figure:
    """Each criterion's contribution ``w_j u_ij`` to a requirement's score, as a waterfall
    that ends at the score."""
    from prioritize.engine.explain import explain

    go = _go()
    explanation = explain(evaluation, requirement_id)
    frame = explanation.contributions
    figure = go.Figure(
        go.Waterfall(
            x=[*(_safe(n) for n in frame["name"]), "score"],
            y=[*frame["contribution"], explanation.score],
            measure=["relative"] * len(frame) + ["total"],
            text=[f"{v:.3f}" for v in frame["contribution"]] + [f"{explanation.score:.3f}"],
            textposition="outside",
            hovertext=[
                f"weight {w:.3f} x utility {u:.3f} (council score {a:.2f})"
                for w, u, a in zip(
                    frame["weight"], frame["utility"], frame["aggregated"], strict=True
                )
            ]
            + ["priority score"],
            connector={"line": {"color": "#999999"}},
        )
    )
    figure.update_layout(
        title=f"{_safe(requirement_id)}: what makes up the score",
        height=420,
        showlegend=False,
        margin={"l": 40, "r": 20, "t": 50, "b": 120},
    )
    return figure


def tornado_chart(
    tornado: pd.DataFrame, *, low: str = "low", high: str = "high", label: str = "score"
) -> go.Figure:
    """A tornado: one bar per criterion from the ``low`` to the ``high`` column of
    ``tornado`` (indexed by criterion), widest swing on top."""
    go = _go()
    frame = tornado.assign(_swing=(tornado[high] - tornado[low]).abs())
    frame = frame.sort_values("_swing")
    figure = go.Figure(
        go.Bar(
            y=[_safe(i) for i in frame.index],
            x=frame[high] - frame[low],
            base=frame[low],
            orientation="h",
            marker={"color": "#0072B2"},
            hovertext=[
                f"{lo:.3f} to {hi:.3f}" for lo, hi in zip(frame[low], frame[high], strict=True)
            ],
            hoverinfo="text",
        )
    )
    figure.update_layout(
        xaxis={"title": label},
        height=60 + 32 * len(frame),
        margin={"l": 180, "r": 20, "t": 20, "b": 50},
    )
    return figure


def acceptability_heatmap(acceptability: pd.DataFrame) -> go.Figure:
    """Category acceptability (requirements x the six categories, rows sum to 1) as a heat
    map, categories in the matrix's order."""
    go = _go()
    frame = acceptability.reindex(columns=list(CATEGORIES)).fillna(0.0)
    figure = go.Figure(
        go.Heatmap(
            z=frame.to_numpy(),
            x=list(frame.columns),
            y=[_safe(i) for i in frame.index],
            zmin=0,
            zmax=1,
            colorscale="Blues",
            colorbar={"title": "probability"},
            text=[[f"{v:.0%}" if v >= 0.005 else "" for v in row] for row in frame.to_numpy()],
            texttemplate="%{text}",
            hovertemplate="%{y}: %{x} %{z:.1%}<extra></extra>",
        )
    )
    figure.update_layout(
        height=80 + 22 * len(frame),
        yaxis={"autorange": "reversed"},
        margin={"l": 90, "r": 20, "t": 20, "b": 80},
    )
    return figure


def round_diff_chart(diff: RoundDiff, *, limit: int = 20) -> go.Figure:
    """What moved between two rounds: one horizontal bar per requirement whose rank or
    category changed (biggest moves on top, at most ``limit``), its score change split into
    the part due to the new weights and the part due to changed scores (the two add up)."""
    go = _go()
    moved = diff.moved[diff.moved["status"] == "both"]
    size = pd.DataFrame(
        {"rank": moved["rank_change"].abs().astype(float), "score": moved["score_change"].abs()}
    )
    biggest = size.sort_values(["rank", "score"], ascending=False).index[:limit]
    moved = moved.loc[biggest[::-1]]  # plotly draws the first bar at the bottom
    labels = [
        _safe(f"{rid} {title}") for rid, title in zip(moved.index, moved["title"], strict=True)
    ]
    moves = [f"rank {a} to {b}" for a, b in zip(moved["rank_a"], moved["rank_b"], strict=True)]
    figure = go.Figure()
    for column, name, colour in (
        ("due_to_weights", "due to the weights", "#0072B2"),
        ("due_to_scores", "due to changed scores", "#E69F00"),
    ):
        figure.add_trace(
            go.Bar(
                y=labels,
                x=moved[column].to_numpy(dtype=float),
                name=name,
                orientation="h",
                marker={"color": colour},
                hovertext=[
                    f"{label}<br>{move}: {value:+.3f} {name}"
                    for label, move, value in zip(labels, moves, moved[column], strict=True)
                ],
                hoverinfo="text",
            )
        )
    figure.update_layout(
        barmode="relative",
        xaxis={"title": "change of the priority score", "zeroline": True},
        height=90 + 30 * len(moved),
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"},
        margin={"l": 320, "r": 20, "t": 30, "b": 50},
    )
    return figure


def frontier_chart(frontier: pd.DataFrame, *, budget: float | None = None) -> go.Figure:
    """The efficient frontier as a step line: the best value at every budget (each step a
    breakpoint of :func:`prioritize.portfolio.efficient_frontier`), with the chosen budget
    marked."""
    go = _go()
    figure = go.Figure(
        go.Scatter(
            x=frontier["budget"],
            y=frontier["value"],
            mode="lines+markers",
            line={"shape": "hv", "color": "#0072B2"},
            marker={"size": 5},
            hovertext=[
                f"{b:,.0f}: value {v:.3f}, {len(s)} funded"
                for b, v, s in zip(
                    frontier["budget"], frontier["value"], frontier["selected"], strict=True
                )
            ],
            hoverinfo="text",
            name="best value",
        )
    )
    if budget is not None:
        figure.add_vline(x=budget, line={"dash": "dash", "color": "#D55E00"})
    figure.update_layout(
        xaxis={"title": "budget"},
        yaxis={"title": "best achievable value"},
        height=360,
        margin={"l": 60, "r": 20, "t": 20, "b": 50},
        showlegend=False,
    )
    return figure


def measure_chart(
    measure: Measure, readings: Readings, deliveries: tuple[Delivery, ...] = ()
) -> go.Figure:
    """One measure over time: its readings as a line with markers, the go-live date of
    every delivered requirement that states an effect on it (a dotted vertical line
    labelled with the requirement id), the target as a dashed line and the alert bound as a
    line with the side beyond it shaded. The title names the unit and the better way."""
    go = _go()
    rows = readings.for_measure(measure.id)
    unit = measure.unit
    figure = go.Figure(
        go.Scatter(
            x=rows["date"],
            y=rows["value"],
            mode="lines+markers",
            line={"color": "#0072B2"},
            marker={"size": 7},
            name=_safe(measure.name),
            hovertext=[
                f"{d:%Y-%m-%d}: {v:,.1f} {_safe(unit)}"
                for d, v in zip(rows["date"], rows["value"], strict=True)
            ],
            hoverinfo="text",
        )
    )
    if measure.target is not None:
        figure.add_hline(
            y=measure.target,
            line={"dash": "dash", "color": "#009E73"},
            annotation={"text": f"target {measure.target:,.4g}", "font_color": "#009E73"},
        )
    alert = measure.alert_above if measure.alert_above is not None else measure.alert_below
    if alert is not None:
        far = 1e12 if measure.alert_above is not None else -1e12  # shade the side beyond
        figure.add_hrect(y0=alert, y1=far, fillcolor="rgba(213,94,0,0.08)", line_width=0)
        figure.add_hline(
            y=alert,
            line={"color": "#D55E00", "width": 1},
            annotation={"text": _safe(measure.alert_text), "font_color": "#D55E00"},
        )
    for delivery in deliveries:
        if any(e.measure == measure.id for e in delivery.effects):
            when = pd.Timestamp(delivery.live_on)
            line = {"dash": "dot", "color": "#444444"}
            figure.add_shape(type="line", x0=when, x1=when, y0=0, y1=1, yref="paper", line=line)
            figure.add_annotation(
                x=when,
                y=1,
                yref="paper",
                text=f"{_safe(delivery.requirement_id)} live",
                showarrow=False,
                yanchor="bottom",
                font={"size": 11},
            )
    values = rows["value"].to_numpy(dtype=float)
    shown = [*values, *(v for v in (measure.target, alert) if v is not None)]
    low, high = (min(shown), max(shown)) if shown else (0.0, 1.0)
    pad = (high - low) * 0.1 or 1.0
    better = "higher is better" if measure.direction == "higher" else "lower is better"
    figure.update_layout(
        title={"text": f"{_safe(measure.name)} ({_safe(unit)}, {better})", "x": 0},
        yaxis={"title": _safe(unit), "range": [low - pad, high + pad]},
        height=360,
        margin={"l": 60, "r": 20, "t": 70, "b": 40},
        showlegend=False,
    )
    return figure
