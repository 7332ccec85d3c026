"""Preload hints (``kit/voila/_preload.py``): an app page names, at its top, the scripts its
first visitors went on to fetch, within fixed bounds, escaped, and only under ``kit serve``."""

from __future__ import annotations

import os
import re

import jinja2
import pytest
from tornado.testing import AsyncHTTPTestCase
from tornado.web import Application
from voila.static_file_handler import MultiStaticFileHandler

from kit.commands.serve import PRELOAD_FILTER, ServeOptions, voila_config
from kit.voila import _network, _preload
from kit.voila._preload import PreloadRegistry, _page_name, preload_links

PAGE = "http://room.example:8866/voila/render/01_self_assessment.ipynb"
TEMPLATE = (
    _preload.__file__.rsplit(os.sep, 1)[0] + "/jupyter/nbconvert/templates/kit/index.html.j2"
)


class Conn:
    """Stands for a browser's connection (Tornado's stream): any weak-referenceable object."""


@pytest.mark.parametrize(
    "referer, name",
    [
        (PAGE, "01_self_assessment"),
        (PAGE + "?lang=cy", "01_self_assessment"),
        ("http://h/base/voila/render/sub/10_facilitator_dashboard.ipynb", "10_facilitator_dashboard"),
        ("http://h/voila/render/", None),
        ("http://h/voila/static/voila.js", None),
        ("http://h/voila/", None),
        ("", None),
        (None, None),
    ],
)
def test_the_page_is_read_from_the_referer(referer, name):
    assert _page_name(referer) == name


def test_a_page_names_what_its_first_visitors_fetched_in_order():
    now = [1000.0]
    reg = PreloadRegistry(learn_seconds=600, clock=lambda: now[0])
    assert reg.rendered("01_self_assessment") == []  # first render: nothing known yet
    assert reg.rendered("01_self_assessment") == []  # a pool renders pages ahead of visitors
    assert reg.learn(PAGE, "/voila/static/voila.js")
    now[0] += 300
    assert reg.learn(PAGE, "/voila/static/7155.voila.js")
    assert not reg.learn(PAGE, "/voila/static/voila.js")  # once only
    assert reg.rendered("01_self_assessment") == [
        ("/voila/static/voila.js", "script"), ("/voila/static/7155.voila.js", "script")]
    # ten minutes after the first script: learning is over, the list is fixed
    now[0] += 301
    assert not reg.learn(PAGE, "/voila/static/late.js")
    assert "/voila/static/late.js" not in reg.urls("01_self_assessment")
    assert len(reg.rendered("01_self_assessment")) == 2


def test_a_notebook_the_server_never_rendered_learns_nothing():
    """A forged Referer cannot create a list for a page that was never served."""
    reg = PreloadRegistry()
    assert not reg.learn("http://h/voila/render/made_up.ipynb", "/voila/static/voila.js")
    assert reg.urls("made_up") == {}
    assert reg.rendered("made_up") == []


def test_lists_are_bounded_in_size_and_number():
    reg = PreloadRegistry(max_urls=3, max_notebooks=2)
    reg.rendered("a")
    for n in range(10):
        reg.learn("http://h/voila/render/a.ipynb", f"/voila/static/{n}.js")
    assert len(reg.urls("a")) == 3
    reg.rendered("b")
    assert reg.rendered("c") == []  # a third notebook gets no list
    assert not reg.learn("http://h/voila/render/c.ipynb", "/voila/static/1.js")


def test_only_paths_on_this_server_are_kept():
    reg = PreloadRegistry()
    reg.rendered("01_self_assessment")
    assert not reg.learn(PAGE, "http://elsewhere.example/x.js")
    assert not reg.learn(PAGE, "//elsewhere.example/x.js")  # another host, as an href
    assert reg.urls("01_self_assessment") == {}
    assert reg.learn(PAGE, "/voila/static/x.js")


