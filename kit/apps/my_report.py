"""The "My report" app: build the personal report and offer it as a download."""

from __future__ import annotations

import altair  # noqa: F401 - imported early so a preheated kernel pays for it
import ipywidgets as W

from kit.apps._base import ParticipantApp
from kit.config import get_settings
from kit.content import load_framework
from kit.forms import DownloadLink, safe_callback
from kit.report.personal import personal_report_html

__all__ = ["MyReportApp"]


class MyReportApp(ParticipantApp):
    """One standalone HTML file with profile, change, chosen reflections and commitments."""

    app_title = "My report"

    def __init__(self, store, visitor=None, *, framework="collaboration-behaviours",
                 today=None, **kwargs):
        self.framework = load_framework(framework) if isinstance(framework, str) else framework
        self.today = today or get_settings().today
        super().__init__(store, visitor, **kwargs)

    def __repr__(self) -> str:
        return f"<My report: {self.framework.id}>"

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
            "To keep a PDF, open it and use your browser's Print, then Save as PDF.</p>")
        self.make = W.Button(description="Prepare my report", button_style="primary",
                             tooltip="Build your report as one HTML file")
        self.make.on_click(self._make)
        self.download = DownloadLink()
        return [self.summary, self.make, self.download]

    def report_html(self) -> str:
        return personal_report_html(self.store, self.participant_id, framework=self.framework,
                                    today=self.today)

    @safe_callback
    def _make(self, _button=None) -> None:
        page = self.report_html()
        self.download.set(page.encode("utf-8"), "my-partnering-report.html", "text/html",
                          "Download my report (HTML)")
        self.messages.success("Your report is ready: use the download link.")
