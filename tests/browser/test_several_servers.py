"""Several ``kit serve`` processes on one PostgreSQL database, as several machines behind a
load balancer: a participant joins on one, resumes on another with their resume code, and the
facilitator dashboard on either shows the same results."""

from __future__ import annotations

import os
import re
import shutil
from contextlib import ExitStack

import pytest
from browser_support import kit_serve, rate_every_item_and_submit, wait_rendered

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

APPS = ("01_self_assessment.ipynb", "10_facilitator_dashboard.ipynb")
CODE = re.compile(r"\b[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}\b")


def _open(browser, url: str, notebook: str):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(180_000)
    page.goto(url + "voila/render/" + notebook, wait_until="commit")
    wait_rendered(page, timeout=180_000)
    return context, page


def _dashboard_words(browser, url: str, key: str) -> str:
    context, page = _open(browser, url, APPS[1])
    page.get_by_label("Facilitator key", exact=True).fill(key)
    page.get_by_role("button", name="Open cohort").click()
    words = page.locator("text=In words:").first
    words.wait_for()
    text = words.locator("xpath=..").inner_text()
    context.close()
    return text


def test_join_on_one_server_resume_on_another_same_dashboard(browser, pg_url, tmp_path):
    from kit._paths import notebooks_dir
    from kit.content import load_framework
    from kit.store import BulkResponse, Store

    root = tmp_path / "notebooks"
    root.mkdir()
    for name in APPS:
        shutil.copy(notebooks_dir() / name, root / name)
    framework = load_framework("collaboration-behaviours")
    with Store(pg_url) as store:
        created = store.create_cohort(
            "Two servers", groups=["North"], rounds=["Baseline"],
            frameworks=["collaboration-behaviours"],
        )
        # four earlier members, so that with one more the group's scores can be shown; the
        # round opens once everyone has joined (opening fixes who counts)
        earlier = store.add_participants(created.cohort_id, [{"group": "North"}] * 4)

    env = dict(os.environ)
    env.update(KIT_DATABASE_URL=pg_url)
    for name in ("KIT_DEMO", "JUPYTERHUB_USER"):
        env.pop(name, None)
    with ExitStack() as servers:
        urls = []
        for name in ("a", "b"):
            server_env = {**env, "KIT_DATA_DIR": str(tmp_path / f"data-{name}")}
            url, _port, _proc = servers.enter_context(
                kit_serve(root, server_env, tmp_path / f"serve-{name}.log", "--no-preheat")
            )
            urls.append(url)
        a, b = urls

        # join on server A while the round is not open yet
        context, page = _open(browser, a, APPS[0])
        page.get_by_label("Join code").fill(created.join_codes["North"])
        page.get_by_role("button", name="Join my group").click()
        page.locator(".kit-resume-code").wait_for()
        [resume_code] = CODE.findall(page.locator(".kit-resume-code").inner_text())
        context.close()

        # everyone has joined: the round opens, the four earlier members answer
        with Store(pg_url) as store:
            rnd = store.open_round(created.cohort_id, "Baseline")
            store.submit_responses(
                framework, rnd.id,
                [BulkResponse(p, {i.id: 2 for i in framework.items}, {}, f"e{p}")
                 for p in earlier],
            )

        # back on server A with the resume code, answer the self-assessment there
        context, page = _open(browser, a, APPS[0])
        page.get_by_label("Resume code").fill(resume_code)
        page.get_by_role("button", name="Carry on").click()
        page.get_by_role("button", name="Join my group").wait_for(state="detached")
        rate_every_item_and_submit(page, framework)
        context.close()

        # resume on server B with the resume code: the same participant, answers already there
        context, page = _open(browser, b, APPS[0])
        page.get_by_label("Resume code").fill(resume_code)
        page.get_by_role("button", name="Carry on").click()
        page.get_by_role("button", name="Join my group").wait_for(state="detached")
        with Store(pg_url) as store:
            me = store.resume(resume_code)
            assert store.latest_response(me.id, framework.id, rnd.id) is not None
        page.wait_for_function(
            "() => /saved|Your profile|answered/i.test(document.body.innerText)"
        )
        context.close()

        # the dashboard says the same on both servers, and counts the new participant
        on_a = _dashboard_words(browser, a, created.facilitator_key)
        on_b = _dashboard_words(browser, b, created.facilitator_key)
    assert on_a == on_b
    assert "5 of 5" in on_a
