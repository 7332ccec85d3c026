"""What the "My report" app reads, with no widgets (see :mod:`kit.apps.my_report`): what the
report will hold, and the report itself as HTML or PDF."""

from __future__ import annotations

from dataclasses import dataclass

from kit.report.pdf import personal_report_pdf
from kit.report.personal import personal_report_html

__all__ = ["ReportContents", "MyReportModel"]


@dataclass(frozen=True)
class ReportContents:
    """How much of each part the report will hold."""

    rounds: int
    reflections: int
    commitments: int


class MyReportModel:
    """One participant's personal report (:mod:`kit.report.personal`).

    Parameters
    ----------
    store : kit.store.Store
    participant_id : int
    framework : kit.content.Framework
        The self-assessment framework the profile is drawn from.
    today : datetime.date
    """

    def __init__(self, store, participant_id: int, framework, today):
        self.store, self.participant_id = store, participant_id
        self.framework, self.today = framework, today

    def contents(self) -> ReportContents:
        """The rounds of the self-assessment, the reflections chosen and the commitments."""
        pid = self.participant_id
        entries = self.store.list_reflections(pid)
        chosen = sum(1 for e in entries if e.include_in_report and e.finished)
        commitments = len(self.store.list_commitments(pid))
        rounds = self.store.participant_scores(pid, self.framework)
        n_rounds = rounds["round"].nunique() if len(rounds) else 0
        return ReportContents(int(n_rounds), chosen, commitments)

    def report_html(self) -> str:
        """The report as one standalone HTML page."""
        return personal_report_html(self.store, self.participant_id, framework=self.framework,
                                    today=self.today)

    def report_pdf(self) -> bytes:
        """The report as a PDF (needs the ``pdf`` extra)."""
        return personal_report_pdf(self.store, self.participant_id, framework=self.framework,
                                   today=self.today)
