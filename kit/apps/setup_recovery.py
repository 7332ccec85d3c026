"""The set-up page's section for a lost facilitator key or join sheet, and the small widget
helpers the whole page uses.

:class:`SetupRecovery` is mixed into :class:`kit.apps.setup.SetupApp`; it reads the page's
``model`` (:class:`kit.apps.setup_model.SetupModel`) and ``address`` box, and reports with the
app frame's :meth:`~kit.apps._frame.AppFrame.fail`.
"""

from __future__ import annotations

import html

import ipywidgets as W

from kit.apps.join_links import address_problem
from kit.forms.callbacks import safe_callback
from kit.forms.download import DownloadLink
from kit.forms.messages import MessageArea
from kit.i18n import _, ngettext

__all__ = ["SetupRecovery"]

_LABEL = {"description_width": "initial"}
_WIDE = W.Layout(width="100%", max_width="34em")


def _html(tag: str, text: str) -> str:
    """``<tag>text</tag>`` with the text escaped."""
    return f"<{tag}>{html.escape(text)}</{tag}>"


def _quoted(name: str) -> str:
    """A name in quotation marks, as messages show it ('Spring 2026')."""
    return repr(str(name))


def _slug(text: str) -> str:
    """A name as a file-name part: ``"North East" -> "north-east"``."""
    keep = "".join(c.lower() if c.isalnum() else "-" for c in str(text))
    return "-".join(p for p in keep.split("-") if p) or "group"


def _button(description: str, tooltip: str, style: str = "") -> W.Button:
    return W.Button(description=description, tooltip=tooltip, button_style=style,
                    layout=W.Layout(width="auto"))


