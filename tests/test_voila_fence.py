"""The patches to Voila and Altair are fenced: pinned, checked at start-up, commented, and the
kit's page template provably fetches nothing from a CDN."""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kit.voila import _fence

ROOT = Path(__file__).resolve().parents[1]
CDN = re.compile(r"jsdelivr|cdnjs|unpkg|fonts\.googleapis|fonts\.gstatic|fontawesome\.com|"
                 r"cdn\.[a-z]|mathjax\.org", re.I)


# -- rendering the template -----------------------------------------------------------------
def _render(template: str, monkeypatch) -> str:
    """The page Voila serves for a small notebook with ``template``, as Voila builds it."""
    import nbformat
    from voila.app import Voila
    from voila.exporter import VoilaExporter
    from voila.paths import collect_template_paths

    from kit.voila import jupyter_data_root

    monkeypatch.setenv("JUPYTER_PATH", str(jupyter_data_root()))
    paths = collect_template_paths(["voila", "nbconvert"], template)
    exporter = VoilaExporter(
        template_paths=paths,
        template_name=template,
        base_url="/",
        theme="light",
        mathjax_url=f"{Voila.mathjax_url.default_value}?config={Voila.mathjax_config.default_value}",
    )
    exporter.exclude_input = True
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# A page\n\nSome $x^2$ maths and a ```mermaid``` block."),
        nbformat.v4.new_code_cell("1 + 1", outputs=[nbformat.v4.new_output(
            "execute_result", {"text/plain": "2"}, execution_count=1)]),
    ])

    async def kernel_start(nb):
        return "kernel-id"

    async def cells(nb, kernel_id):
        for cell in nb.cells:
            yield cell

    def notebook_execute(nb, kernel_id):
        return ""

    extra = {"frontend": "voila", "main_js": "voila.js", "kernel_start": kernel_start,
             "notebook_execute": notebook_execute, "progressive_rendering": False,
             "cell_generator": cells}

    async def collect():
        parts = []
        async for html, _ in exporter.generate_from_notebook_node(
            nb, resources={"base_url": "/"}, extra_context=extra,
            page_config={"baseUrl": "/", "fullStaticUrl": "/voila/static"},
        ):
            parts.append(html)
        return "".join(parts)

    return asyncio.run(collect())


def test_the_kit_template_renders_without_any_cdn_address(monkeypatch):
    page = _render("kit", monkeypatch)
    assert "<html" in page.lower() and "kit.css" in page
    assert CDN.findall(page) == [], sorted(set(CDN.findall(page)))


def test_the_upstream_lab_template_does_reach_for_a_cdn(monkeypatch):
    """The check above can fail: Voila's own lab template, rendered the same way, does."""
    page = _render("lab", monkeypatch)
    assert CDN.search(page), "the render no longer shows the CDN links the kit's template removes"


# -- start-up check ----------------------------------------------------------------------------
def test_the_installed_versions_and_targets_are_the_tested_ones():
    assert _fence.problems() == []


# -- versions: compared as pip compares them (PEP 440) -----------------------------------------
def test_the_versions_the_hand_parser_got_wrong():
    """The old parser read 0.5.1post3 as 0.5.13 and counted 0.5.13.dev0 as 0.5.13."""
    assert not _fence.within("0.5.1post3", "0.5.13", "0.5.14")
    assert not _fence.within("0.5.1.post3", "0.5.13", "0.5.14")
    assert not _fence.within("0.5.13.dev0", "0.5.13", "0.5.14")
    assert not _fence.within("0.5.13rc1", "0.5.13", "0.5.14")
    assert not _fence.within("0.5.14.dev0", "0.5.13", "0.5.14")
    assert not _fence.within("not a version", "0.5.13", "0.5.14")
    assert _fence.within("0.5.13", "0.5.13", "0.5.14")
    assert _fence.within("0.5.13.post2", "0.5.13", "0.5.14")
    assert _fence.within("6.10", "6.0", "7") and not _fence.within("6.0rc1", "6.0", "7")


_release = st.lists(st.integers(0, 30), min_size=1, max_size=4).map(tuple)
_pre = st.none() | st.tuples(st.sampled_from(["a", "b", "rc"]), st.integers(0, 9))
_number = st.none() | st.integers(0, 12)


def _spell(release, pre, post, dev, draw):
    """``release``/``pre``/``post``/``dev`` written one of the ways PEP 440 allows."""
    text = ".".join(map(str, release))
    if pre:
        text += draw(st.sampled_from(["", ".", "-"])) + pre[0] + str(pre[1])
    if post is not None:
        text += draw(st.sampled_from(["post", ".post", "-post"])) + str(post)
    if dev is not None:
        text += ".dev" + str(dev)
    return text


