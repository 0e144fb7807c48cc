"""The pages of ``csi rank``: its HTML page and its workbook, built from the sections of
:mod:`csi.report.ranking` (a ``csi score --rank`` report carries the same sections)."""

from __future__ import annotations

from csi.report.excel import _save, _workbook
from csi.report.html import _page
from csi.report.ranking import _w, add_sheets, ranking_html
from csi.report.svg import esc
from csi.report.tables import fmt, lang_of
from csi.result import Result

__all__ = ["to_html", "to_xlsx"]


def to_html(result: Result, lang: str | None = None) -> str:
    """The league tables as one self-contained page."""
    lang = lang or lang_of(result)
    o = result.overall
    head = (f'<header class="masthead"><h1>{esc(_w("title", lang))}</h1><p class="meta"><span>CSI {fmt(o.score)} '
            f"[{fmt(o.ci[0])}, {fmt(o.ci[1])}], n = {o.n}</span></p></header>\n")
    return _page(_w("title", lang), lang, [head, ranking_html(result, lang)])



def to_xlsx(result: Result, lang: str | None = None) -> bytes:
    """The league tables as a workbook: a table sheet and a funnel sheet with its chart."""
    lang = lang or lang_of(result)
    wb = _workbook()
    add_sheets(wb, result, lang)
    wb.properties.title = _w("title", lang)
    return _save(wb)
