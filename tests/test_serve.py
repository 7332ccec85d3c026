"""``kit serve`` without starting anything: the Voila command, the pools, the landing page,
the template's offline promise and the database-placement check."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kit.commands.serve import (
    ServeOptions,
    check_database_outside,
    landing_url,
    pool_config,
    voila_argv,
    voila_config,
    voila_env,
    write_voila_config,
)
from kit.voila import jupyter_data_root
from kit.voila.catalogue import APPS, AUDIENCES, app_for, landing_config

TEMPLATE_DIR = jupyter_data_root() / "nbconvert" / "templates" / "kit"


def _opts(tmp_path, **kw) -> ServeOptions:
    return ServeOptions(tmp_path, python="/py", **kw)


def _pools(options) -> dict:
    """The pools written to voila.json, read back as Voila reads them."""
    return voila_config(options)["VoilaKernelManager"]["kernel_pools_config"]


def _flag(argv: list[str], name: str) -> str:
    """The value of ``--name=value`` in argv (exactly one occurrence)."""
    found = [a.split("=", 1)[1] for a in argv if a.startswith(f"--{name}=")]
    assert len(found) == 1, f"--{name} appears {len(found)} times in {argv}"
    return found[0]


def test_argv_runs_voila_on_the_folder_with_production_defaults(tmp_path):
    argv = voila_argv(_opts(tmp_path))
    assert argv[:3] == ["/py", "-m", "kit.voila._pool"]
    assert argv[3] == str(tmp_path.resolve())
    # Dictionaries go in voila.json: traitlets 5 deprecates them on the command line.
    assert not any("={" in a for a in argv), argv
    assert "--no-browser" in argv
    assert _flag(argv, "VoilaConfiguration.strip_sources") == "True"
    assert _flag(argv, "VoilaConfiguration.show_tracebacks") == "False"
    assert _flag(argv, "VoilaConfiguration.template") == "kit"
    assert _flag(argv, "VoilaConfiguration.classic_tree") == "True"
    assert _flag(argv, "VoilaConfiguration.allow_template_override") == "NO"
    assert _flag(argv, "VoilaConfiguration.allow_theme_override") == "NO"
    assert _flag(argv, "VoilaConfiguration.http_header_envs") == "Cookie"
    assert _flag(argv, "Voila.port") == "8866"
    assert _flag(argv, "Voila.ip") == "127.0.0.1"
    assert _flag(argv, "Voila.base_url") == "/"
    assert _flag(argv, "Voila.token") == ""
    assert _flag(argv, "MappingKernelManager.cull_idle_timeout") == "3600"
    assert _flag(argv, "MappingKernelManager.cull_interval") == "300"


def test_argv_passes_port_ip_token_and_base_url_through(tmp_path):
    argv = voila_argv(_opts(tmp_path, port=9100, ip="0.0.0.0", token="s3cret", base_url="kit"))
    assert _flag(argv, "Voila.port") == "9100"
    assert _flag(argv, "Voila.ip") == "0.0.0.0"
    assert _flag(argv, "Voila.token") == "s3cret"
    assert _flag(argv, "Voila.base_url") == "/kit/"


def test_default_pools_follow_the_catalogue(tmp_path):
    argv = voila_argv(_opts(tmp_path))
    assert _flag(argv, "VoilaConfiguration.preheat_kernel") == "True"
    pools = _pools(_opts(tmp_path))
    assert pools["default"] == {"pool_size": 1}
    assert pools["00_start_here.ipynb"] == {"pool_size": 2}
    assert pools["01_self_assessment.ipynb"] == {"pool_size": 2}
    for app in APPS:
        assert pools[app.notebook]["pool_size"] == app.pool_size


def test_pool_size_overrides_every_app(tmp_path):
    opts = _opts(tmp_path, pool_size=3)
    assert pool_config(opts) == {"default": {"pool_size": 3}}
    assert _flag(voila_argv(opts), "VoilaConfiguration.default_pool_size") == "3"


@pytest.mark.parametrize("kw", [{"preheat": False}, {"pool_size": 0}])
def test_cold_mode_has_no_pools(tmp_path, kw):
    argv = voila_argv(_opts(tmp_path, **kw))
    assert _flag(argv, "VoilaConfiguration.preheat_kernel") == "False"
    assert "VoilaKernelManager" not in voila_config(_opts(tmp_path, **kw))


def test_cull_zero_means_never(tmp_path):
    argv = voila_argv(_opts(tmp_path, cull_idle=0))
    assert not any("cull_idle_timeout" in a for a in argv)


@pytest.mark.parametrize(
    "kw, fragment",
    [
        ({"port": 0}, "--port"),
        ({"port": 70000}, "--port"),
        ({"pool_size": -1}, "--pool-size"),
        ({"cull_idle": -5}, "--cull-idle"),
        ({"base_url": "http://example.org/kit"}, "--base-url"),
    ],
)
def test_bad_options_name_the_option(tmp_path, kw, fragment):
    with pytest.raises(ValueError, match=re.escape(fragment)):
        _opts(tmp_path, **kw)


def _voila_app(options, folder):
    """A Voila app configured as ``kit serve`` configures it, with any warning an error."""
    import warnings

    from voila.app import Voila

    folder.mkdir(exist_ok=True)
    write_voila_config(options, folder)
    app = Voila()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no DeprecationWarning for old-style dict values
        app.parse_command_line(voila_argv(options)[4:])
        app.load_config_file("voila", path=[str(folder)])  # as Voila does, from the env path
    return app


def test_argv_parses_as_voila_configuration(tmp_path):
    """Voila itself accepts every option and reads back the values we meant."""
    from voila.configuration import VoilaConfiguration

    app = _voila_app(_opts(tmp_path, port=9123), tmp_path / "config")
    conf = VoilaConfiguration(parent=app)
    assert conf.http_header_envs == ["Cookie"]
    assert conf.strip_sources is True and conf.show_tracebacks is False
    assert conf.preheat_kernel is True
    assert conf.extension_config["kit"]["apps"][0]["notebook"] == APPS[0].notebook
    assert app.port == 9123
    assert app.open_browser is False
    assert app.config.VoilaKernelManager.kernel_pools_config == pool_config(_opts(tmp_path))


def test_the_config_folder_goes_first_on_the_jupyter_config_path(tmp_path):
    env = voila_env({"JUPYTER_CONFIG_PATH": "/etc/elsewhere"}, config_dir=tmp_path)
    assert env["JUPYTER_CONFIG_PATH"].split(":") == [str(tmp_path), "/etc/elsewhere"]
    assert "JUPYTER_CONFIG_PATH" not in voila_env({})


def test_env_puts_the_kit_template_first_and_keeps_kit_settings():
    env = voila_env({"JUPYTER_PATH": "/elsewhere", "KIT_DATA_DIR": "/data", "KIT_DEMO": "1"})
    paths = env["JUPYTER_PATH"].split(":")
    assert paths[0] == str(jupyter_data_root())
    assert "/elsewhere" in paths
    assert env["KIT_DATA_DIR"] == "/data" and env["KIT_DEMO"] == "1"


def test_template_folder_has_no_voila_subfolder():
    # Voila takes the first <JUPYTER_PATH entry>/voila as its data folder (themes); the kit's
    # root must not have one or the JupyterLab themes would disappear.
    assert (TEMPLATE_DIR / "conf.json").is_file()
    assert not (jupyter_data_root() / "voila").exists()


def test_landing_url(tmp_path):
    assert landing_url(_opts(tmp_path)) == "http://127.0.0.1:8866/"
    assert landing_url(_opts(tmp_path, ip="0.0.0.0", port=9000, base_url="/kit")) == (
        "http://localhost:9000/kit/"
    )
    assert landing_url(_opts(tmp_path, token="a b")) == "http://127.0.0.1:8866/?token=a%20b"


def test_database_inside_the_served_folder_is_refused(tmp_path):
    served = tmp_path / "notebooks"
    served.mkdir()
    with pytest.raises(ValueError, match="inside the served folder"):
        check_database_outside(served, f"sqlite:///{served / 'data' / 'kit.db'}")
    check_database_outside(served, f"sqlite:///{tmp_path / 'data' / 'kit.db'}")
    check_database_outside(served, "postgresql+psycopg://postgres@127.0.0.1/test")
    check_database_outside(served, "sqlite://")


def test_default_database_lies_outside_the_kit_notebooks():
    from kit._paths import notebooks_dir
    from kit.config import get_settings

    check_database_outside(notebooks_dir(), get_settings().database_url)


def test_cli_dry_run_prints_the_voila_command(tmp_path, capsys):
    from kit.commands.main import main

    assert main(["serve", str(tmp_path), "--port", "9911", "--no-preheat", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "-m kit.voila._pool" in out and "--Voila.port=9911" in out
    assert "--VoilaConfiguration.preheat_kernel=False" in out


def test_cli_refuses_database_in_served_folder(tmp_path, monkeypatch, capsys):
    from kit.commands.main import main
    from kit.config import get_settings

    monkeypatch.setenv("KIT_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    try:
        assert main(["serve", str(tmp_path), "--dry-run"]) == 2
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert "inside the served folder" in capsys.readouterr().err


def test_cli_refuses_a_missing_folder(tmp_path, capsys):
    from kit.commands.main import main

    assert main(["serve", str(tmp_path / "nope"), "--dry-run"]) == 2
    assert "not a folder" in capsys.readouterr().err


# ---------------------------------------------------------------------------- catalogue


def test_catalogue_entries_are_unique_and_audiences_known():
    names = [a.notebook for a in APPS]
    assert len(names) == len(set(names))
    audiences = {a.id for a in AUDIENCES}
    assert {a.audience for a in APPS} <= audiences
    assert app_for("01_self_assessment.ipynb").pool_size == 2
    with pytest.raises(KeyError, match="not in the app catalogue"):
        app_for("99_nope.ipynb")


def test_every_shipped_notebook_is_in_the_catalogue():
    from kit._paths import notebooks_dir

    listed = {a.notebook for a in APPS}
    shipped = {p.name for p in Path(notebooks_dir()).glob("*.ipynb")}
    assert shipped <= listed, f"add these to kit/voila/catalogue.py: {sorted(shipped - listed)}"


# ---------------------------------------------------------------------------- template


def _kit_jinja_env():
    import jinja2
    from jupyter_core.paths import jupyter_path
    from voila.paths import collect_template_paths

    roots = [str(jupyter_data_root()), *jupyter_path()]
    paths = collect_template_paths(["voila", "nbconvert"], "kit", prune=True, root_dirs=roots)
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(paths), autoescape=True, extensions=["jinja2.ext.i18n"]
    )


def _render_landing(contents, config=None) -> str:
    env = _kit_jinja_env()
    env.install_null_translations()
    return env.get_template("tree.html").render(
        base_url="/kit/",
        query="",
        contents={"content": iter(contents)},
        page_config={"extensionConfig": {"kit": config or landing_config()}},
    )


def test_landing_page_lists_present_apps_by_audience():
    contents = [{"name": a.notebook, "path": a.notebook, "type": "notebook"} for a in APPS]
    contents.append({"name": "extra.ipynb", "path": "extra.ipynb", "type": "notebook"})
    page = _render_landing(contents)
    for app in APPS:
        assert app.title in page
        assert f'href="/kit/voila/render/{app.notebook}"' in page
    for audience in AUDIENCES:
        assert audience.title in page
    assert "Other notebooks" in page and "extra.ipynb" in page


def test_landing_page_hides_missing_apps_and_escapes_names():
    contents = [
        {"name": "01_self_assessment.ipynb", "path": "01_self_assessment.ipynb", "type": "notebook"},
        {"name": "<b>x.ipynb", "path": "<b>x.ipynb", "type": "notebook"},
    ]
    page = _render_landing(contents)
    assert "Self-assessment" in page
    assert "Partnership map" not in page
    assert "For facilitators" not in page
    assert "<b>x" not in page and "&lt;b&gt;x.ipynb" in page


def test_template_files_name_no_remote_address():
    """Nothing in the kit template points outside the server (no CDN, no web fonts)."""
    for path in TEMPLATE_DIR.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text, re.I), path


def test_notebook_page_blocks_drop_cdn_links():
    """The kit index template overrides the blocks that link Font Awesome, MathJax, Mermaid."""
    text = (TEMPLATE_DIR / "index.html.j2").read_text(encoding="utf-8")
    for block in ("notebook_css", "html_head_js_mathjax", "html_head_js_mermaidjs"):
        assert re.search(r"{%-?\s*block " + block + r"\s*-?%}", text), block


# ---------------------------------------------------------------------------- visitor


def test_an_interrupted_wait_ends_the_pooled_kernel_quietly(monkeypatch):
    """jupyter_client interrupts a kernel before shutting it down; a pooled kernel waiting
    for its visitor then leaves at once instead of sending a reply on a closing socket."""
    import kit.voila as kv
    from kit.voila import _kernel

    def interrupted():
        raise KeyboardInterrupt

    left = []

    def leave():  # stands for os._exit(0)
        left.append(True)
        raise SystemExit(0)

    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setattr(kv, "_visitor_arrived", False)
    monkeypatch.setattr(_kernel, "receive_request_info", interrupted)
    monkeypatch.setattr(kv, "_leave_quietly", leave)
    with pytest.raises(SystemExit):
        kv.wait_for_visitor()
    assert left == [True]


def test_an_interrupt_before_the_visitor_ends_the_kernel_in_any_cell(monkeypatch):
    import signal

    import kit.voila as kv

    left = []
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setattr(kv, "_visitor_arrived", False)
    monkeypatch.setattr(kv, "_leave_quietly", lambda: left.append(True))
    saved = signal.getsignal(signal.SIGINT)
    try:
        kv._quiet_interrupts_before_visitor()
        handler = signal.getsignal(signal.SIGINT)
        assert handler is not saved
        with pytest.raises(KeyboardInterrupt):  # the fake _leave_quietly returns
            handler(signal.SIGINT, None)
        assert left == [True]
        monkeypatch.setattr(kv, "_visitor_arrived", True)  # a visitor's kernel: as usual
        with pytest.raises(KeyboardInterrupt):
            handler(signal.SIGINT, None)
        assert left == [True]
    finally:
        signal.signal(signal.SIGINT, saved)


def test_outside_a_pooled_kernel_interrupts_are_left_alone(monkeypatch):
    import signal

    import kit.voila as kv

    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    saved = signal.getsignal(signal.SIGINT)
    kv._quiet_interrupts_before_visitor()
    assert signal.getsignal(signal.SIGINT) is saved


def test_wait_for_visitor_is_a_no_op_outside_a_preheated_kernel(monkeypatch):
    import kit.voila as kv

    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    assert kv.in_preheated_kernel() is False
    kv.wait_for_visitor()  # returns at once


def test_wait_for_visitor_waits_once_in_a_preheated_kernel(monkeypatch):
    import os

    import kit.voila as kv
    from kit.voila import _kernel

    calls = []

    def fake_receive(url=None):
        calls.append(url)
        return {"HTTP_COOKIE": "kit_resume=ABCD-1234"}

    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.delenv("HTTP_COOKIE", raising=False)
    monkeypatch.setattr(_kernel, "receive_request_info", fake_receive)
    monkeypatch.setattr(kv, "_visitor_arrived", False)
    assert kv.in_preheated_kernel() is True
    kv.wait_for_visitor()
    kv.wait_for_visitor()
    assert calls == [None]
    assert os.environ["HTTP_COOKIE"] == "kit_resume=ABCD-1234"
    assert kv.in_preheated_kernel() is False


# ---------------------------------------------------------------------------- speed


def test_chart_bundle_is_published_in_the_data_folder_and_named_for_kernels(tmp_path,
                                                                           monkeypatch):
    import os

    from kit.charts import display
    from kit.commands.serve import publish_chart_bundle

    monkeypatch.setattr(display, "chart_bundle", lambda: "export default {};\n")
    env = {"JUPYTER_PATH": "/first"}
    url = publish_chart_bundle(env, tmp_path)
    root = tmp_path / "cache" / "voila-static"
    name = display.chart_bundle_name()
    assert url == f"voila/templates/kit/static/vendor/{name}"
    assert env["KIT_CHART_BUNDLE_URL"] == url
    # Voila serves <root>/nbconvert/templates/kit/static/<file> at voila/templates/kit/static/
    assert (root / "nbconvert/templates/kit/static/vendor" / name).is_file()
    # the kit's own template folder stays first; the bundle's root is added after it
    assert env["JUPYTER_PATH"].split(os.pathsep) == ["/first", str(root)]
    publish_chart_bundle(env, tmp_path)
    assert env["JUPYTER_PATH"].split(os.pathsep) == ["/first", str(root)]
    # the loader the kernels will send is accepted for that address
    assert json.dumps(url) in display.loader_esm(url)


def test_unwritable_data_folder_leaves_charts_inline(tmp_path, monkeypatch):
    from kit.charts import display
    from kit.commands.serve import publish_chart_bundle

    monkeypatch.setattr(display, "chart_bundle", lambda: "export default {};\n")
    (tmp_path / "cache").write_text("not a folder")
    env = {"JUPYTER_PATH": "/first", "KIT_CHART_BUNDLE_URL": "stale.js"}
    assert publish_chart_bundle(env, tmp_path) is None
    assert "KIT_CHART_BUNDLE_URL" not in env
    assert env["JUPYTER_PATH"] == "/first"


def _probe_app(events):
    """A stand-in app recording the order of warm-up, waiting and building."""
    from kit.apps._base import ParticipantApp

    class ProbeApp(ParticipantApp):
        def __init__(self, store, visitor=None, **kwargs):  # no widgets needed here
            events.append("build")
            self.store, self.visitor = store, visitor

        @classmethod
        def warm_up(cls, store):
            events.append("warm")

    return ProbeApp


def test_preheated_kernel_warms_up_before_waiting_for_the_visitor(monkeypatch):
    import kit.apps._base as base
    import kit.voila as kv

    events = []
    monkeypatch.setattr(base, "open_store", lambda: "store")
    monkeypatch.setattr(base, "resolve_visitor", lambda store: None)
    monkeypatch.setattr(kv, "in_preheated_kernel", lambda: True)
    monkeypatch.setattr(kv, "wait_for_visitor", lambda: events.append("wait"))
    app = _probe_app(events).from_environment()
    assert events == ["warm", "wait", "build"]
    assert app.store == "store"


def test_cold_kernel_does_not_warm_up(monkeypatch):
    import kit.apps._base as base
    import kit.voila as kv

    events = []
    monkeypatch.setattr(base, "open_store", lambda: "store")
    monkeypatch.setattr(base, "resolve_visitor", lambda store: None)
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setattr(kv, "wait_for_visitor", lambda: events.append("wait"))
    _probe_app(events).from_environment()
    assert events == ["build"]


def test_a_failing_warm_up_does_not_stop_the_app(monkeypatch):
    import kit.apps._base as base
    import kit.voila as kv

    events = []
    monkeypatch.setattr(base, "open_store", lambda: "store")
    monkeypatch.setattr(base, "resolve_visitor", lambda store: None)
    monkeypatch.setattr(kv, "in_preheated_kernel", lambda: True)
    monkeypatch.setattr(kv, "wait_for_visitor", lambda: events.append("wait"))
    app_cls = _probe_app(events)
    monkeypatch.setattr(app_cls, "warm_up", classmethod(lambda cls, store: 1 / 0))
    app_cls.from_environment()
    assert events == ["wait", "build"]


def test_a_cold_app_kernel_never_imports_voila():
    """Importing Voila in the kernel costs a good part of a second; a cold page skips it."""
    import subprocess
    import sys

    code = (
        "import os, sys\n"
        "os.environ.pop('VOILA_PREHEAT', None)\n"
        "import kit.apps._base as base\n"
        "base.open_store = lambda: None\n"
        "base.resolve_visitor = lambda store: None\n"
        "class A(base.ParticipantApp):\n"
        "    def __init__(self, store, visitor=None):\n"
        "        pass\n"
        "A.from_environment()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('voila', 'jupyter_server', 'rfc3987_syntax') and sys.modules[m] is not None))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=False, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_pools_wait_before_replacing_a_taken_kernel(tmp_path):
    """Starting the replacement kernel at once would compete with the visitor's page for the
    CPU; the default waits until the page has been drawn (see benchmarks/bench_tti.py)."""
    from kit.commands.serve import DEFAULT_REFILL_DELAY

    assert _flag(voila_argv(_opts(tmp_path)), "VoilaKernelManager.fill_delay") == (
        f"{DEFAULT_REFILL_DELAY:g}")
    assert _flag(voila_argv(_opts(tmp_path, refill_delay=0.5)),
                 "VoilaKernelManager.fill_delay") == "0.5"
    assert not any("fill_delay" in a for a in voila_argv(_opts(tmp_path, preheat=False)))


@pytest.mark.parametrize("value", [-1, 601, float("nan")])
def test_a_bad_refill_delay_names_the_option(tmp_path, value):
    with pytest.raises(ValueError, match="--refill-delay"):
        _opts(tmp_path, refill_delay=value)


def test_refill_delay_reaches_voila(tmp_path):
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    app = _voila_app(_opts(tmp_path, refill_delay=4), tmp_path / "config")
    manager_class = voila_kernel_manager_factory(AsyncMappingKernelManager, True, 1)
    assert manager_class.__name__ == "VoilaKernelManager"
    assert float(app.config.VoilaKernelManager.fill_delay) == 4  # read by that class


@pytest.mark.skipif(__import__("os").name != "posix", reason="Unix sockets")
def test_kernels_use_unix_sockets(tmp_path):
    """No TCP ports to race for when many kernels start at once (bench_visitors.py found a
    kernel killed by "Address already in use")."""
    assert _flag(voila_argv(_opts(tmp_path)), "KernelManager.transport") == "ipc"


def test_one_app_can_keep_more_kernels_warm_for_a_session(tmp_path):
    opts = _opts(tmp_path, pools={"01_self_assessment.ipynb": 30})
    pools = _pools(opts)
    assert pools["01_self_assessment.ipynb"] == {"pool_size": 30}
    assert pools["00_start_here.ipynb"] == {"pool_size": 2}  # the rest as the catalogue says


def test_a_pool_for_one_app_with_none_for_the_rest(tmp_path):
    argv = voila_argv(_opts(tmp_path, pool_size=0, pools={"01_self_assessment.ipynb": 2}))
    assert _flag(argv, "VoilaConfiguration.preheat_kernel") == "True"
    pools = _pools(_opts(tmp_path, pool_size=0, pools={"01_self_assessment.ipynb": 2}))
    assert pools == {"default": {"pool_size": 0}, "01_self_assessment.ipynb": {"pool_size": 2}}


@pytest.mark.parametrize("pools, fragment", [
    ({"../secret.ipynb": 2}, "--pool"),
    ({"notes.txt": 2}, "--pool"),
    ({"01_self_assessment.ipynb": -1}, "0 or more"),
    ({"01_self_assessment.ipynb": "3"}, "whole number"),
])
def test_bad_pools_name_the_option(tmp_path, pools, fragment):
    with pytest.raises(ValueError, match=re.escape(fragment)):
        _opts(tmp_path, pools=pools)


@pytest.mark.parametrize("argv, message", [
    (["--pool", "01_self_assessment.ipynb"], "should be NOTEBOOK=N"),
    (["--pool", "01_self_assessment.ipynb=many"], "should be NOTEBOOK=N"),
    (["--pool", "missing.ipynb=3"], "not in"),
])
def test_cli_pool_mistakes_are_explained(tmp_path, capsys, argv, message):
    from kit.commands.main import main

    (tmp_path / "01_self_assessment.ipynb").write_text("{}")
    assert main(["serve", str(tmp_path), *argv, "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert message in err and "--pool" in err


def test_cli_pool_reaches_the_voila_command(tmp_path, capsys):
    from kit.commands.main import main

    (tmp_path / "01_self_assessment.ipynb").write_text("{}")
    assert main(["serve", str(tmp_path), "--pool", "01_self_assessment.ipynb=12",
                 "--dry-run"]) == 0
    assert '"01_self_assessment.ipynb":{"pool_size":12}' in capsys.readouterr().out


def test_kernels_fork_by_default_and_no_fork_turns_it_off(tmp_path, capsys):
    """The kit's kernel spec, first on the kernels' JUPYTER_PATH, names the forking
    provisioner; ``--no-fork`` sets the switch it reads to off."""
    import json
    import os

    from kit.commands.main import main
    from kit.commands.serve import FORK_SWITCH_ENV, ServeOptions, apply_fork_switch
    from kit.voila._forking import PROVISIONER_NAME, SWITCH_ENV, forking_enabled

    assert FORK_SWITCH_ENV == SWITCH_ENV
    spec_file = jupyter_data_root() / "kernels" / "python3" / "kernel.json"
    spec = json.loads(spec_file.read_text())
    assert spec["metadata"]["kernel_provisioner"]["provisioner_name"] == PROVISIONER_NAME
    assert spec["argv"][:3] == ["python", "-m", "ipykernel_launcher"]
    env = voila_env({"JUPYTER_PATH": "/elsewhere"})
    assert env["JUPYTER_PATH"].split(os.pathsep)[0] == str(jupyter_data_root())

    on, off = dict(env), dict(env)
    apply_fork_switch(ServeOptions(tmp_path), on)
    apply_fork_switch(ServeOptions(tmp_path, fork=False), off)
    assert forking_enabled(on) and not forking_enabled(off)
    kept = {FORK_SWITCH_ENV: "0"}  # an operator's own setting survives the default
    apply_fork_switch(ServeOptions(tmp_path), kept)
    assert not forking_enabled(kept)

    assert main(["serve", str(tmp_path), "--no-fork", "--dry-run"]) == 0
    assert f"{FORK_SWITCH_ENV}=0" in capsys.readouterr().out
    assert main(["serve", str(tmp_path), "--dry-run"]) == 0
    assert FORK_SWITCH_ENV not in capsys.readouterr().out