def _key(release, pre, post, dev):
    """An ordering written from PEP 440 directly: trailing zeros do not count; a dev release
    comes before the pre-releases, which come before the release, which comes before its
    post-releases."""
    rel = list(release)
    while len(rel) > 1 and rel[-1] == 0:
        rel.pop()
    if pre is None and post is None and dev is not None:
        phase = (-2, 0, 0)  # X.dev0 before X.a0
    elif pre is not None:
        phase = (-1, ["a", "b", "rc"].index(pre[0]), pre[1])
    else:
        phase = (0, 0, 0)
    return (tuple(rel), phase, -1 if post is None else post,
            float("inf") if dev is None else dev)


@given(release=_release, pre=_pre, post=_number, dev=_number,
       low=_release, width=st.integers(1, 3), data=st.data())
@settings(max_examples=400, deadline=None)
def test_within_agrees_with_pep_440_ordering(release, pre, post, dev, low, width, data):
    """For any version and any range: inside exactly when low <= version < high in PEP 440's
    order, and never a pre- or development release of the first version NOT tested."""
    high = (*low[:-1], low[-1] + width)
    version = _spell(release, pre, post, dev, data.draw)
    low_text, high_text = ".".join(map(str, low)), ".".join(map(str, high))
    key = _key(release, pre, post, dev)
    above_low = key >= _key(low, None, None, None)
    below_high = key < _key(high, None, None, None)
    if pre is not None or dev is not None:  # <high excludes high's own pre/dev releases
        below_high = below_high and _key(release, None, None, None)[0] != \
            _key(high, None, None, None)[0]
    assert _fence.within(version, low_text, high_text) == (above_low and below_high), version


@given(major=st.integers(0, 9), minor=st.integers(0, 20), patch=st.integers(0, 30),
       post=st.integers(0, 9))
def test_a_post_release_never_reads_as_a_longer_release(major, minor, patch, post):
    """X.Y.Zpost N is X.Y.Z plus a fix, never X.Y.ZN (the old parser's mistake)."""
    glued = f"{major}.{minor}.{patch}post{post}"
    longer = f"{major}.{minor}.{patch}{post}"
    if int(f"{patch}{post}") > patch:
        assert not _fence.within(glued, longer, f"{major}.{minor}.{int(f'{patch}{post}') + 1}")
    assert _fence.within(glued, f"{major}.{minor}.{patch}", f"{major}.{minor}.{patch + 1}")


# -- owners: each target is blamed on, and pinned for, the library that ships it ---------------
def test_every_target_has_an_owner_with_a_tested_range_and_a_reason():
    for use in _fence.PRIVATE_USES:
        assert use.owner in _fence.TESTED, use.label
        assert use.why.strip() and use.used_in.strip(), use.label
        assert use.issue == _fence.NO_ISSUE or re.fullmatch(
            r"(related: )?[\w.-]+/[\w.-]+#\d+", use.issue), use.issue
        assert importlib.util.find_spec(use.owner) is not None
    for target in _fence.TARGETS:
        top = target.module.split(".")[0]
        assert top == target.owner, f"{target.label} ships in {top}, not {target.owner}"
        for path in target.used_in.split(", "):
            # The table tells the truth: the module it names does use the name.
            used = (ROOT / path).read_text(encoding="utf-8")
            assert target.name.split(".")[-1] in used, (target.label, path)


@pytest.mark.parametrize("library", ["tornado", "jupyter_server", "nbconvert"])
def test_a_library_other_than_voila_out_of_range_is_named(monkeypatch, library):
    real = _fence.installed_version
    monkeypatch.setattr(_fence, "installed_version",
                        lambda p: "99.0" if p == library else real(p))
    with pytest.raises(_fence.FenceError) as exc:
        _fence.check(packages=("voila",))
    low, high = _fence.TESTED[library]
    assert f"{library} 99.0 is installed" in str(exc.value)
    assert f"'{library}>={low},<{high}'" in str(exc.value)


def test_the_private_names_the_kit_reads_are_fenced():
    """Tornado's _finished, Altair's JupyterChart._is_offline and Voila's
    _get_notebook_from_kernel, each read by a kit module, have a target."""
    labels = {t.label for t in _fence.TARGETS}
    assert {"tornado.web.RequestHandler.finish", "altair.JupyterChart._is_offline",
            "voila.voila_kernel_manager.VoilaKernelManager._get_notebook_from_kernel",
            "voila.utils.wait_for_request"} <= labels
    pool = (ROOT / "kit/voila/_pool.py").read_text(encoding="utf-8")
    assert "handler._finished" in pool and "_get_notebook_from_kernel" in pool
    import tornado.web

    assert "self._finished = True" in inspect.getsource(tornado.web.RequestHandler.finish)


