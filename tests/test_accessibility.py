"""Every control of every app is labelled, every button has text, every chart has words.

Builds each participant app (signed out and signed in, with its forms opened) and the
facilitator dashboard (every view, and the facilitated session) on the demo cohort, then walks
the widget tree:

* each interactive control has a non-empty ``description`` or ``tooltip`` (what a screen
  reader announces);
* each button has visible text, not only an icon;
* each accordion section has a title;
* each chart sits in a box beside its text description (``kit.charts.display.chart_widget``).
"""

from __future__ import annotations

import ipywidgets as W
import pytest
from review_support import walk

from kit.apps.action_plan import ActionPlanApp
from kit.apps.identity import SignInModel
from kit.apps.journal import JournalApp
from kit.apps.my_data import MyDataApp
from kit.apps.my_report import MyReportApp
from kit.apps.partnership import PartnershipApp
from kit.apps.self_assessment import SelfAssessmentApp
from kit.apps.start import StartApp

CONTROLS = (W.ToggleButtons, W.ToggleButton, W.Dropdown, W.Select, W.SelectMultiple,
            W.RadioButtons, W.Combobox, W.Text, W.Textarea, W.Password, W.DatePicker,
            W.Button, W.Checkbox, W.IntSlider, W.FloatSlider, W.IntText, W.FloatText,
            W.BoundedIntText, W.FileUpload, W.ColorPicker)
APPS = (StartApp, SelfAssessmentApp, JournalApp, PartnershipApp, ActionPlanApp, MyReportApp,
        MyDataApp)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from kit.config import get_settings
    from kit.demo import seed_demo
    from kit.store import Store

    data_dir = tmp_path_factory.mktemp("a11y-data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KIT_DATA_DIR", str(data_dir))
        get_settings.cache_clear()
        store = Store(f"sqlite:///{data_dir / 'kit.db'}")
        codes = seed_demo(store)
        visitor = SignInModel(store).resume(codes.resume_code)
        yield store, codes, visitor
        store.close()
    get_settings.cache_clear()


def problems(tree) -> list[str]:
    """Every accessibility gap in a widget tree, described."""
    out = []
    for w in walk(tree):
        name = type(w).__name__
        if isinstance(w, CONTROLS):
            label = (getattr(w, "description", "") or "").strip()
            tip = (getattr(w, "tooltip", "") or "").strip()
            if not label and not tip:
                out.append(f"{name} (value {getattr(w, 'value', None)!r}) has no label")
            if isinstance(w, W.Button) and not label:
                out.append(f"Button with tooltip {tip!r} has no visible text")
        if isinstance(w, W.Accordion):
            for i in range(len(w.children)):
                if not (w.get_title(i) or "").strip():
                    out.append(f"Accordion section {i} has no title")
        if isinstance(w, W.Box):
            kids = list(w.children)
            charts = [k for k in kids if type(k).__name__ == "JupyterChart"]
            described = any(isinstance(k, W.HTML) and "kit-chart-description" in k.value
                            and "In words:" in k.value for k in kids)
            if charts and not described:
                out.append(f"{len(charts)} chart(s) in a {name} without a text description")
    return out


def chart_count(tree) -> int:
    return sum(type(w).__name__ == "JupyterChart" for w in walk(tree))


@pytest.mark.parametrize("cls", APPS)
def test_signed_out_apps_are_labelled(demo, cls):
    store, _codes, _visitor = demo
    assert problems(cls(store, None)) == []


@pytest.mark.parametrize("cls", APPS)
def test_signed_in_apps_are_labelled(demo, cls):
    store, _codes, visitor = demo
    app = cls(store, visitor)
    assert problems(app) == []


def test_self_assessment_form_and_profile_are_labelled(demo):
    store, _codes, visitor = demo
    app = SelfAssessmentApp(store, visitor)
    app._again()  # the form
    for _ in range(app.model.n_steps):
        assert problems(app) == []
        app.model.step = min(app.model.step + 1, app.model.n_steps - 1)
        app.render_step()
    app.show_profile()
    assert chart_count(app) >= 1
    assert problems(app) == []


def test_journal_writer_is_labelled(demo):
    store, _codes, visitor = demo
    app = JournalApp(store, visitor)
    app._start()
    assert app.prompt is not None
    assert problems(app) == []


def test_partnership_map_has_its_description(demo):
    store, _codes, visitor = demo
    app = PartnershipApp(store, visitor)
    assert chart_count(app) == 1
    assert problems(app) == []


def test_facilitator_dashboard_every_view_is_labelled(demo):
    from kit.analysis.cohort import VIEWS
    from kit.apps.facilitator import FacilitatorDashboard

    store, codes, _visitor = demo
    dash = FacilitatorDashboard(store)
    assert problems(dash) == []  # the key prompt
    dash.key.value = codes.facilitator_key
    dash._open_with_key()
    assert dash.model.is_open, dash.messages.text
    charts = 0
    for view in VIEWS:
        dash.view_picker.value = view.id
        assert dash.messages.kind != "error", dash.messages.text
        charts += chart_count(dash)
        assert problems(dash) == [], view.id
    assert charts >= 5
    dash.session_toggle.value = True
    for _ in range(4):
        assert problems(dash) == []
        dash._next()


def test_the_checker_finds_gaps():
    """The walk is only worth something if it notices a missing label."""
    import altair as alt
    import pandas as pd

    chart = alt.JupyterChart(alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q"))
    bad = W.VBox([W.Dropdown(options=["a"]), W.Button(icon="check", tooltip="Tick"),
                  W.VBox([chart]), W.Accordion(children=[W.HTML("x")])])
    found = problems(bad)
    assert len(found) == 4, found
