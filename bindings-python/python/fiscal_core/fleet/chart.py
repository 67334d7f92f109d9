"""``fiscal-core fleet report``: the daily turnover and the findings of an export, as a PNG.

For an inspector who would rather look than read: one bar a day for the turnover booked
(sales in, returns and cancels out: the ``turnover_per_voen_day`` query summed over every
VÖEN), and on the same days the findings the verifier made, with the journals they are in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Optional, Union

from fiscal_core.fleet import sql

_DAILY = """
WITH t AS ({turnover})
SELECT date, sum(receipts) AS receipts, sum(sales) AS sales, sum(returns) AS returns,
       sum(cancels) AS cancels, sum(turnover) AS turnover
FROM t GROUP BY date ORDER BY date
"""
_FINDINGS = """
SELECT date, count(*) AS findings, count(DISTINCT journal) AS journals
FROM findings WHERE date IS NOT NULL GROUP BY date ORDER BY date
"""


@dataclass(frozen=True)
class Chart:
    """What was drawn: the days, and the totals over them."""

    path: Path
    days: tuple[date, ...]
    turnover: Decimal
    receipts: int
    findings: int
    undated_findings: int


def draw(
    data_dir: Union[str, Path], png: Union[str, Path], *, title: Optional[str] = None
) -> Chart:
    """Draws the export in ``data_dir`` into ``png``; returns what it drew."""
    import matplotlib

    matplotlib.use("Agg")  # no display: a file
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    turnover_sql = sql.queries()["turnover_per_voen_day"].sql.strip().rstrip(";")
    con = sql.connect(data_dir)
    try:
        daily = con.execute(_DAILY.format(turnover=turnover_sql)).fetchall()
        found = {row[0]: (row[1], row[2]) for row in con.execute(_FINDINGS).fetchall()}
        undated = con.execute("SELECT count(*) FROM findings WHERE date IS NULL").fetchone()
        devices = con.execute("SELECT count(DISTINCT device) FROM documents").fetchone()
    finally:
        con.close()
    days = sorted({row[0] for row in daily} | set(found))
    if days and (days[-1] - days[0]).days <= 92:  # every day of a quarter, quiet ones too
        days = [days[0] + timedelta(days=n) for n in range((days[-1] - days[0]).days + 1)]
    by_day = {row[0]: row for row in daily}
    zero = Decimal(0)
    sales = [float(by_day[d][2]) if d in by_day else 0.0 for d in days]
    refunds = [-float(by_day[d][3] + by_day[d][4]) if d in by_day else 0.0 for d in days]
    net = [float(by_day[d][5]) if d in by_day else 0.0 for d in days]
    findings = [found.get(d, (0, 0))[0] for d in days]
    journals = [found.get(d, (0, 0))[1] for d in days]

    fig, (ax, low) = plt.subplots(
        2, 1, sharex=True, figsize=(11, 6.5), dpi=110, gridspec_kw={"height_ratios": [3, 1]}
    )
    x = list(range(len(days)))
    ax.bar(x, sales, width=0.7, color="#4C78A8", label="sales, advances, instalments")
    ax.bar(x, refunds, width=0.7, color="#E45756", label="returns and cancels")
    ax.plot(x, net, color="#1B1B1B", marker="o", linewidth=1.5, label="turnover (net)")
    ax.axhline(0, color="#888888", linewidth=0.8)
    ax.set_ylabel("AZN a day")
    ax.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
    ax.grid(axis="y", alpha=0.3)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=3, fontsize=8,
              frameon=False)
    low.bar(x, findings, width=0.7, color="#F58518")
    for xi, n, j in zip(x, findings, journals):
        if n:
            low.annotate(f"{n} in {j} journal{'s' if j != 1 else ''}", (xi, n),
                         textcoords="offset points", xytext=(0, 2), ha="center",
                         va="bottom", fontsize=8)
    low.set_ylabel("findings")
    low.set_ylim(0, max(findings + [1]) * 1.5)
    low.grid(axis="y", alpha=0.3)
    low.set_xticks(x)
    low.set_xticklabels([d.isoformat() for d in days], rotation=45 if len(days) > 7 else 0,
                        ha="right" if len(days) > 7 else "center", fontsize=8)
    total = sum((by_day[d][5] for d in days if d in by_day), zero)
    receipts = sum(int(by_day[d][1]) for d in days if d in by_day)
    n_devices = int(devices[0]) if devices else 0
    n_undated = int(undated[0]) if undated else 0
    heading = title or (
        f"Fleet: {n_devices} devices, {receipts} receipts, turnover {total} AZN, "
        f"{sum(findings) + n_undated} findings"
    )
    if n_undated:
        heading += f" ({n_undated} of them in journals without a readable document)"
    fig.suptitle(heading, fontsize=10)
    fig.tight_layout()
    out = Path(png)
    fig.savefig(out, format="png")
    plt.close(fig)
    return Chart(out, tuple(days), total, receipts, sum(findings), n_undated)


__all__ = ["Chart", "draw"]