def test_the_table_of_private_uses_in_the_docs_is_the_generated_one():
    docs = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert _fence.table_markdown() in docs, "run: python -m kit.voila._fence --table"


def test_every_target_still_exists_with_the_recorded_source():
    for target in _fence.TARGETS:
        obj = _fence._resolve(target)
        if target.fingerprint is not None and not getattr(obj, "_kit_guarded", False) and \
                not getattr(obj, "__module__", "").startswith("kit."):
            assert _fence.fingerprint(obj) == target.fingerprint, target.label
        assert target.why.strip(), target.label


def test_a_different_voila_version_is_named_with_what_to_do(monkeypatch):
    real = _fence.installed_version
    monkeypatch.setattr(_fence, "installed_version",
                        lambda p: "0.6.2" if p == "voila" else real(p))
    with pytest.raises(_fence.FenceError) as exc:
        _fence.check()
    message = str(exc.value)
    assert "voila 0.6.2" in message and "voila>=0.5.13,<0.5.14" in message
    assert "pip install" in message


def test_a_changed_private_method_is_caught(monkeypatch):
    target = _fence.TARGETS[0]
    changed = target.__class__(target.package, target.module, target.name, "0" * 16, target.why)
    monkeypatch.setattr(_fence, "TARGETS", (changed, *_fence.TARGETS[1:]))
    problems = _fence.problems(packages=("voila",))
    assert any(target.name in p and "not the code" in p for p in problems), problems


def test_a_renamed_private_name_is_caught(monkeypatch):
    gone = _fence.Target("altair", "altair", "JupyterChart._no_such_name", None, "a reason")
    monkeypatch.setattr(_fence, "TARGETS", (*_fence.TARGETS, gone))
    problems = _fence.problems(packages=("altair",))
    assert any("_no_such_name no longer exists" in p for p in problems), problems


def test_a_renamed_template_block_is_caught(monkeypatch):
    gone = _fence.TemplateBlock("voila", "lab", "no_such_block", None, "a reason")
    monkeypatch.setattr(_fence, "TEMPLATE_BLOCKS", (gone,))
    problems = _fence.problems(packages=("voila",))
    assert any("no block 'no_such_block'" in p for p in problems), problems


@pytest.mark.parametrize("block", ["body_header", "body_footer"])
def test_a_changed_extended_template_block_is_caught(monkeypatch, block):
    """The kit's template calls super() in body_header and body_footer to wrap the page in one
    main landmark: what upstream puts there is fingerprinted, not just named."""
    real = next(b for b in _fence.TEMPLATE_BLOCKS if b.block == block)
    assert real.fingerprint == _fence.block_fingerprint(real)
    kit_template = (ROOT / real.used_in).read_text(encoding="utf-8")
    assert re.search(r"{%-?\s*block " + block + r"\b.*?super\(\)", kit_template, re.S), block
    changed = _fence.TemplateBlock(real.app, real.template, real.block, "0" * 16, real.why)
    others = tuple(b for b in _fence.TEMPLATE_BLOCKS if b is not real)
    monkeypatch.setattr(_fence, "TEMPLATE_BLOCKS", (*others, changed))
    problems = _fence.problems(packages=("voila",))
    assert any(f"block '{block}'" in p and "voila 0.5.13" in p for p in problems), problems


def test_every_block_the_kit_template_overrides_is_fenced():
    """Each {% block %} of the kit's page template is in TEMPLATE_BLOCKS, as a block of
    Voila's lab template (the one it extends)."""
    kit_template = (ROOT / "kit/voila/jupyter/nbconvert/templates/kit/index.html.j2")
    overridden = set(re.findall(r"{%-?\s*block\s+(\w+)", kit_template.read_text("utf-8")))
    fenced = {b.block for b in _fence.TEMPLATE_BLOCKS if b.app == "voila"} | \
        {b.block for b in _fence.TEMPLATE_BLOCKS if b.app == "nbconvert"}
    assert overridden and overridden <= fenced, overridden - fenced


def test_kit_serve_stops_at_start_up_on_a_mismatch(monkeypatch, capsys, tmp_path):
    from kit.commands.main import main

    real = _fence.installed_version
    monkeypatch.setattr(_fence, "installed_version",
                        lambda p: "0.7.0" if p == "voila" else real(p))
    status = main(["serve", "--dry-run"])
    err = capsys.readouterr().err
    assert status == 1
    assert err.startswith("kit serve:") and "voila 0.7.0" in err and "pip install" in err


