"""The "My data" app: download everything the kit holds about you, or erase it."""

from __future__ import annotations

import html

import ipywidgets as W
from IPython.display import HTML, display

from kit.apps._base import ParticipantApp
from kit.apps.identity import forget_me_script
from kit.apps.my_data_model import CONFIRM_WORD, MyDataModel
from kit.forms import DownloadLink, safe_callback

__all__ = ["MyDataApp"]


class MyDataApp(ParticipantApp):
    """Export as JSON; erase after typing ERASE and confirming."""

    app_title = "My data"
    notebook = "06_my_data.ipynb"

    def __repr__(self) -> str:
        return "<My data>"

    def build(self, visitor) -> list:
        self.model = MyDataModel(self.store, visitor.participant_id)
        self.prepare = W.Button(description="Prepare my download", button_style="primary",
                                tooltip="Gather everything the kit holds about you as a JSON file")
        self.prepare.on_click(self._prepare)
        self.download = DownloadLink()
        self.confirm = W.Text(description=f"Type {CONFIRM_WORD} to confirm",
                              style={"description_width": "initial"})
        self.erase = W.Button(description="Erase all my data", button_style="danger",
                              tooltip="Permanently remove everything the kit holds about you")
        self.erase.on_click(self._erase)
        self.out = W.Output()
        self.summary = W.HTML(self._summary_html())
        return [
            W.HTML("<p>Everything you enter belongs to you. Here is what the kit holds about "
                   "you; download a copy of it all (answers, reflections, commitments and your "
                   "map) as a JSON file any time.</p>"),
            self.summary,
            self.prepare, self.download,
            W.HTML("<h3>Erase my data</h3><p>This removes your answers, reflections, commitments, "
                   "partnership map and resume code for good. It cannot be undone, and group "
                   "results will no longer include you. Download a copy first if you want one. "
                   f"To go ahead, type <strong>{CONFIRM_WORD}</strong> in the box and press the "
                   "button.</p>"),
            self.confirm, self.erase, self.out,
        ]

    def _summary_html(self) -> str:
        rows = "".join(f"<tr><th scope='row' style='text-align:left;vertical-align:top;"
                       f"padding-right:1em'>{html.escape(head)}</th><td>{html.escape(text)}</td></tr>"
                       for head, text in self.model.summary())
        return ("<table class='kit-table kit-my-data-summary'><caption style='text-align:left'>"
                f"<strong>What the kit holds about you</strong></caption><tbody>{rows}</tbody>"
                "</table>")

    @safe_callback
    def _prepare(self, _button=None) -> None:
        self.download.set(self.model.export_json(), "my-partnering-kit-data.json",
                          "application/json", "Download my data (JSON)")
        self.messages.success("Your file is ready: use the download link.")

    @safe_callback
    def _erase(self, _button=None) -> None:
        self.model.erase(self.confirm.value)
        self.download.clear()
        self.summary.value = "<p><strong>The kit holds nothing about you any more.</strong></p>"
        for w in (self.prepare, self.confirm, self.erase):
            w.disabled = True
        with self.out:  # the browser should forget the code too
            display(HTML(f"<script>{forget_me_script()}</script>"))
        self.messages.success("Your data has been erased. If this browser remembered your "
                              "resume code, that code no longer opens anything.")
