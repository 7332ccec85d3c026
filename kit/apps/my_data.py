"""The "My data" app: download everything the kit holds about you, or erase it."""

from __future__ import annotations

import html

import ipywidgets as W
from IPython.display import HTML, display

from kit.apps._base import ParticipantApp
from kit.apps.identity import forget_me_script
from kit.apps.my_data_model import MyDataModel, confirm_word
from kit.forms import DownloadLink, safe_callback
from kit.i18n import N_, _

__all__ = ["MyDataApp"]


class MyDataApp(ParticipantApp):
    """Export as JSON; erase after typing ERASE and confirming."""

    app_title = N_("My data")

    def __repr__(self) -> str:
        return "<My data>"

    def build(self, visitor) -> list:
        self.model = MyDataModel(self.store, visitor.participant_id)
        self.prepare = W.Button(
            description=_("Prepare my download"), button_style="primary",
            tooltip=_("Gather everything the kit holds about you as a JSON file"))
        self.prepare.on_click(self._prepare)
        self.download = DownloadLink()
        word = confirm_word()
        self.confirm = W.Text(description=_("Type {word} to confirm").format(word=word),
                              style={"description_width": "initial"})
        self.erase = W.Button(description=_("Erase all my data"), button_style="danger",
                              tooltip=_("Permanently remove everything the kit holds about you"))
        self.erase.on_click(self._erase)
        self.out = W.Output()
        intro = _("Everything you enter belongs to you. Download a copy of it all (answers, "
                  "reflections, commitments and your map) as a JSON file any time.")
        heading = _("Erase my data")
        # {word} is the confirmation word (translated itself), shown in bold.
        warning = _("This removes your answers, reflections, commitments, partnership map and "
                    "resume code for good. It cannot be undone, and group results will no "
                    "longer include you. Download a copy first if you want one. To go ahead, "
                    "type {word} in the box and press the button.")
        warning = html.escape(warning).replace(
            "{word}", f"<strong>{html.escape(word)}</strong>")
        return [
            W.HTML(f"<p>{html.escape(intro)}</p>"),
            self.prepare, self.download,
            W.HTML(f"<h2>{html.escape(heading)}</h2><p>{warning}</p>"),
            self.confirm, self.erase, self.out,
        ]

    @safe_callback
    def _prepare(self, _button=None) -> None:
        self.download.set(self.model.export_json(), "my-partnering-kit-data.json",
                          "application/json", _("Download my data (JSON)"))
        self.messages.success(_("Your file is ready: use the download link."))

    @safe_callback
    def _erase(self, _button=None) -> None:
        self.model.erase(self.confirm.value)
        self.download.clear()
        for w in (self.prepare, self.confirm, self.erase):
            w.disabled = True
        with self.out:  # the browser should forget the code too
            display(HTML(f"<script>{forget_me_script()}</script>"))
        self.messages.success(_("Your data has been erased. If this browser remembered your "
                                "resume code, that code no longer opens anything."))