def test_the_launcher_refuses_to_patch_a_mismatched_voila(monkeypatch, capsys):
    from kit.voila import _pool

    handler = _pool._handler_class()
    if getattr(handler, "_kit_patched", False):
        pytest.skip("Voila is already patched in this process")
    real = _fence.installed_version
    monkeypatch.setattr(_fence, "installed_version",
                        lambda p: "0.5.20" if p == "voila" else real(p))
    assert _pool.main([]) == 1
    assert "voila 0.5.20" in capsys.readouterr().err
    assert not getattr(handler, "_kit_patched", False)


# -- pins and comments -------------------------------------------------------------------------
def test_pins_in_pyproject_and_environment_match_the_tested_ranges():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    environment = (ROOT / "environment.yml").read_text(encoding="utf-8")
    for package, (low, high) in _fence.TESTED.items():
        pin = f"{package}>={low},<{high}"
        assert f'"{pin}"' in pyproject, pin
        assert re.search(rf"^\s*-\s*{re.escape(pin)}\s*$", environment, re.M), pin


def test_every_patch_names_the_upstream_problem_it_works_around():
    from kit.voila import _pool

    source = inspect.getsource(_pool.install)
    lines = source.splitlines()
    patched = 0
    for i, line in enumerate(lines):
        if re.match(r"\s*(cls|page|NotebookRenderer)\.\w+ = ", line) and "_kit_patched" not in line:
            patched += 1
            above = lines[i - 1].strip()
            assert above.startswith("# Upstream:") and len(above) > 20, line
    assert patched >= 6
    from kit.voila import _network

    for function, pattern, least in ((_network.install, r"\s*Voila\.\w+ = ", 2),
                                     (_network.versioned_handlers, r"\s*\w+: _versioned_", 3)):
        lines = inspect.getsource(function).splitlines()
        found = 0
        for i, line in enumerate(lines):
            if re.match(pattern, line):
                found += 1
                above = lines[i - 1].strip()
                assert above.startswith("# Upstream:") and len(above) > 20, line
        assert found >= least, function.__name__
    for module in ("charts/display.py", "report/svg.py"):
        text = (ROOT / "kit" / module).read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(text):
            if "JupyterChart._esm = " in line or "import vl_version_for_vl_convert" in line:
                comment = " ".join(text[max(0, i - 3):i])
                assert "#" in comment and "fence" in comment.lower(), (module, line)


# -- the network patches (kit/voila/_network.py) -----------------------------------------------
NETWORK_TARGETS = {
    "voila.app.Voila.init_settings",
    "voila.app.Voila.init_handlers",
    "voila.static_file_handler.TemplateStaticFileHandler",
    "voila.static_file_handler.MultiStaticFileHandler",
    "jupyter_server.base.handlers.FileFindHandler.set_headers",
    "tornado.web.StaticFileHandler.get",
}


def test_every_network_patch_is_fenced():
    """Each method _network wraps and each handler it subclasses has a fence target, checked
    with the Voila patch set (so kit serve and the launcher refuse a mismatch)."""
    fenced = {t.label: t for t in _fence.TARGETS}
    assert NETWORK_TARGETS <= set(fenced), NETWORK_TARGETS - set(fenced)
    for label in NETWORK_TARGETS:
        assert fenced[label].package == "voila" and fenced[label].why.strip(), label
    for label in ("voila.app.Voila.init_settings", "voila.app.Voila.init_handlers",
                  "jupyter_server.base.handlers.FileFindHandler.set_headers",
                  "tornado.web.StaticFileHandler.get"):
        assert fenced[label].fingerprint is not None, label


def test_a_changed_jupyter_server_method_names_jupyter_server(monkeypatch):
    target = next(t for t in _fence.TARGETS if t.name == "FileFindHandler.set_headers")
    changed = _fence.Target(target.package, target.module, target.name, "0" * 16, target.why,
                            distribution=target.distribution)
    others = tuple(t for t in _fence.TARGETS if t is not target)
    monkeypatch.setattr(_fence, "TARGETS", (*others, changed))
    problems = _fence.problems(packages=("voila",))
    assert any("FileFindHandler.set_headers in jupyter_server " in p and "not the code" in p
               for p in problems), problems


def test_the_network_patches_refuse_a_changed_target_and_patch_nothing(monkeypatch):
    from voila.app import Voila

    from kit.voila import _network

    if _network._installed:
        pytest.skip("the network patches are already installed in this process")
    before = Voila.init_settings, Voila.init_handlers
    target = next(t for t in _fence.TARGETS if t.name == "Voila.init_settings")
    changed = _fence.Target(target.package, target.module, target.name, "0" * 16, target.why)
    others = tuple(t for t in _fence.TARGETS if t is not target)
    monkeypatch.setattr(_fence, "TARGETS", (*others, changed))
    with pytest.raises(_fence.FenceError, match="Voila.init_settings"):
        _network.install()
    assert (Voila.init_settings, Voila.init_handlers) == before
    assert not _network._installed
