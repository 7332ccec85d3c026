"""The "My data" app: download everything the kit holds about you, or erase it."""

from __future__ import annotations

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
        return [
            W.HTML("<p>Everything you enter belongs to you. Download a copy of it all (answers, "
                   "reflections, commitments and your map) as a JSON file any time.</p>"),
            self.prepare, self.download,
            W.HTML("<h2>Erase my data</h2><p>This removes your answers, reflections, commitments, "
                   "partnership map and resume code for good. It cannot be undone, and group "
                   "results will no longer include you. Download a copy first if you want one. "
                   f"To go ahead, type <strong>{CONFIRM_WORD}</strong> in the box and press the "
                   "button.</p>"),
            self.confirm, self.erase, self.out,
        ]

    @safe_callback
    def _prepare(self, _button=None) -> None:
        self.download.set(self.model.export_json(), "my-partnering-kit-data.json",
                          "application/json", "Download my data (JSON)")
        self.messages.success("Your file is ready: use the download link.")

    @safe_callback
    def _erase(self, _button=None) -> None:
        self.model.erase(self.confirm.value)
        self.download.clear()
        for w in (self.prepare, self.confirm, self.erase):
            w.disabled = True
        with self.out:  # the browser should forget the code too
            display(HTML(f"<script>{forget_me_script()}</script>"))
        self.messages.success("Your data has been erased. If this browser remembered your "
                              "resume code, that code no longer opens anything.")
