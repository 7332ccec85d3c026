"""Property tests: reverse scoring on every allowed scale size, and load/dump round trips."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kit.content import Band, Dimension, Framework, Item, Scale, ScalePoint, load_framework
from kit.content.build import build_framework, framework_to_data

SIZES = range(3, 11)  # a scale has 3 to 10 points


def framework_yaml(size: int, start: int) -> str:
    """A small valid framework whose scale has ``size`` points from ``start``."""
    top = start + size - 1
    points = "\n".join(f"    - {{value: {v}, label: Point {v}}}" for v in range(start, top + 1))
    return f"""\
schema_version: 1
id: scale-{size}
title: Scale of {size}
description: For property tests.
lens: self
scale:
  points:
{points}
bands:
  - {{id: high, label: High, min: {top}}}
  - {{id: low, label: Low, min: {start}}}
dimensions:
  - id: only
    title: Only dimension
    why: For tests.
    items:
      - {{id: forward, text: A forward item.}}
      - {{id: backward, text: A reversed item., reverse: true}}
"""


@pytest.fixture(scope="module")
def loaded_scales(tmp_path_factory) -> dict[int, Scale]:
    """One framework per allowed size, loaded through the real loader."""
    folder = tmp_path_factory.mktemp("scales")
    out = {}
    for size in SIZES:
        path = folder / f"scale-{size}.yaml"
        path.write_text(framework_yaml(size, start=1 if size % 2 else 0))
        out[size] = load_framework(path).scale
    return out


def test_every_size_loads(loaded_scales):
    assert sorted(loaded_scales) == list(SIZES)
    assert all(len(s.points) == n for n, s in loaded_scales.items())


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_reverse_scoring_properties(loaded_scales, data):
    size = data.draw(st.sampled_from(list(SIZES)), label="size")
    scale = loaded_scales[size]
    value = data.draw(st.sampled_from(scale.values), label="value")
    reversed_ = scale.score(value, reverse=True)
    assert reversed_ == scale.max + scale.min - value
    assert scale.min <= reversed_ <= scale.max                       # range preserved
    assert scale.score(int(reversed_), reverse=True) == value        # an involution
    assert scale.score(value, reverse=False) == value
    assert scale.score(None, reverse=True) is None                   # not applicable


@given(size=st.sampled_from(list(SIZES)), start=st.integers(-5, 5))
def test_reverse_scoring_is_a_bijection_on_any_scale(size, start):
    scale = Scale(tuple(ScalePoint(v, f"p{v}") for v in range(start, start + size)))
    flipped = [scale.score(v, reverse=True) for v in scale.values]
    assert sorted(flipped) == [float(v) for v in scale.values]
    assert flipped == sorted(flipped, reverse=True)


@given(size=st.sampled_from(list(SIZES)), bad=st.integers(-20, 20))
def test_values_off_the_scale_are_refused(size, bad):
    scale = Scale(tuple(ScalePoint(v, f"p{v}") for v in range(1, size + 1)))
    if bad in scale.values:
        assert scale.is_valid(bad)
    else:
        with pytest.raises(ValueError, match="is not on the scale"):
            scale.score(bad, reverse=True)


# ------------------------------------------------------------------------------- round trips

words = st.text(alphabet=st.sampled_from("abcdefghij KLMNO'-,.:?#&"), min_size=1, max_size=40)
text = words.map(str.strip).filter(lambda s: s != "")


@st.composite
def frameworks(draw) -> Framework:
    size = draw(st.integers(3, 10))
    start = draw(st.integers(0, 1))
    top = start + size - 1
    labels = draw(st.lists(text, min_size=size, max_size=size, unique=True))
    scale = Scale(tuple(ScalePoint(start + i, labels[i]) for i in range(size)),
                  not_applicable=draw(st.none() | text))
    cuts = draw(st.lists(st.integers(start * 10 + 1, top * 10), min_size=1, max_size=4,
                         unique=True))
    mins = sorted({start * 10, *cuts}, reverse=True)
    bands = tuple(Band(f"band-{i}", draw(text), m / 10, draw(st.just("") | text))
                  for i, m in enumerate(mins))
    dimensions = []
    for d in range(draw(st.integers(1, 4))):
        # the first item is a helpful act: an area of check items and events alone is refused
        items = tuple(
            Item(f"d{d}-item-{i}", draw(text), draw(st.none() | text),
                 i > 0 and draw(st.booleans()), draw(st.booleans()),
                 event=i > 0 and draw(st.booleans()))
            for i in range(draw(st.integers(2, 5)))
        )
        dimensions.append(Dimension(f"dim-{d}", draw(text), draw(text), items,
                                    draw(st.booleans())))
    importance = draw(st.none() | st.just(Scale(tuple(ScalePoint(v, f"i{v}")
                                                       for v in range(1, 6)))))
    return Framework(id="generated", title=draw(text), description=draw(text),
                     lens=draw(st.sampled_from(["self", "team"])), scale=scale, bands=bands,
                     dimensions=tuple(dimensions), importance_scale=importance,
                     version=draw(st.integers(1, 5)))


@settings(max_examples=40, deadline=None)
@given(fw=frameworks())
def test_framework_round_trips_through_yaml_and_the_loader(fw):
    data = framework_to_data(fw)
    assert build_framework(data) == fw
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
        loaded = load_framework(path)
    assert loaded == fw
    assert framework_to_data(loaded) == data


def test_shipped_frameworks_round_trip(tmp_path):
    for name in ("collaboration-behaviours", "partnership-health-check"):
        fw = load_framework(name)
        path = tmp_path / f"{name}.yaml"
        path.write_text(yaml.safe_dump(framework_to_data(fw), sort_keys=False))
        assert load_framework(path) == fw