def test_a_module_without_a_referer_belongs_to_the_page_of_its_connection():
    """anywidget imports the chart bundle from a blob: module, so the request has no Referer;
    it is put down to the page whose scripts last came over the same connection."""
    reg = PreloadRegistry()
    reg.rendered("01_self_assessment")
    reg.rendered("04_action_plan")
    one, other = Conn(), Conn()
    reg.learn(PAGE, "/voila/static/voila.js", connection=one)
    reg.learn("http://h/voila/render/04_action_plan.ipynb", "/voila/static/voila.js",
              connection=other)
    bundle = "/voila/templates/kit/static/vendor/jupyterchart-altair-6.3.0_vlc-1.9.0.js"
    assert reg.learn(None, bundle, module=True, connection=one)
    assert reg.urls("01_self_assessment")[bundle] == "module"
    assert bundle not in reg.urls("04_action_plan")
    # a connection that carried no page's script gives no page
    assert not reg.learn(None, "/voila/static/other.js", connection=Conn())
    assert not reg.learn(None, "/voila/static/other.js")


def test_a_classic_script_without_a_referer_is_never_learned():
    """A tool fetching files directly (no Referer, no Origin) is not a page: even over a
    connection that carried a page's scripts, what it fetches is not put down to that page."""
    reg = PreloadRegistry()
    reg.rendered("11_facilitator_setup")
    conn = Conn()
    reg.learn("http://h/voila/render/11_facilitator_setup.ipynb", "/voila/static/voila.js",
              connection=conn)
    bundle = "/voila/templates/kit/static/vendor/jupyterchart-altair-6.3.0_vlc-1.9.0.js"
    assert not reg.learn(None, bundle, connection=conn)
    assert not reg.learn("", bundle, connection=conn)
    assert reg.urls("11_facilitator_setup") == {"/voila/static/voila.js": "script"}


def test_the_links_are_escaped_and_module_scripts_use_modulepreload(monkeypatch):
    reg = PreloadRegistry()
    monkeypatch.setattr(_preload, "registry", reg)
    resources = {"metadata": {"name": "01_self_assessment"}}
    assert str(preload_links(resources)) == ""
    reg.learn(PAGE, '/voila/static/a.js?v="><script>alert(1)</script>')
    reg.learn(PAGE, "/voila/static/b.js?v=1&x=2", module=True)
    html = str(preload_links(resources))
    assert "<script>" not in html
    assert '<link rel="preload" as="script" href="/voila/static/a.js?v=&#34;&gt;&lt;script&gt;' in html
    assert '<link rel="modulepreload" href="/voila/static/b.js?v=1&amp;x=2">' in html
    assert str(preload_links({})) == "" and str(preload_links(None)) == ""


def test_the_template_names_them_only_where_the_filter_exists():
    """The kit template guards the call, so a server without ``kit serve``'s configuration
    (plain Voila, JupyterLab's preview) renders the page without hints instead of failing."""
    source = open(TEMPLATE, encoding="utf-8").read()
    [line] = [s for s in source.splitlines() if "kit_preload_links" in s and "{%" in s]
    env = jinja2.Environment()
    resources = {"metadata": {"name": "x"}}
    assert env.from_string(line).render(resources=resources).strip() == ""
    env.filters["kit_preload_links"] = lambda r: "<link rel=preload>"
    assert env.from_string(line).render(resources=resources).strip() == "<link rel=preload>"


def test_kit_serve_registers_the_filter_unless_told_not_to(tmp_path):
    on = voila_config(ServeOptions(tmp_path))
    assert on["TemplateExporter"]["filters"] == {"kit_preload_links": PRELOAD_FILTER}
    module, _, name = PRELOAD_FILTER.rpartition(".")
    assert getattr(__import__(module, fromlist=[name]), name) is preload_links
    off = voila_config(ServeOptions(tmp_path, preload=False))
    assert "TemplateExporter" not in off


def test_the_command_line_switch(tmp_path):
    import argparse

    from kit.commands import serve

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    serve.register(sub)
    args = parser.parse_args(["serve", str(tmp_path), "--no-preload"])
    assert args.preload is False
    assert parser.parse_args(["serve", str(tmp_path)]).preload is True


