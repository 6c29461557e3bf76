"""The status chart for /tinhhinh: per agency, a stacked bar of the four statuses. Pure: counts in, PNG bytes out
(matplotlib's Agg backend, no display; call it off the event loop, it takes tens of milliseconds)."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Mapping

from scheduler.records import CATEGORY_LABELS, ReportCategory
from scheduler.task_status import STATUS_ORDER

__all__ = ["MAX_AGENCIES", "status_chart"]

MAX_AGENCIES = 15  # the agencies with most tasks; a chart of 200 bars reads as nothing
_COLOURS: dict[ReportCategory, str] = {
    "done_on_time": "#2e7d32",
    "done_late": "#9ccc65",
    "in_progress_on_time": "#1e88e5",
    "overdue_not_done": "#e53935",
}


def status_chart(counts: Mapping[str, Counter[ReportCategory]], *, title: str) -> bytes:
    """A horizontal stacked bar per agency (at most :data:`MAX_AGENCIES`, most tasks first) of its tasks' statuses."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    ranked = sorted(counts.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))[:MAX_AGENCIES]
    names = [_short(name) for name, _ in ranked][::-1]
    figure = Figure(figsize=(9, 1.2 + 0.42 * max(1, len(ranked))), dpi=100)
    axes = figure.add_subplot()
    left = [0] * len(ranked)
    for status in STATUS_ORDER:
        values = [c[status] for _, c in ranked][::-1]
        axes.barh(names, values, left=left, color=_COLOURS[status], label=CATEGORY_LABELS[status])
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.set_xlabel("Số nhiệm vụ")
    axes.set_title(title, fontsize=11)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.spines[["top", "right"]].set_visible(False)
    figure.legend(loc="lower center", ncol=4, fontsize=8, frameon=False)
    bottom = 0.35 / figure.get_figheight()  # room for the legend under the axes
    figure.tight_layout(rect=(0, bottom, 1, 1))
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def _short(name: str, limit: int = 38) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
