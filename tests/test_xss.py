"""Hostile text never reaches a page as markup.

Payloads go into everything a person or a trainer can type (display names, organisations,
group and cohort names, reflections, commitments, notes, partnership map labels, framework
and exercise YAML text) and every app, the facilitator dashboard, both reports and the chart
HTML are checked: no payload appears unescaped in any HTML string of any widget in the tree,
and no ``javascript:`` URL appears in an attribute.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from review_support import (
    MARKUP_PAYLOADS,
    PAYLOADS,
    assert_safe_html,
    assert_tree_safe,
    hostile_cohort,
    hostile_participant,
    html_values,
    poisoned_exercises,
    poisoned_framework,
)

from kit.apps.action_plan import ActionPlanApp
from kit.apps.journal import JournalApp
from kit.apps.my_data import MyDataApp
from kit.apps.my_report import MyReportApp
from kit.apps.partnership import PartnershipApp
from kit.apps.self_assessment import SelfAssessmentApp
from kit.apps.start import StartApp


@pytest.fixture(scope="module")
def person(tmp_path_factory):
    w = hostile_participant(f"sqlite:///{tmp_path_factory.mktemp('xss') / 'kit.db'}")
    yield w
    w.store.close()


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    c = hostile_cohort(f"sqlite:///{tmp_path_factory.mktemp('xssc') / 'kit.db'}")
    yield c
    c.store.close()


@pytest.fixture(scope="module")
def bad_fw():
    return poisoned_framework()


def test_payloads_reach_the_pages_at_all(person):
    """The checks below mean something only if the hostile text is on screen, escaped."""
    app = JournalApp(person.store, person.visitor)
    text = "\n".join(v for _n, v in html_values(app))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "{{7*7}}" in text  # shown literally, never evaluated


@pytest.mark.parametrize("cls", [StartApp, SelfAssessmentApp, JournalApp, PartnershipApp,
                                 ActionPlanApp, MyReportApp, MyDataApp])
def test_participant_apps_escape_user_and_content_text(person, bad_fw, cls):
    kwargs = {}
    if cls is JournalApp:
        kwargs = {"framework": bad_fw, "exercises": poisoned_exercises()}
    elif cls in (StartApp, SelfAssessmentApp, ActionPlanApp):
        kwargs = {"framework": bad_fw}
    app = cls(person.store, person.visitor, **kwargs)
    assert_tree_safe(app)


def test_journal_writer_and_entries_escape(person, bad_fw):
    app = JournalApp(person.store, person.visitor, framework=bad_fw,
                     exercises=poisoned_exercises())
    for option in app.choice.options[:3]:
        app.choice.value = option[1]
        app._start()
        assert_tree_safe(app)
        app.prompt.text.value = " ".join(PAYLOADS)
        app._next()
        assert_tree_safe(app)
    app._save()
    assert app.messages.kind == "success"
    assert_tree_safe(app)


def test_self_assessment_form_steps_escape_content(person, bad_fw):
    from kit.apps.self_assessment_model import SelfAssessmentModel

    app = SelfAssessmentApp(person.store, person.visitor, framework=bad_fw)
    app.model = SelfAssessmentModel(person.store, person.pid, bad_fw, person.round,
                                    save_drafts=False)
    app.show_form()
    for _ in range(app.model.n_steps):
        assert_tree_safe(app)
        app.model.step = min(app.model.step + 1, app.model.n_steps - 1)
        app.render_step()


def test_personal_report_escapes(person, bad_fw):
    from kit.report.personal import personal_report_html

    page = personal_report_html(person.store, person.pid, today=person.today)
    assert_safe_html(page, "personal report")
    assert "{{7*7}}" in page


def test_facilitator_dashboard_escapes_every_view_and_scope(cohort):
    from kit.analysis.cohort import VIEWS
    from kit.apps.facilitator import FacilitatorDashboard

    dash = FacilitatorDashboard(cohort.store)
    dash.key.value = cohort.created.facilitator_key
    dash._open_with_key()
    assert dash.model.is_open, dash.messages.text
    assert_tree_safe(dash)
    for group in [v for _l, v in dash.model.group_choices()]:
        dash.group_picker.value = group
        for view in VIEWS:
            dash.view_picker.value = view.id
            assert dash.messages.kind != "error", dash.messages.text
            assert_tree_safe(dash)
        dash.view_picker.value = "profile"
        for _label, value in dash.filter_picker.options:
            dash.filter_picker.value = value
            assert_tree_safe(dash)
    dash.view_picker.value = "free_text"
    shown = "\n".join(v for _n, v in html_values(dash))
    assert "Shared 0 &lt;script&gt;" in shown  # 12 people: the answers are shown, escaped
    dash.session_toggle.value = True
    for _ in range(4):
        assert_tree_safe(dash)
        dash._next()


def test_group_report_and_tables_escape(cohort):
    from kit.analysis.cohort import CohortData
    from kit.analysis.privacy import ALL_GROUPS
    from kit.report.group import all_tables, csv_bytes, report_page

    data = CohortData.from_store(cohort.store, cohort.created.cohort_id)
    for group in (ALL_GROUPS, cohort.groups[0]):
        page = report_page(data, group)
        assert_safe_html(page, f"group report {group}")
        assert "Shared 1 &lt;script&gt;" in page or group != ALL_GROUPS
        for name, table in all_tables(data, group).items():
            text = csv_bytes(table).decode()
            assert "<" not in name and "javascript:" not in name.lower()
            assert "=" != text[:1], name


def test_chart_html_keeps_user_text_inside_json(cohort, person):
    """Standalone chart HTML: titles and descriptions escaped, data cannot close the script."""
    from kit.analysis.cohort import CohortData
    from kit.charts.display import chart_div
    from kit.charts.network import network_chart
    from kit.views import view_charts

    data = CohortData.from_store(cohort.store, cohort.created.cohort_id)
    items = list(view_charts(data, "breakdown", group=cohort.groups[0], round=None,
                             sort="framework", by="organisation", filter=None))
    items += list(view_charts(data, "change", group=cohort.groups[0], round=None,
                              sort="framework", by="organisation", filter=None))
    items.append(network_chart(person.store.list_relationships(person.pid)))
    assert items
    carried = set()
    for item in items:
        html_text = chart_div(item)
        assert_safe_html(html_text, f"chart {item.title}")
        # The spec still carries the text as data (Vega draws it as text, not markup), and
        # the page carries it only in the form that cannot close the <script> holding it.
        spec = json.dumps(item.chart.to_dict(), sort_keys=True)
        for p in MARKUP_PAYLOADS:
            as_json = json.dumps(p)[1:-1]
            if as_json not in spec:
                continue
            carried.add(p)
            inert = (as_json.replace("<", "\\u003c").replace(">", "\\u003e")
                     .replace("&", "\\u0026"))
            assert inert in html_text, (item.title, p)
    # The partnership map's labels and the organisations are payloads: if no chart carried
    # one, the checks above tested nothing.
    assert carried, "no chart carried the hostile text"


def test_message_area_and_chart_widget_escape():
    import altair as alt
    import pandas as pd

    from kit.charts._theme import ChartWithText
    from kit.charts.display import chart_widget
    from kit.forms import MessageArea

    area = MessageArea()
    for p in PAYLOADS:
        area.error(p, items=[p])
        assert_safe_html(area.value, "message area")
    chart = alt.Chart(pd.DataFrame({"x": [1]})).mark_point().encode(x="x:Q")
    box = chart_widget(ChartWithText(chart, " ".join(PAYLOADS), title=" ".join(PAYLOADS)))
    assert_tree_safe(box)


def test_csv_cells_cannot_start_a_formula():
    import pandas as pd

    from kit.report.group import csv_bytes

    cells = ["=HYPERLINK(\"http://x\")", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "Fine"]
    text = csv_bytes(pd.DataFrame({"organisation": cells})).decode()
    got = [row[0] for row in csv.reader(io.StringIO(text, newline=""))][1:]
    assert got[-1] == "Fine"
    assert len(got) == len(cells), got  # no cell split into two rows
    assert all(v.startswith("'") and v[1:] == c.replace("\r", "\n")
               for v, c in zip(got[:-1], cells[:-1], strict=True)), got
