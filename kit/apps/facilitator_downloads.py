"""The facilitator dashboard's downloads: the group report (HTML and PDF), the tables behind
every view (CSV files in a zip) and the session plan, for the group and round chosen.

Every file is built from the registry of views (:mod:`kit.views`) by :mod:`kit.report.group`.
"""

from __future__ import annotations

import html

import ipywidgets as W

from kit.forms.callbacks import safe_callback
from kit.forms.download import DownloadLink, OneClickDownload
from kit.forms.messages import MessageArea
from kit.i18n import _

__all__ = ["DownloadsPanel"]


class DownloadsPanel:
    """The downloads of :class:`kit.apps.facilitator.FacilitatorDashboard` (a part of it)."""

    def _build_downloads(self) -> None:
        m = self.model
        self.report_button = W.Button(button_style="primary", layout=W.Layout(width="auto"),
                                      tooltip=_("Download one standalone HTML file of every view"))
        self.tables_button = W.Button(layout=W.Layout(width="auto"),
                                      tooltip=_("Download the tables behind every view, as CSV "
                                                "files in one zip"))
        from kit.report.pdf import pdf_available

        # The PDF is offered only where it can be made (WeasyPrint and its libraries load).
        self.pdf_button = W.Button(layout=W.Layout(width="auto"),
                                   tooltip=_("Download the group report as an A4 PDF, to print "
                                             "or send"))
        if not pdf_available():
            self.pdf_button.layout.display = "none"
        self.report_progress = W.IntProgress(value=0, min=0, max=3, description="",
                                             layout=W.Layout(display="none", width="16em"))
        self.report_status = W.HTML()
        self.report_status.add_class("kit-live")  # progress is announced as it changes
        self.report_link = OneClickDownload()
        self.pdf_link = OneClickDownload()
        self.csv_link = OneClickDownload()
        #: what the downloads said when one failed, right after their buttons
        self.download_messages = MessageArea()
        self.plan_link = DownloadLink()
        from kit.apps.session_plan import session_plan_html

        self.plan_link.set(session_plan_html(m.data.rules.min_group_size).encode("utf-8"),
                           "session-plan.html", "text/html",
                           _("Save the session plan (one printable page)"))
        self.report_button.on_click(self._prepare_report)
        self.tables_button.on_click(self._prepare_tables)
        self.pdf_button.on_click(self._prepare_pdf)
        self._downloads = (
            W.HTML("<h2>{}</h2>".format(html.escape(_("Downloads")))),
            W.HBox([self.report_button, self.pdf_button, self.tables_button],
                   layout=W.Layout(flex_flow="row wrap")),
            self.download_messages,
            W.HBox([self.report_progress, self.report_status],
                   layout=W.Layout(align_items="center")),
            self.report_link,
            self.pdf_link,
            self.csv_link,
            self.plan_link,
        )

    def _sync_downloads(self) -> None:
        """The buttons name the group and round a file made now would cover; a file made
        for another group or round is no longer offered."""
        scope = self._report_scope()
        self.report_button.description = _("Download the group report: {scope}").format(
            scope=scope)
        self.tables_button.description = _("Download the tables (CSV): {scope}").format(
            scope=scope)
        self.pdf_button.description = _("Download the group report as PDF: {scope}").format(
            scope=scope)
        if scope != self._made_for:  # a file made for another group or round: not offered
            self._made_for = scope
            self.report_link.clear()
            self.pdf_link.clear()
            self.csv_link.clear()
            self.download_messages.clear()
            self.report_progress.layout.display = "none"
            self.report_status.value = ""

    @staticmethod
    def _csv_links(tables) -> list:
        """One link per table of the view showing (CSV)."""
        from kit.report.group import csv_bytes

        links = []
        for name, table in tables.items():
            link = DownloadLink()
            link.set(csv_bytes(table), name, "text/csv", _("Save {file}").format(file=name))
            links.append(link)
        return [W.HBox(links, layout=W.Layout(flex_flow="row wrap"))] if links else []

    def _file_stem(self, kind: str = "report") -> str:
        """Named after the cohort and group, and dated (a report covers every round)."""
        from kit.report.group import report_file_stem

        return report_file_stem(self.model.cohort_name, self.model.group, kind=kind)

    def _buttons(self, disabled: bool) -> None:
        self.report_button.disabled = self.tables_button.disabled = disabled
        self.pdf_button.disabled = disabled

    def _progress(self, step: int, total: int, text: str) -> None:
        """Show how far the preparation has gone (sent to the page at once)."""
        self.report_progress.max = total
        self.report_progress.value = step
        self.report_progress.layout.display = None
        self.report_status.value = f"<span role='status'>{html.escape(text)}</span>"

    @safe_callback(messages="download_messages")
    def _prepare_report(self, _button=None) -> None:
        """Build the group report for the chosen group and round, and download it (one click)."""
        from kit.report.group import report_page

        m = self.model
        scope = self._report_scope()
        self._buttons(True)
        self.report_link.clear()
        try:
            self._progress(1, 3, _("Preparing the group report for {scope}: gathering every view "
                                   "(step 1 of 3).").format(scope=scope))
            page = report_page(m.data, m.group, m.round or None)
            self._progress(2, 3, _("Preparing the group report for {scope}: making the file "
                                   "(step 2 of 3).").format(scope=scope))
            data = page.encode("utf-8")
            filename = f"{self._file_stem()}.html"
            self.report_link.start(
                data, filename, "text/html", _("Download {file} again").format(file=filename),
                note=_("The group report for {scope} is downloading as {file}. If it does not "
                       "appear in your downloads:").format(scope=scope, file=filename))
            self._progress(3, 3, _("The group report for {scope} is ready (step 3 of 3).").format(
                scope=scope))
        except Exception:
            self.report_progress.layout.display = "none"
            self.report_status.value = ""
            raise
        finally:
            self._buttons(False)

    @safe_callback(messages="download_messages")
    def _prepare_pdf(self, _button=None) -> None:
        """Lay the group report for the chosen group and round out as an A4 PDF, and download
        it (one click)."""
        from kit.report.group import report_pdf

        m = self.model
        scope = self._report_scope()
        self._buttons(True)
        self.pdf_link.clear()
        try:
            self._progress(1, 2, _("Preparing the group report for {scope} as a PDF: laying out "
                                   "every view on A4 pages (step 1 of 2).").format(scope=scope))
            data = report_pdf(m.data, m.group, m.round or None)
            filename = f"{self._file_stem()}.pdf"
            self.pdf_link.start(
                data, filename, "application/pdf",
                _("Download {file} again").format(file=filename),
                note=_("The group report for {scope} is downloading as {file}. If it does not "
                       "appear in your downloads:").format(scope=scope, file=filename))
            self._progress(2, 2, _("The PDF of the group report for {scope} is ready (step 2 "
                                   "of 2).").format(scope=scope))
        except Exception:
            self.report_progress.layout.display = "none"
            self.report_status.value = ""
            raise
        finally:
            self._buttons(False)

    @safe_callback(messages="download_messages")
    def _prepare_tables(self, _button=None) -> None:
        """Build the tables behind every view (CSV files in a zip) and download them."""
        from kit.report.group import all_tables, csv_zip

        m = self.model
        scope = self._report_scope()
        self._buttons(True)
        self.csv_link.clear()
        try:
            self._progress(1, 2, _("Preparing the tables for {scope} (step 1 of 2).").format(scope=scope))
            data = csv_zip(all_tables(m.data, m.group, m.round or None))
            filename = f"{self._file_stem('tables')}.zip"
            self.csv_link.start(
                data, filename, "application/zip", _("Download {file} again").format(file=filename),
                note=_("The tables for {scope} are downloading as {file}. If it does not appear "
                       "in your downloads:").format(scope=scope, file=filename))
            self._progress(2, 2, _("The tables for {scope} are ready (step 2 of 2).").format(scope=scope))
        except Exception:
            self.report_progress.layout.display = "none"
            self.report_status.value = ""
            raise
        finally:
            self._buttons(False)

    def _report_scope(self) -> str:
        """Which group and round a report made now would cover, in words."""
        from kit.analysis.privacy import ALL_GROUPS

        m = self.model
        if m.group == ALL_GROUPS:
            return (_("the whole cohort, {round}").format(round=m.round) if m.round
                    else _("the whole cohort, every round"))
        return (_("group {group}, {round}").format(group=m.group, round=m.round) if m.round
                else _("group {group}, every round").format(group=m.group))
