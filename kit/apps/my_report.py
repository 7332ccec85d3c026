"""The "My report" app: build the personal report and offer it as a download.

The HTML report is always offered. A PDF is offered beside it when the optional ``pdf`` extra
(WeasyPrint) is installed; otherwise the page says how to print the HTML to PDF.
"""

from __future__ import annotations

import logging

import altair  # noqa: F401 - imported early so a preheated kernel pays for it
import ipywidgets as W

from kit.apps._base import ParticipantApp
from kit.config import get_settings
from kit.forms import DownloadLink, safe_callback
from kit.report.pdf import pdf_available, personal_report_pdf
from kit.report.personal import personal_report_html

__all__ = ["MyReportApp"]

log = logging.getLogger(__name__)


class MyReportApp(ParticipantApp):
    """One standalone HTML file with profile, change, chosen reflections and commitments.

    Parameters
    ----------
    pdf : bool, optional
        Offer a PDF too. Defaults to whether PDF support (the ``pdf`` extra) is installed.
    """

    app_title = "My report"
    framework_lens = "self"
    notebook = "05_my_report.ipynb"

    #: Whether PDF output works, once :meth:`warm_up` has checked (importing WeasyPrint
    #: takes seconds, so a page opened cold does not wait for it).
    _pdf_checked: bool | None = None

    def __init__(self, store, visitor=None, *, framework=None,
                 today=None, pdf: bool | None = None, **kwargs):
        self.pdf = self._pdf_offered() if pdf is None else bool(pdf)
        self._init_framework(framework)
        self.today = today or get_settings().today
        super().__init__(store, visitor, **kwargs)

    def __repr__(self) -> str:
        return f"<My report: {self.framework.id}>"

    @classmethod
    def warm_up(cls, store) -> None:
        """Also load WeasyPrint (seconds) while the kernel waits, to know if PDF works."""
        super().warm_up(store)
        cls._pdf_checked = pdf_available()

    @classmethod
    def _pdf_offered(cls) -> bool:
        """Offer a PDF? Known after :meth:`warm_up`; otherwise whether WeasyPrint is installed
        (found without importing it). Should its system libraries then fail to load, the PDF
        button says so and points to the HTML report."""
        if cls._pdf_checked is not None:
            return cls._pdf_checked
        from importlib.util import find_spec

        return find_spec("weasyprint") is not None

    def build(self, visitor) -> list:
        pid = visitor.participant_id
        entries = self.store.list_reflections(pid)
        chosen = sum(1 for e in entries if e.include_in_report and e.finished)
        commitments = len(self.store.list_commitments(pid))
        rounds = self.store.participant_scores(pid, self.framework)
        n_rounds = rounds["round"].nunique() if len(rounds) else 0
        self.summary = W.HTML(
            "<p>Your report brings together:</p><ul>"
            f"<li>your profile from {n_rounds} {'round' if n_rounds == 1 else 'rounds'} of the "
            "self-assessment, with change over time;</li>"
            f"<li>{chosen} {'reflection' if chosen == 1 else 'reflections'} you chose to include;</li>"
            f"<li>{commitments} {'commitment' if commitments == 1 else 'commitments'}.</li></ul>"
            "<p>It is a single web page that opens in any browser without an internet connection. "
            + ("You can also prepare it as a PDF, ready to print or keep.</p>" if self.pdf else
               "To keep a PDF, open it and use your browser's Print, then Save as PDF.</p>"))
        self.make = W.Button(description="Prepare my report", button_style="primary",
                             tooltip="Build your report as one HTML file")
        self.make.on_click(self._make)
        self.download = DownloadLink()
        if not self.pdf:
            return [self.summary, self.make, self.download]
        # The PDF takes a few seconds more, so it has its own button beside the HTML one.
        self.make_pdf = W.Button(description="Prepare a PDF", tooltip="Build your report as a PDF")
        self.make_pdf.on_click(self._make_pdf)
        self.download_pdf = DownloadLink()
        self.download_pdf.layout.margin = "0 0 0 1em"
        return [self.summary, W.HBox([self.make, self.make_pdf]),
                W.HBox([self.download, self.download_pdf])]

    def report_html(self) -> str:
        return personal_report_html(self.store, self.participant_id, framework=self.framework,
                                    today=self.today)

    def report_pdf(self) -> bytes:
        return personal_report_pdf(self.store, self.participant_id, framework=self.framework,
                                   today=self.today)

    @safe_callback
    def _make(self, _button=None) -> None:
        page = self.report_html()
        self.download.set(page.encode("utf-8"), "my-partnering-report.html", "text/html",
                          "Download my report (HTML)")
        self.messages.success("Your report is ready: use the download link.")

    @safe_callback
    def _make_pdf(self, _button=None) -> None:
        self.download_pdf.clear()
        try:
            pdf = self.report_pdf()
        except Exception:  # noqa: BLE001 - say what still works instead of a bare error
            log.exception("building the PDF report failed")
            self.messages.warning("The PDF could not be made. Prepare the HTML report instead, "
                                  "open it and print it to PDF from your browser.")
            return
        self.download_pdf.set(pdf, "my-partnering-report.pdf", "application/pdf",
                              "Download PDF")
        self.messages.success("Your PDF is ready: use the Download PDF link.")
