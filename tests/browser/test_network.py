"""``kit serve`` over a real network: every text response compressed, versioned static files
kept by the browser for a year, and a second app mostly served from the browser's cache."""

from __future__ import annotations

import re

from browser_support import wait_rendered

APP = "01_self_assessment.ipynb"
SECOND = "04_action_plan.ipynb"
TEXT = re.compile(r"^(text/|application/(javascript|json|x-javascript)|image/svg\+xml)")


def _record(page):
    seen = []

    def on_response(response):
        try:
            headers = response.all_headers()
            body = len(response.body()) if response.status == 200 else 0
        except Exception:  # noqa: BLE001 - a response the page abandoned
            return
        seen.append((response.url, response.status, headers, body))

    page.on("response", on_response)
    return seen


def test_every_text_response_is_compressed_and_versioned_files_cached_for_a_year(
    browser, kit_server
):
    context = browser.new_context()
    page = context.new_page()
    seen = _record(page)
    page.goto(kit_server.url + "voila/render/" + APP, wait_until="commit", timeout=180_000)
    wait_rendered(page)
    page.wait_for_load_state("networkidle", timeout=120_000)

    text = [
        (url, h)
        for url, status, h, size in seen
        if status == 200 and TEXT.match(h.get("content-type", "")) and size > 1024
    ]
    assert len(text) > 20, "the page should load Voila's scripts and styles"
    plain = [url for url, h in text if h.get("content-encoding") not in ("gzip", "br")]
    assert plain == [], f"sent without compression: {plain}"

    versioned = [
        (url, h)
        for url, status, h, _size in seen
        if status == 200
        and ("?v=" in url or "/labextensions/" in url and re.search(r"\.[0-9a-f]{16,}\.js", url))
    ]
    assert versioned, "the page should load versioned static files"
    for url, h in versioned:
        cache = h.get("cache-control", "")
        age = re.search(r"max-age=(\d+)", cache)
        assert age and int(age.group(1)) >= 365 * 24 * 3600 and "immutable" in cache, (url, cache)
    # the page itself is never cached: it holds the visitor's kernel
    [page_headers] = [h for url, _s, h, _b in seen if url.split("?")[0].endswith(APP)]
    assert "no-store" in page_headers.get("cache-control", "") or "no-cache" in page_headers.get(
        "cache-control", ""
    )

    # a second app in the same browser takes its scripts from the cache: they cost no bytes
    second = context.new_page()
    cdp = context.new_cdp_session(second)
    cdp.send("Network.enable")
    urls, wire = {}, {}
    cdp.on(
        "Network.responseReceived", lambda e: urls.__setitem__(e["requestId"], e["response"]["url"])
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: wire.__setitem__(e["requestId"], e.get("encodedDataLength", 0)),
    )
    second.goto(kit_server.url + "voila/render/" + SECOND, wait_until="commit", timeout=180_000)
    wait_rendered(second)
    second.wait_for_load_state("networkidle", timeout=120_000)
    scripts = {
        urls.get(rid, "?"): size
        for rid, size in wire.items()
        if urls.get(rid, "").split("?")[0].endswith(".js")
    }
    assert len(scripts) > 20
    assert sum(scripts.values()) < 50_000, sorted(scripts.items(), key=lambda kv: -kv[1])[:5]
    context.close()


