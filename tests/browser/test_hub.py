"""JupyterHub, as far as one machine allows: a single-user ``kit serve`` started with
``JUPYTERHUB_USER`` set and the shared store in PostgreSQL identifies the hub user without any
sign-in, and their self-assessment lands in PostgreSQL."""

from __future__ import annotations

import os
import shutil

import pytest
from browser_support import kit_serve, rate_every_item_and_submit, wait_rendered

NOTEBOOK = "01_self_assessment.ipynb"
HUB_USER = "hub-tester"


@pytest.mark.postgres
def test_hub_user_is_identified_and_stored_in_postgres(browser, pg_url, tmp_path):
    from kit._paths import notebooks_dir
    from kit.content import load_framework
    from kit.store import Store

    source = notebooks_dir() / NOTEBOOK
    if not source.is_file():
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"{NOTEBOOK} missing from notebooks/")
        pytest.skip(f"{NOTEBOOK} not written yet")
    root = tmp_path / "notebooks"
    root.mkdir()
    shutil.copy(source, root / NOTEBOOK)
    with Store(pg_url):  # create the tables once, before the kernel does
        pass

    env = dict(os.environ)
    env.update(JUPYTERHUB_USER=HUB_USER, KIT_DATABASE_URL=pg_url,
               KIT_DATA_DIR=str(tmp_path / "data"))
    env.pop("KIT_DEMO", None)
    with kit_serve(root, env, tmp_path / "serve.log", "--no-preheat") as (url, _port, _proc):
        context = browser.new_context()
        page = context.new_page()
        page.goto(url + "voila/render/" + NOTEBOOK)
        wait_rendered(page)
        assert page.get_by_role("button", name="Join my group").count() == 0, "asked to sign in"
        framework = load_framework("collaboration-behaviours")
        rate_every_item_and_submit(page, framework)
        context.close()

    with Store(pg_url) as store:
        participant = store.participant_for_hub_user(HUB_USER)
        scores = store.participant_scores(participant.id, framework.id)
    assert len(scores) > 0
