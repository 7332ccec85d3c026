"""The "My data" app: download everything the kit holds about you, or erase it."""

from __future__ import annotations

import html

import ipywidgets as W
from IPython.display import HTML, display

from kit.apps._base import ParticipantApp
from kit.apps.about_you import AboutYouFields
from kit.apps.identity import forget_me_script
from kit.apps.my_data_model import MyDataModel, confirm_word
from kit.forms import DownloadLink, MessageArea, safe_callback
from kit.i18n import N_, _, ngettext

__all__ = ["MyDataApp"]


def replace_how(visitor):
    """The visitor as "just joined", so the code is shown large to write down."""
    from dataclasses import replace

    return replace(visitor, how="join") if visitor.how in ("cookie", "resume", "demo") else visitor


class MyDataApp(ParticipantApp):
    """Export as JSON; erase after typing ERASE and confirming."""

    app_title = N_("My data")
    notebook = "06_my_data.ipynb"

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
        copies_note = self._copies_note()
        from kit.config import get_settings

        self.about = AboutYouFields(self.model.organisations(), current=self.model.about(),
                                    min_group_size=get_settings().min_group_size)
        self.save_about = W.Button(description=_("Save these details"), tooltip=_(
            "Keep your organisation, sector and role level as chosen above"),
            layout=W.Layout(width="auto"))
        self.save_about.on_click(self._save_about)
        # Each button's message appears right after it (announced), not at the top of the page.
        self.about_messages = MessageArea()
        self.prepare_messages = MessageArea()
        self.erase_messages = MessageArea()
        self.summary = W.HTML(self._summary_html())
        self.resume_box = W.VBox()
        self.resume_messages = MessageArea()
        self.new_code = W.Button(
            description=_("Give me a new resume code"), layout=W.Layout(width="auto"),
            tooltip=_("Replace your resume code; the old one stops working"))
        self.new_code.on_click(self._new_code)
        self._show_resume(visitor)
        def h2(text):
            return W.HTML("<h2>" + html.escape(text) + "</h2>")

        erase = html.escape(_(
            "This removes your answers, reflections, commitments, partnership map and resume "
            "code for good. It cannot be undone. Rounds not yet closed will not include you; "
            "results already published when a round closed stay as they are, because they are "
            "anonymous group summaries that cannot be traced back to you. Download a copy first "
            "if you want one. To go ahead, type {word} in the box and "
            "press the button.")).format(word=f"<strong>{html.escape(word)}</strong>")
        return [
            h2(_("About you")),
            self.about, self.save_about, self.about_messages,
            h2(_("Your resume code")), self.resume_box,
            h2(_("Download my data")),
            W.HTML("<p>" + html.escape(_(
                "Everything you enter belongs to you. Here is what the kit holds about you; "
                "download a copy of it all (answers, reflections, commitments and your map) as "
                "a JSON file any time.")) + "</p>"),
            self.summary,
            self.prepare, self.prepare_messages, self.download,
            W.HTML("<h2>" + html.escape(_("Erase my data")) + f"</h2><p>{erase}</p>"),
            *copies_note, self.confirm, self.erase, self.erase_messages, self.out,
        ]

    def _show_resume(self, visitor) -> None:
        """The resume code again (when this page knows it), "remember me", and a new code."""
        from kit.apps.signin import RememberMe

        if visitor.how == "hub":
            text = _("You sign in through your organisation's Jupyter service, so you need no "
                     "resume code.")
            self.resume_box.children = (W.HTML("<p>" + html.escape(text) + "</p>"),)
            return
        if not self.model.uses_resume_code():
            text = _("Your work is kept for this computer's own user, so you need no resume "
                     "code here.")
            self.resume_box.children = (W.HTML("<p>" + html.escape(text) + "</p>"),)
            return
        replace = W.HTML("<p>" + html.escape(_(
            "If someone else may have seen your code, or you have lost it, get a new one: the "
            "old code stops working at once, and your work stays as it is.")) + "</p>")
        shown = ((RememberMe(replace_how(visitor)),) if visitor.resume_code else
                 (W.HTML("<p>" + html.escape(_(
                     "This page does not know your code: it is kept only in a scrambled "
                     "form.")) + "</p>"),))
        self.resume_box.children = (*shown, replace, self.new_code, self.resume_messages)

    @safe_callback(messages="resume_messages")
    def _new_code(self, _button=None) -> None:
        from dataclasses import replace

        from kit.apps.identity import session_cookie_script

        code = self.model.new_resume_code()
        self.visitor = replace(self.visitor, resume_code=code)
        # This browser keeps opening the work with the new code until it is closed; a
        # "remember me" with the old code is overwritten.
        self.scripts.run(session_cookie_script(code))
        self._show_resume(self.visitor)
        self.resume_messages.success(_(
            "Your new resume code is shown above. Write it down: the old code no longer "
            "opens your work."))

    def _copies_note(self) -> list:
        """Say which copies of this person's data the kit wrote earlier, and offer to delete
        their exports and reports along with the rest."""
        import html

        copies = self.model.copies()
        theirs = [c for c in copies if c.theirs]
        backups = [c for c in copies if not c.theirs]
        self.delete_copies = W.Checkbox(
            value=False, indent=False,
            description=_("Also delete the exports and reports of my data that the kit saved"),
            disabled=not theirs, layout=W.Layout(display="" if theirs else "none"),
        )
        if not copies:
            return [self.delete_copies]
        items = "".join(f"<li>{html.escape(_describe(c))}</li>" for c in theirs)
        text = ""
        if theirs:
            text += ("<p>" + html.escape(_("The kit saved these copies of your data earlier. "
                                           "Erasing removes you from the database, not from "
                                           "these files:")) + f"</p><ul>{items}</ul>")
        if backups:
            text += ("<p>" + html.escape(ngettext(
                "{n} backup of the whole database made by whoever runs the kit also holds your "
                "data; it is kept under the kit's retention rules.",
                "{n} backups of the whole database made by whoever runs the kit also hold your "
                "data; they are kept under the kit's retention rules.",
                len(backups)).format(n=len(backups))) + "</p>")
        return [W.HTML(text), self.delete_copies]

    @safe_callback(messages="about_messages")
    def _save_about(self, _button=None) -> None:
        self.about.show(self.model.update_about(**self.about.raw))
        self.about_messages.success(_("Saved: group results from now on use these details."))

    def _summary_html(self) -> str:
        rows = "".join(f"<tr><th scope='row' style='text-align:left;vertical-align:top;"
                       f"padding-right:1em'>{html.escape(head)}</th><td>{html.escape(text)}</td></tr>"
                       for head, text in self.model.summary())
        caption = html.escape(_("What the kit holds about you"))
        return ("<table class='kit-table kit-my-data-summary'><caption style='text-align:left'>"
                f"<strong>{caption}</strong></caption><tbody>{rows}</tbody>"
                "</table>")

    @safe_callback(messages="prepare_messages")
    def _prepare(self, _button=None) -> None:
        self.download.set(self.model.export_json(), "my-partnering-kit-data.json",
                          "application/json", _("Download my data (JSON)"))
        self.prepare_messages.success(_("Your file is ready: use the download link."))

    @safe_callback(messages="erase_messages")
    def _erase(self, _button=None) -> None:
        gone = self.model.erase(self.confirm.value, delete_copies=self.delete_copies.value is True)
        self.download.clear()
        self.delete_copies.disabled = True
        self.summary.value = ("<p><strong>"
                              + html.escape(_("The kit holds nothing about you any more."))
                              + "</strong></p>")
        for w in (self.prepare, self.confirm, self.erase, self.save_about):
            w.disabled = True
        self.resume_box.children = ()
        with self.out:  # the browser should forget the code too
            display(HTML(f"<script>{forget_me_script()}</script>"))
        text = _("Your data has been erased. If this browser remembered your resume code, "
                 "that code no longer opens anything.")
        if gone:
            text += " " + ngettext("The {n} saved copy of it went too.",
                                   "The {n} saved copies of it went too.",
                                   len(gone)).format(n=len(gone))
        self.erase_messages.success(text)


#: What each kind of saved copy is called on the page.
_KINDS = {"export": N_("export"), "report": N_("personal report"),
          "backup": N_("backup of the database")}


def _describe(copy) -> str:
    """One saved copy in words: its file, what it is and when it was written."""
    what = _(_KINDS[copy.kind]) if copy.kind in _KINDS else copy.kind
    if copy.written_at:
        return _("{path} ({what}, written {date})").format(path=copy.path, what=what,
                                                          date=copy.written_at[:10])
    return _("{path} ({what})").format(path=copy.path, what=what)