class TestLearnedThroughTheHandlers(AsyncHTTPTestCase):
    """Through the static handler ``kit serve`` swaps in (``kit/voila/_network.py``)."""

    def setUp(self):
        import tempfile

        self._tmp = tempfile.TemporaryDirectory()
        self.root = self._tmp.name
        for name in ("voila.js", "7155.voila.js", "style.css"):
            with open(os.path.join(self.root, name), "w") as f:
                f.write("x = 1;\n" * 50)
        self._before = _preload.registry
        _preload.registry = PreloadRegistry()
        _preload.registry.rendered("01_self_assessment")
        super().setUp()

    def tearDown(self):
        super().tearDown()
        _preload.registry = self._before
        self._tmp.cleanup()

    def get_app(self):
        [handler] = [h for _p, h, *_ in _network.versioned_handlers(
            [(r"/voila/static/(.*)", MultiStaticFileHandler, {"paths": [self.root]})])]
        return Application([(r"/voila/static/(.*)", handler, {"paths": [self.root]})],
                           compress_response=True)

    def test_scripts_fetched_by_the_page_are_learned(self):
        r = self.fetch("/voila/static/voila.js", headers={"Referer": PAGE})
        assert r.code == 200
        r = self.fetch("/voila/static/7155.voila.js?v=abc", headers={"Referer": PAGE})
        assert r.code == 200
        assert _preload.registry.urls("01_self_assessment") == {
            "/voila/static/voila.js": "script", "/voila/static/7155.voila.js?v=abc": "script"}

    def test_missing_files_styles_and_other_methods_are_not_learned(self):
        assert self.fetch("/voila/static/nope.js", headers={"Referer": PAGE}).code == 404
        assert self.fetch("/voila/static/style.css", headers={"Referer": PAGE}).code == 200
        assert self.fetch("/voila/static/voila.js", method="HEAD",
                          headers={"Referer": PAGE}).code == 200
        assert _preload.registry.urls("01_self_assessment") == {}


def _request(uri, method="GET", connection=None, **headers):
    from types import SimpleNamespace

    from tornado.httputil import HTTPHeaders

    return SimpleNamespace(uri=uri, method=method, headers=HTTPHeaders(headers),
                           connection=SimpleNamespace(stream=connection))


def test_what_a_finished_request_teaches(monkeypatch):
    """``learn(request, status)``, as the handlers call it: GET, 200 or 304, ``.js`` only; an
    ``Origin`` header marks a module fetch; no ``Referer`` falls back to the connection."""
    reg = PreloadRegistry()
    monkeypatch.setattr(_preload, "registry", reg)
    reg.rendered("01_self_assessment")
    conn = Conn()
    assert _preload.learn(_request("/voila/static/voila.js", Referer=PAGE, connection=conn), 200)
    assert _preload.learn(_request("/voila/static/a.js?v=1", Referer=PAGE), 304)
    assert not _preload.learn(_request("/voila/static/b.js", Referer=PAGE), 404)
    assert not _preload.learn(_request("/voila/static/c.js", "HEAD", Referer=PAGE), 200)
    assert not _preload.learn(_request("/voila/static/d.css", Referer=PAGE), 200)
    bundle = "/voila/templates/kit/static/vendor/jupyterchart-altair-6.3.0_vlc-1.9.0.js"
    assert _preload.learn(_request(bundle, Origin="http://h", connection=conn), 200)
    assert reg.urls("01_self_assessment") == {
        "/voila/static/voila.js": "script", "/voila/static/a.js?v=1": "script",
        bundle: "module"}


def test_every_served_address_is_kept_exactly():
    """What the browser asked for is what the page names: path and query unchanged."""
    reg = PreloadRegistry()
    reg.rendered("p")
    uri = "/voila/labextensions/@jupyter-widgets/jupyterlab-manager/static/84.09c6.js?v=0%2Bx"
    reg.learn("http://h/voila/render/p.ipynb", uri)
    assert list(reg.urls("p")) == [uri]
    assert re.search(r'href="/voila/labextensions/@jupyter-widgets/', f'href="{uri}"')