class SetupRecovery:
    """The "Lost a key or a join sheet?" section: issue new keys and codes with the set-up key."""

    def _recovery(self) -> list:
        """Lost a facilitator key or a join sheet: issue new ones with the set-up key."""
        self.recover_cohort = W.Dropdown(description=_("Cohort"), style=_LABEL,
                                         layout=_WIDE, options=self.model.cohort_choices())
        self.recover_group = W.Dropdown(description=_("Group"), style=_LABEL, layout=_WIDE)
        self.recover_cohort.observe(self._recover_groups, names="value")
        self._recover_groups()
        new_key = _button(_("Issue a new facilitator key"),
                          _("The old facilitator key of this cohort stops working"))
        new_key.on_click(self._new_key)
        new_code = _button(_("Replace this group's join code"),
                           _("The group's old join code stops working; its members stay"))
        new_code.on_click(self._new_code)
        extra_code = _button(_("Issue an extra join code for this group"),
                             _("One more code for the same group; its other codes keep working"))
        extra_code.on_click(self._extra_code)
        #: what each recovery act said, right after its own button
        self.key_recover_messages = MessageArea()
        self.code_messages = MessageArea()
        self.extra_messages = MessageArea()
        self.recover_area = W.VBox()
        #: the group's codes and every code or key issued for the cohort, as recorded
        self.codes_note = W.HTML()
        self.codes_note.add_class("kit-code-history")
        self.recover_cohort.observe(self._show_code_history, names="value")
        self._show_code_history()
        intro = _("With the set-up key you can replace a lost facilitator key or a group's join "
                  "code (the old one stops working at once), or issue an extra join code for a "
                  "group (its other codes keep working, for a sheet already handed out). Join "
                  "codes are kept only in a scrambled form, so none can be shown again: issue "
                  "a new or an extra one instead. Nothing anyone entered changes, and each act "
                  "is recorded below and on the dashboard.")
        return [W.HTML(_html("h2", _("Lost a key or a join sheet?")) + _html("p", intro)),
                self.recover_cohort, new_key, self.key_recover_messages,
                self.recover_group, new_code, self.code_messages, extra_code,
                self.extra_messages, self.recover_area, self.codes_note]

    @safe_callback
    def _recover_groups(self, _change=None) -> None:
        cid = self.recover_cohort.value
        names = self.model.group_names(cid) if cid is not None else []
        self.recover_group.options = names
        # a drop-down given new options picks none: the first group is the one shown
        self.recover_group.value = names[0] if names else None

    @safe_callback
    def _show_code_history(self, _change=None) -> None:
        cid = self.recover_cohort.value
        if cid is None:
            self.codes_note.value = ""
            return
        counts = self.model.code_counts(cid)
        said = "".join(f"<li>{html.escape(s)}</li>" for s in [
            ngettext("{group}: {n} join code works", "{group}: {n} join codes work", n).format(
                group=g, n=n) for g, n in counts.items()])
        history = self.model.code_history(cid)
        done = ("<ul>" + "".join(f"<li>{html.escape(h)}</li>" for h in history) + "</ul>"
                if history else _html("p", _("No key or code has been reissued for this "
                                             "cohort.")))
        self.codes_note.value = (_html("h3", _("Codes of {cohort}").format(
            cohort=self.recover_cohort.label)) + f"<ul>{said}</ul>"
            + _html("h3", _("Issued with the set-up key")) + done)

    def _recover(self, action, area) -> None:
        for a in (self.key_recover_messages, self.code_messages, self.extra_messages):
            a.clear()
        try:
            action()
        except Exception as exc:  # noqa: BLE001 - shown beside the button, as safe_callback does
            self.fail(exc, area, doing="issue a new code",
                      lost=f"a new code or key for cohort {self.recover_cohort.value!r}")
            return
        self._show_code_history()

    def _new_key(self, _event=None) -> None:
        def act():
            key = self.model.new_facilitator_key(self.recover_cohort.value)
            self.recover_area.children = (W.HTML(
                "<div class='kit-facilitator-key' role='note' style='border:2px solid #0072B2;"
                "padding:0.6em 1em;margin:0.5em 0'>"
                + _html("p", _("New facilitator key for {cohort}:").format(
                    cohort=self.recover_cohort.label))
                + "<p style='font-size:1.4em;font-family:monospace;letter-spacing:0.08em'>"
                f"<strong class='kit-key-value'>{html.escape(key)}</strong></p>"
                + _html("p", _("This is shown only now. Write it down: the old key no longer "
                               "opens the dashboard.")) + "</div>"),)
            self.key_recover_messages.success(_(
                "A new facilitator key is issued for {cohort}: it is shown below.").format(
                cohort=_quoted(self.recover_cohort.label)))
        self._recover(act, self.key_recover_messages)

    def _new_code(self, _event=None) -> None:
        def act():
            group = self.model.new_join_code(self.recover_cohort.value,
                                             self.recover_group.value, self.address.value)
            self._show_sheet(group)
            self.code_messages.success(_(
                "A new join code is issued for group {group}: its old code no longer joins. "
                "Save the sheet below now: the code cannot be shown again.").format(
                group=_quoted(group.group)))
        self._recover(act, self.code_messages)

    def _extra_code(self, _event=None) -> None:
        def act():
            group = self.model.extra_join_code(self.recover_cohort.value,
                                               self.recover_group.value, self.address.value)
            self._show_sheet(group)
            self.extra_messages.success(_(
                "An extra join code is issued for group {group}: its other codes still join. "
                "Save the sheet below now: the code cannot be shown again.").format(
                group=_quoted(group.group)))
        self._recover(act, self.extra_messages)

    def _show_sheet(self, group) -> None:
        """The join sheet of one group's new code: a download, and the sheet on the page."""
        from kit.report.join_sheet import join_sheet_html

        page = join_sheet_html(self.recover_cohort.label, [group])
        link = DownloadLink()
        link.set(page.encode("utf-8"), f"join-sheet-{_slug(group.group)}.html", "text/html",
                 _("Save the join sheet for this group (HTML, to print)"))
        warning = address_problem(self.address.value)
        self.recover_area.children = (
            *((W.HTML("<div role='alert' class='kit-message kit-message-warning'>"
                      + _html("p", warning) + "</div>"),) if warning else ()),
            link,
            W.HTML(join_sheet_html(self.recover_cohort.label, [group], standalone=False)))
