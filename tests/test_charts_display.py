"""Chart widgets offline: the bundle inline outside ``kit serve``, a small loader under it."""

from __future__ import annotations

import json
import subprocess
import sys

import altair as alt
import pandas as pd
import pytest

from kit.charts import display
from kit.charts._theme import ChartWithText

FAKE_BUNDLE = "const render = () => {};\nexport default { render };\n"
URL = "voila/templates/kit/static/vendor/jupyterchart-test.js"


@pytest.fixture
def fake_bundle(monkeypatch):
    """No vl-convert build: the bundle is a two-line module; JupyterChart restored after."""
    monkeypatch.setattr(display, "chart_bundle", lambda: FAKE_BUNDLE)
    monkeypatch.setattr(alt.JupyterChart, "_esm", alt.JupyterChart._esm)
    monkeypatch.setattr(alt.JupyterChart, "_is_offline", False)
    monkeypatch.setattr(display, "_served_classes", {})


def _item() -> ChartWithText:
    data = pd.DataFrame({"area": ["A", "B"], "score": [3.0, 4.0]})
    chart = alt.Chart(data).mark_bar().encode(x="score:Q", y="area:N")
    return ChartWithText(chart=chart, title="Scores", description="B scores higher than A.")


def _chart_in(box):
    return next(w for w in box.children if isinstance(w, alt.JupyterChart))


def test_loader_imports_the_bundle_relative_to_the_base_url_and_re_exports_it():
    esm = display.loader_esm(URL)
    assert json.dumps(URL) in esm
    assert "jupyter-config-data" in esm and "baseUrl" in esm
    assert "m.default.render(ctx)" in esm  # Altair's render, wrapped to follow the box's width
    assert "ResizeObserver" in esm
    assert "http" not in esm  # resolved in the browser, never a fixed host
    assert len(esm) < 1500


@pytest.mark.parametrize("bad", [
    "/voila/templates/kit/static/x.js",        # absolute
    "voila/../../etc/x.js",                    # climbs out
    "voila/x.js'); alert(1); ('",              # breaks out of the string
    "https://cdn.example.org/x.js",            # leaves the machine
    "voila/templates/kit/static/x.css",        # not a module
])
def test_loader_refuses_an_address_that_is_not_a_plain_relative_js_path(bad):
    with pytest.raises(ValueError, match="KIT_CHART_BUNDLE_URL"):
        display.loader_esm(bad)


def test_outside_kit_serve_the_bundle_is_sent_inline(fake_bundle, monkeypatch):
    monkeypatch.delenv(display.BUNDLE_URL_ENV, raising=False)
    assert display.chart_class() is alt.JupyterChart
    box = display.chart_widget(_item())
    chart = _chart_in(box)
    # (traitlets' add_traits gives each instance a subclass of its own, hence the MRO check)
    assert type(chart).__mro__[1] is alt.JupyterChart
    assert chart._esm == display.inline_esm(FAKE_BUNDLE)
    assert json.dumps(FAKE_BUNDLE) in chart._esm


def test_under_kit_serve_each_chart_carries_only_the_loader(fake_bundle, monkeypatch):
    monkeypatch.setenv(display.BUNDLE_URL_ENV, URL)
    cls = display.chart_class()
    assert issubclass(cls, alt.JupyterChart) and cls is not alt.JupyterChart
    assert display.chart_class() is cls  # one class per address
    box = display.chart_widget(_item())
    chart = _chart_in(box)
    assert isinstance(chart, cls)
    assert chart._esm == display.loader_esm(URL)
    assert chart.spec["mark"]["type"] == "bar"
    # The base class is left alone: a plain JupyterChart in the same kernel still works.
    assert alt.JupyterChart._esm != chart._esm
    # The text description is still beside the chart.
    assert any("B scores higher than A." in getattr(w, "value", "") for w in box.children)


def test_publish_writes_the_bundle_once_under_a_versioned_name(fake_bundle, tmp_path):
    path = display.publish_chart_bundle(tmp_path / "vendor")
    assert path.name == display.chart_bundle_name()
    assert path.name.startswith("jupyterchart-altair-") and path.suffix == ".js"
    assert path.read_text(encoding="utf-8") == FAKE_BUNDLE
    stamp = path.stat().st_mtime_ns
    assert display.publish_chart_bundle(tmp_path / "vendor") == path
    assert path.stat().st_mtime_ns == stamp  # not rewritten
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary left


def test_publish_into_an_unwritable_place_raises_oserror(fake_bundle, tmp_path):
    blocker = tmp_path / "vendor"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(OSError):
        display.publish_chart_bundle(blocker)


def test_kit_apps_skips_the_slow_iri_grammar_and_validation_still_works():
    code = (
        "import sys, kit.apps\n"
        "import jsonschema, altair as alt, pandas as pd\n"
        "from kit.content import load_framework\n"
        "assert sys.modules['rfc3987_syntax'] is None\n"
        "assert 'iri' not in jsonschema.FormatChecker.checkers\n"
        "load_framework('collaboration-behaviours')\n"
        "try:\n"
        "    jsonschema.validate({'a': 'x'}, {'properties': {'a': {'type': 'integer'}}})\n"
        "except jsonschema.ValidationError:\n"
        "    pass\n"
        "else:\n"
        "    raise SystemExit('jsonschema accepted a bad instance')\n"
        "alt.Chart(pd.DataFrame({'x': [1]})).mark_point().encode(x='x:Q').to_dict()\n"
        "try:\n"
        "    alt.Chart(pd.DataFrame({'x': [1]})).mark_point().encode(x='x:Q')"
        ".properties(width='wide').to_dict()\n"
        "except Exception:\n"
        "    print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=False, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_sector_colours_stay_fixed_when_a_sector_is_added():
    """Issue 18: a sector keeps its colour on the partnership map whatever else is added."""
    from kit.charts.network import network_chart

    def colours(rels):
        spec = network_chart(rels).chart.to_dict()
        for layer in spec["layer"]:
            color = layer.get("encoding", {}).get("color")
            if color and "scale" in color:
                return dict(zip(color["scale"]["domain"], color["scale"]["range"], strict=True))
        raise AssertionError("no sector colours")

    base = [dict(id=1, label="A", organisation="", sector="Housing", contact="weekly",
                 strength=3, trust=2)]
    more = base + [dict(id=2, label="B", organisation="", sector="Adult social care",
                        contact="weekly", strength=4, trust=5)]
    assert colours(base)["Housing"] == colours(more)["Housing"]
    assert colours(more)["Housing"] != colours(more)["Adult social care"]
