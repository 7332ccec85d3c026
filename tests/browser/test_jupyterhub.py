"""A real JupyterHub (``jupyterhub`` from PyPI, ``configurable-http-proxy`` from npm, installed
by ``make hub-deps``) runs ``deploy/jupyterhub_config.py``: each user signs in with a password
and gets their own single-user server, where the kit's apps run in Voila. All on PostgreSQL.

Two users complete the self-assessment; a user listed in ``KIT_FACILITATORS`` opens the
facilitator dashboard and sees both responses; a user not listed is refused.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browser_support import REPO, SCREENSHOTS, free_port, rate_every_item_and_submit, wait_rendered

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

CONFIG = REPO / "deploy" / "jupyterhub_config.py"
PASSWORD = "kit-hub-test-password"
PARTICIPANTS = ("alice", "bob")
FACILITATOR = "carol"
OUTSIDER = "dave"
GROUP = "Hub group"
COHORT = "Hub cohort"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PG_BASE = os.environ.get("KIT_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _missing(what: str) -> None:
    if IN_CI:
        pytest.fail(f"{what} is required when CI=true: run `make hub-deps`")
    pytest.skip(f"{what} not installed (make hub-deps)")


def proxy_command() -> str:
    """``configurable-http-proxy``: KIT_HUB_PROXY, then the one `make hub-deps` installs, then PATH."""
    for candidate in (
        os.environ.get("KIT_HUB_PROXY"),
        str(REPO / ".venv" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"),
        shutil.which("configurable-http-proxy"),
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    _missing("configurable-http-proxy (npm)")


@pytest.fixture(scope="module")
def hub(tmp_path_factory, pg_url_module):
    try:
        import jupyterhub  # noqa: F401
    except ImportError:
        _missing("jupyterhub (PyPI)")
    proxy = proxy_command()
    from kit.store import BulkResponse, Store

    state = tmp_path_factory.mktemp("hub")
    # The cohort, with the two participants' hub accounts enrolled in its group (as a
    # programme administrator does before the session) and three earlier responders, so the
    # group reaches the smallest size for which the dashboard shows scores.
    with Store(pg_url_module) as store:
        created = store.create_cohort(
            COHORT, groups=[GROUP], rounds=["Baseline"], frameworks=["collaboration-behaviours"]
        )
        for user in PARTICIPANTS:
            store.join(created.join_codes[GROUP], hub_user=user)
        from kit.content import load_framework

        fw = load_framework("collaboration-behaviours")
        earlier = store.add_participants(created.cohort_id, [{"group": GROUP}] * 3)
        rnd = store.open_round(created.cohort_id, "Baseline")  # everyone has joined: it counts them
        store.submit_responses(
            fw,
            rnd.id,
            [
                BulkResponse(pid, {i.id: 3 for i in fw.items}, {}, f"earlier-{pid}")
                for pid in earlier
            ],
        )
    port = free_port()
    env = dict(os.environ)
    env.update(
        KIT_DATABASE_URL=pg_url_module,
        KIT_FACILITATORS=FACILITATOR,
        KIT_HUB_PASSWORD=PASSWORD,
        KIT_HUB_PORT=str(port),
        KIT_HUB_API_PORT=str(free_port()),
        KIT_HUB_PROXY_API_PORT=str(free_port()),
        KIT_HUB_STATE=str(state),
        KIT_HUB_PROXY=proxy,
    )
    for name in ("KIT_DEMO", "JUPYTERHUB_USER", "KIT_DATA_DIR"):
        env.pop(name, None)
    log = state / "hub.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)],
            cwd=state,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 180
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterHub exited:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url + "hub/health", timeout=5) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"JupyterHub did not answer:\n{log.read_text()[-4000:]}")
        time.sleep(0.5)
    try:
        yield url, created, log, pg_url_module
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="module")
def pg_url_module(pg_available):
    """A PostgreSQL schema for the whole module (the hub's users share it)."""
    import uuid

    import sqlalchemy as sa

    schema = f"kit_hub_{uuid.uuid4().hex[:10]}"
    engine = sa.create_engine(PG_BASE)
    with engine.begin() as conn:
        conn.execute(sa.text(f'create schema "{schema}"'))
    yield f"{PG_BASE}?options=-csearch_path%3D{schema}"
    with engine.begin() as conn:
        conn.execute(sa.text(f'drop schema "{schema}" cascade'))
    engine.dispose()


def sign_in_and_open(browser, hub_url: str, user: str, notebook: str):
    """Sign in to the hub as ``user``, start their server, open ``notebook`` in Voila there."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(240_000)
    page.goto(hub_url + "hub/login", wait_until="commit")
    page.locator("#username_input").fill(user)
    page.locator("#password_input").fill(PASSWORD)
    page.locator("#login_submit").click()
    # signing in starts the user's server; the hub redirects to it once it answers
    page.wait_for_url(re.compile(rf"/user/{user}/"), timeout=240_000)
    page.goto(f"{hub_url}user/{user}/voila/render/{notebook}", wait_until="commit")
    wait_rendered(page, timeout=240_000)
    return context, page


def test_two_users_answer_and_the_listed_facilitator_sees_both(browser, hub):
    from kit.content import load_framework
    from kit.store import Store

    hub_url, created, _log, db = hub
    framework = load_framework("collaboration-behaviours")
    for user in PARTICIPANTS:
        context, page = sign_in_and_open(browser, hub_url, user, "01_self_assessment.ipynb")
        assert page.get_by_role("button", name="Join my group").count() == 0, "asked to sign in"
        rate_every_item_and_submit(page, framework)
        context.close()

    context, page = sign_in_and_open(browser, hub_url, FACILITATOR, "10_facilitator_dashboard.ipynb")
    page.get_by_text(COHORT).first.wait_for()
    page.wait_for_function(
        "() => document.body.innerText.includes(\"Hub group 5 of 5\")", timeout=120_000
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "hub_facilitator_dashboard.png"), full_page=True)
    assert "Enter the facilitator key" not in page.inner_text("body")
    context.close()

    with Store(db) as store:
        frame = store.responses_frame(created.cohort_id, framework.id)
        hub_ids = {store.participant_for_hub_user(u).id for u in PARTICIPANTS}
    assert hub_ids <= set(frame["participant_id"]), "both hub users' answers are in the cohort"
    assert frame["participant_id"].nunique() == 5


def test_a_user_not_listed_is_refused_the_dashboard(browser, hub):
    hub_url, _created, _log, _db = hub
    context, page = sign_in_and_open(browser, hub_url, OUTSIDER, "10_facilitator_dashboard.ipynb")
    page.get_by_text("not listed as a facilitator").wait_for()
    text = page.inner_text("body")
    assert COHORT not in text, "the cohort was shown to a user who is not a facilitator"
    context.close()

