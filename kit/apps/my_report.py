"""The "My report" app: build the personal report and download it, in one click.

The HTML report is always offered. A PDF is offered beside it when the optional ``pdf`` extra
(WeasyPrint) is installed; otherwise the page says how to print the HTML to PDF. Each button
builds its file and starts the download; a link to the same file stays on the page, named, for
a browser that did not start it.
"""

from __future__ import annotations

import html
import logging

import altair  # noqa: F401 - imported early so a preheated kernel pays for it
import ipywidgets as W

from kit.apps._base import ParticipantApp
from kit.apps.my_report_model import MyReportModel
from kit.config import get_settings
from kit.forms import OneClickDownload, safe_callback
from kit.i18n import N_, _, ngettext
from kit.report.pdf import pdf_available

__all__ = ["MyReportApp"]

log = logging.getLogger(__name__)


class MyReportApp(ParticipantApp):
    """One standalone HTML file with profile, change, chosen reflections and commitments.

    Parameters
    ----------
    pdf : bool, optional
        Offer a PDF too. Defaults to whether PDF support (the ``pdf`` extra) is installed.
    """

    app_title = N_("My report")
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
        self.model = MyReportModel(self.store, visitor.participant_id, self.framework,
                                   self.today)
        held = self.model.contents()
        n_rounds, chosen, commitments = held.rounds, held.reflections, held.commitments
        e = html.escape
        items = (
            ngettext("your profile from {n} round of the self-assessment, with change over time;",
                     "your profile from {n} rounds of the self-assessment, with change over time;",
                     n_rounds).format(n=n_rounds),
            ngettext("{n} reflection you chose to include;", "{n} reflections you chose to include;",
                     chosen).format(n=chosen),
            ngettext("{n} commitment.", "{n} commitments.", commitments).format(n=commitments),
        )
        offline = _("It is a single web page that opens in any browser without an internet "
                    "connection.")
        pdf = (_("You can also download it as a PDF, ready to print or keep.") if self.pdf else
               _("To keep a PDF, open it and use your browser's Print, then Save as PDF."))
        self.summary = W.HTML(
            "<p>{}</p><ul>{}</ul><p>{} {}</p>".format(
                e(_("Your report brings together:")), "".join(f"<li>{e(x)}</li>" for x in items),
                e(offline), e(pdf)))
        self.make = W.Button(description=_("Download my report"), button_style="primary",
                             tooltip=_("Build your report as one HTML file and save it"),
                             layout=W.Layout(width="auto"))
        self.make.on_click(self._make)
        self.download = OneClickDownload()
        if not self.pdf:
            return [self.summary, self.make, self.download]
        # The PDF takes a few seconds more, so it has its own button beside the HTML one.
        self.make_pdf = W.Button(description=_("Download as PDF"), layout=W.Layout(width="auto"),
                                 tooltip=_("Build your report as a PDF and save it"))
        self.make_pdf.on_click(self._make_pdf)
        self.download_pdf = OneClickDownload()
        return [self.summary, W.HBox([self.make, self.make_pdf], layout=W.Layout(flex_flow="row wrap")),
                self.download, self.download_pdf]

    def report_html(self) -> str:
        return self.model.report_html()

    def report_pdf(self) -> bytes:
        return self.model.report_pdf()

    @safe_callback
    def _make(self, _button=None) -> None:
        self.make.disabled = True
        self.messages.info(_("Preparing your report: this takes a few seconds."))
        try:
            page = self.report_html()
            name = "my-partnering-report.html"
            self.download.start(
                page.encode("utf-8"), name, "text/html",
                _("Download {file} again").format(file=name),
                note=_("Your report is downloading as {file}. If it does not appear in your "
                       "downloads:").format(file=name))
        except Exception:
            self.messages.clear()
            raise
        finally:
            self.make.disabled = False
        self.messages.success(_("Your report is ready: your browser is saving it as {file}.").format(
            file=name))

    @safe_callback
    def _make_pdf(self, _button=None) -> None:
        self.download_pdf.clear()
        self.make_pdf.disabled = True
        self.messages.info(_("Preparing your PDF: this takes a few seconds more than the web page."))
        try:
            pdf = self.report_pdf()
        except Exception:  # noqa: BLE001 - say what still works instead of a bare error
            log.exception("building the PDF report failed")
            self.messages.warning(_("The PDF could not be made. Download the report as a web page "
                                    "instead, open it and print it to PDF from your browser."))
            return
        finally:
            self.make_pdf.disabled = False
        name = "my-partnering-report.pdf"
        self.download_pdf.start(
            pdf, name, "application/pdf", _("Download {file} again").format(file=name),
            note=_("Your PDF is downloading as {file}. If it does not appear in your "
                   "downloads:").format(file=name))
        self.messages.success(_("Your PDF is ready: your browser is saving it as {file}.").format(
            file=name))