def test_static_files_go_as_brotli_once_the_server_has_kept_them(browser, kit_server):
    """The first visitor gets gzip while the server compresses each file with Brotli in the
    background; a later visitor (empty cache) gets the kept Brotli bytes, smaller than gzip."""
    import time

    context = browser.new_context()
    page = context.new_page()
    offered = []

    def on_request(request):
        if request.url.split("?")[0].endswith(".js") and len(offered) < 5:
            try:
                offered.append(request.all_headers().get("accept-encoding", ""))
            except Exception:  # noqa: BLE001 - a request the page abandoned
                pass

    page.on("request", on_request)
    seen = _record(page)
    page.goto(kit_server.url + "voila/render/" + APP, wait_until="commit", timeout=180_000)
    wait_rendered(page)
    page.wait_for_load_state("networkidle", timeout=120_000)
    assert offered and all("br" in a for a in offered), set(offered)
    scripts = sorted(
        ((size, url) for url, status, h, size in seen
         if status == 200 and url.split("?")[0].endswith(".js") and size > 100_000),
        reverse=True,
    )
    assert len(scripts) >= 3, scripts
    biggest = [url for _size, url in scripts[:3]]
    context.close()

    # Wait (by condition) until the server sends each of them as Brotli.
    probe = browser.new_context()
    deadline = time.monotonic() + 300
    waiting = set(biggest)
    while waiting and time.monotonic() < deadline:
        for url in sorted(waiting):
            response = probe.request.get(url, headers={"Accept-Encoding": "gzip, br"})
            if response.headers.get("content-encoding") == "br":
                waiting.discard(url)
        if waiting:
            time.sleep(0.5)  # poll interval of a wait for a condition, with a deadline
    probe.close()
    assert not waiting, f"never sent as Brotli: {sorted(waiting)}"

    later = browser.new_context()
    second = later.new_page()
    cdp = later.new_cdp_session(second)
    cdp.send("Network.enable")
    encoding, wire = {}, {}
    cdp.on("Network.responseReceived", lambda e: encoding.__setitem__(
        e["response"]["url"],
        (e["requestId"], {k.lower(): v for k, v in e["response"]["headers"].items()}
         .get("content-encoding", ""))))
    cdp.on("Network.loadingFinished",
           lambda e: wire.__setitem__(e["requestId"], e.get("encodedDataLength", 0)))
    second.goto(kit_server.url + "voila/render/" + APP, wait_until="commit", timeout=180_000)
    wait_rendered(second)
    second.wait_for_load_state("networkidle", timeout=120_000)
    for url in biggest:
        assert encoding.get(url, ("", ""))[1] == "br", (url, encoding.get(url))
    later.close()


def test_a_page_names_its_scripts_at_its_top_and_each_is_fetched_once(browser, kit_server):
    """``kit serve`` learns which scripts an app page goes on to fetch and names them in the
    page's ``<head>`` (``kit/voila/_preload.py``), so the browser asks for them all at once.
    Each named address must be the one the page then uses: fetched once, never twice."""
    from collections import Counter

    links, requested = [], []
    # A preheated pool renders its pages ahead of their visitors, so the first pages of an app
    # after a start name nothing, or what was learned by the time they were rendered; visit
    # until a page names Voila's main script (which the page itself names only at its end).
    for _visit in range(10):
        context = browser.new_context()
        page = context.new_page()
        requested = []
        page.on("request", lambda r, seen=requested: seen.append(r.url))
        page.goto(kit_server.url + "voila/render/" + APP, wait_until="commit", timeout=180_000)
        wait_rendered(page)
        page.wait_for_load_state("networkidle", timeout=120_000)
        links = page.eval_on_selector_all(
            "head link[rel=preload], head link[rel=modulepreload]",
            "ls => ls.map(l => [l.rel, l.href, l.getAttribute('as')])",
        )
        context.close()
        hrefs = " ".join(href for _rel, href, _as in links)
        if "/voila/static/voila.js" in hrefs:
            break
    assert len(links) > 20, "the page should name Voila's scripts at its top"
    counts = Counter(requested)
    twice = [href for _rel, href, _as in links if counts[href] != 1]
    assert twice == [], f"named but fetched {[counts[h] for h in twice]} times: {twice[:5]}"
    assert all(rel == "modulepreload" or as_ == "script" for rel, _h, as_ in links)
    assert any(href.endswith("/voila/static/voila.js") for _rel, href, _as in links)
    # A new visitor's self-assessment draws no chart, so the chart bundle (an ES module, named
    # with modulepreload) is not among these; tests/test_preload.py covers that rule, and
    # benchmarks/bench_network.py records it ("module_preloads") on the demo profile's charts.
