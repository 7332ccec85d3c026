"""The partnership map app: who you work with, drawn around you, with figures beside it."""

from __future__ import annotations

import html

import altair  # noqa: F401 - imported early so a preheated kernel pays for it
import ipywidgets as W
import networkx  # noqa: F401

from kit.apps._base import ParticipantApp, app_link
from kit.apps.autosave import draft_class, forget_drafts_script
from kit.apps.partnership_model import CONTACT_CHOICES, SECTORS, PartnershipModel
from kit.charts.display import chart_widget
from kit.charts.network import network_chart
from kit.config import get_settings
from kit.forms import RadioGroup, safe_callback
from kit.i18n import N_, _

__all__ = ["PartnershipApp"]

_NEW = "__new__"
#: Drafts of someone new, kept in the tab until added.
NEW_LABEL, NEW_ORGANISATION = "new-person-name", "new-person-organisation"
#: The form's main button, for someone new and for someone already on the map.
ADD_LABEL = N_("Add person")
EDIT_LABEL = N_("Save changes")


class PartnershipApp(ParticipantApp):
    """Add, edit and remove people; see the map and its figures."""

    app_title = N_("Partnership map")
    notebook = "03_partnership_map.ipynb"

    def __init__(self, store, visitor=None, *, today=None, **kwargs):
        self.today = today or get_settings().today
        super().__init__(store, visitor, **kwargs)

    def __repr__(self) -> str:
        return "<Partnership map>"

    #: a person was just added and nothing typed since: a second tap on Add is ignored
    _just_added = False

    def build(self, visitor) -> list:
        self.model = PartnershipModel(self.store, visitor.participant_id, self.today)
        style = {"description_width": "initial"}
        self.pick = W.Dropdown(description=_("Person"), style=style)
        self.pick.observe(self._picked, names="value")
        self.label = W.Text(description=_("Name or role"), style=style)
        self.organisation = W.Text(description=_("Organisation"), style=style)
        self.sector = W.Dropdown(options=[(_(s), s) for s in SECTORS], description=_("Sector"),
                                 style=style)
        self.contact = W.Dropdown(options=[(_(label), v) for label, v in CONTACT_CHOICES],
                                  description=_("How often you are in touch"), style=style)
        # Radio groups rather than sliders: each is one named group a screen reader announces,
        # moved with the arrow keys, every choice visible.
        scale = [(str(i), i) for i in range(1, 6)]
        self.strength = RadioGroup(options=scale, value=3,
                                   description=_("How strong the tie is (1 weak, 5 strong)"))
        self.trust = RadioGroup(options=scale, value=3,
                                description=_("How much you trust them (1 little, "
                                              "5 completely)"))
        # The button says what it will do: add someone new, or change the person chosen above.
        self.save = W.Button(description=_(ADD_LABEL), button_style="primary",
                             tooltip=_("Add this person to your map"),
                             layout=W.Layout(width="auto"))
        self.save.on_click(self._save)
        # What Save will store, in words, as the kernel has it: the person sees it before
        # pressing, and a keyboard user (or a test) can wait for it on a slow connection.
        self.summary = W.HTML()
        for field in (self.pick, self.label, self.organisation, self.strength, self.trust):
            field.observe(self._show_summary, names="value")
        self.remove = W.Button(description=_("Remove from map"),
                               tooltip=_("Remove this person"),
                               layout=W.Layout(width="auto"))
        self.remove.on_click(self._remove)
        self.chart_box = W.VBox()
        self.figures = W.HTML()
        plan = app_link("04_action_plan.ipynb", _("action plan"))
        prompts = W.HTML(
            "<h2>" + html.escape(_("To think about")) + "</h2><ul><li>"
            + _("Which of these relationships would carry you through a difficult moment? "
                "Building relationships before they are needed is the heart of the "
                "<em>building relationships</em> area.") + "</li><li>"
            + _("Whose workplace have you never visited? <em>Showing up in partners' "
                "spaces</em> starts with a visit.") + "</li><li>"
            + html.escape(_("Which sector is missing from your map altogether?"))
            + "</li></ul><p>"
            + html.escape(_("Turn one of these into a commitment in your {plan}.")).format(
                plan=plan) + "</p>")
        self.pick.layout = W.Layout(width="auto", min_width="24em")
        how = _("To add someone, leave <em>Person</em> on <em>Someone new</em>. To change "
                "someone already on your map, choose them under <em>Person</em> first.")
        form = W.VBox([W.HTML("<h2>" + html.escape(_("Add or change someone")) + "</h2>"
                              f"<p>{how}</p>"),
                       self.pick, self.label,
                       self.organisation, self.sector, self.contact, self.strength, self.trust,
                       self.summary, W.HBox([self.save, self.remove])])
        self.refresh()
        intro = ("<p>" + html.escape(_("Map the people you work with in other organisations. "
                                       "Use first names, initials or roles: this map is "
                                       "private to you.")) + "</p>")
        return [W.HTML(intro), form, self.chart_box, self.figures, prompts]

    def refresh(self, select=_NEW) -> None:
        rels = self.model.relationships()
        self._rels = {r.id: r for r in rels}
        opts = [(_("Someone new"), _NEW)] + [
            ("{} ({})".format(r.label, r.organisation or (_(r.sector) if r.sector else "")), r.id)
            for r in rels]
        self.pick.options = opts
        self.pick.value = select if select in self._rels or select == _NEW else _NEW
        self._load_pick()
        figures = self.model.figures()
        self.chart_box.children = (chart_widget(network_chart(rels, figures=figures)),)
        self.figures.value = ("<h2>" + html.escape(_("Your figures")) + "</h2><ul>"
                              + "".join(f"<li>{html.escape(s)}</li>" for s in figures.sentences())
                              + "</ul>")

    def _load_pick(self) -> None:
        r = self._rels.get(self.pick.value)
        self.remove.disabled = r is None
        self.save.description = _(ADD_LABEL) if r is None else _(EDIT_LABEL)
        self.save.tooltip = (_("Add this person to your map") if r is None
                             else _("Save the changes to {name}").format(name=r.label))
        if r is None:
            self.label.value, self.organisation.value = "", ""
            self.sector.value = SECTORS[0]
            self.contact.value = CONTACT_CHOICES[0][1]
            self.strength.value = self.trust.value = 3
        else:
            self.label.value, self.organisation.value = r.label, r.organisation or ""
            if r.sector in SECTORS:
                self.sector.value = r.sector
            self.contact.value = r.contact
            self.strength.value, self.trust.value = r.strength, r.trust
        # Someone new is kept in this tab as it is typed until added (a reload brings it
        # back); changes to someone already on the map are not. Last, after the values.
        for field, name in ((self.label, NEW_LABEL), (self.organisation, NEW_ORGANISATION)):
            (field.add_class if r is None else field.remove_class)(draft_class(name))

    def _show_summary(self, _change=None) -> None:
        name = self.label.value.strip()
        if not name:
            self.summary.value = ""
            return
        who = name if not self.organisation.value.strip() else _("{name}, {organisation}").format(
            name=name, organisation=self.organisation.value.strip())
        text = (_("Save adds {who} to your map: tie {strength} of 5, trust {trust} of 5.")
                if self.pick.value == _NEW else
                _("Save keeps {who}: tie {strength} of 5, trust {trust} of 5."))
        self.summary.value = "<p class='kit-hint'>{}</p>".format(html.escape(text.format(
            who=who, strength=self.strength.value, trust=self.trust.value)))

    @safe_callback
    def _picked(self, _change=None) -> None:
        self._load_pick()

    def _fields(self) -> dict:
        return dict(label=self.label.value, organisation=self.organisation.value,
                    sector=self.sector.value, contact=self.contact.value,
                    strength=self.strength.value, trust=self.trust.value)

    @safe_callback
    def _save(self, _button=None) -> None:
        # Either way the form goes back to "Someone new", so that the next person typed is
        # added beside this one and never written over it.
        fields = self._fields()
        if self.pick.value == _NEW and not fields["label"].strip() and self._just_added:
            return  # a second tap on Add after adding: the success stays on screen
        self.messages.clear()  # so the message below is new even when it repeats
        self._just_added = False
        if self.pick.value == _NEW:
            self.model.add(**fields)
            self._just_added = True
            self.scripts.run(forget_drafts_script(NEW_LABEL, NEW_ORGANISATION))
            done = _("Added {name} to your map. The form is ready for someone new.").format(
                name=fields["label"].strip())
        else:
            self.model.edit(self.pick.value, **fields)
            done = _("Changes to {name} saved. The form is ready for someone new.").format(
                name=fields["label"].strip())
        self.refresh()
        # Last, once the form, chart and figures are redrawn: a person (or a test) who acts on
        # this message never types into a form that is still being reset.
        self.messages.success(done)

    @safe_callback
    def _remove(self, _button=None) -> None:
        if self.pick.value == _NEW:
            return
        self.model.remove(self.pick.value)
        self.messages.success(_("Removed from your map."))
        self.refresh()
