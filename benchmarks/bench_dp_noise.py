"""What differential-privacy noise would do to a group mean (issue 24; a measurement, not a
feature: OpenDP is not a dependency of the kit).

A group's mean score on the 1-5 scale, made epsilon-differentially private with OpenDP's
Laplace mechanism on a bounded mean of a known-size group (changing one person's answer is a
symmetric distance of 2). For n = 5, 10 and 20 people and epsilon = 0.5, 1 and 2 it reports
the noise scale OpenDP calibrates, the half-width of the interval that holds 95% of released
means (measured over many releases of one true mean, and the Laplace formula ``scale x
ln 20``), how often a released mean falls outside the scale, and how often it lands in a
different band of the shipped collaboration framework than the true one (a priority below
3.0, developing from 3.0, a strength from 4.0; true mean 3.2).

Run::

    .venv/bin/pip install opendp        # into the benchmark environment only
    .venv/bin/python benchmarks/bench_dp_noise.py [--releases 20000]

Results go to ``benchmarks/results/dp_noise.json``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _band(mean: float) -> int:
    return 0 if mean < 3.0 else 1 if mean < 4.0 else 2


def main(argv=None) -> int:
    import opendp.prelude as dp

    dp.enable_features("contrib")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=20_000)
    parser.add_argument("--out", default=str(HERE / "results" / "dp_noise.json"))
    args = parser.parse_args(argv)
    rows = []
    for n in (5, 10, 20):
        # a group whose true mean is 3.2: answers as even as the scale allows
        answers = [3.0] * n
        for i in range(round(0.2 * n)):
            answers[i] = 4.0
        true = sum(answers) / n
        space = (dp.vector_domain(dp.atom_domain(bounds=(1.0, 5.0)), size=n),
                 dp.symmetric_distance())
        for eps in (0.5, 1.0, 2.0):
            def chain(s, space=space):
                return space >> dp.t.then_mean() >> dp.m.then_laplace(s)

            scale = dp.binary_search_param(chain, d_in=2, d_out=eps)
            meas = chain(scale)
            released = sorted(meas(answers) for _ in range(args.releases))
            errors = sorted(abs(x - true) for x in released)
            half95 = errors[int(0.95 * len(errors))]
            b = scale  # OpenDP's calibration: (5 - 1) / n / epsilon
            other_band = sum(_band(x) != _band(true) for x in released) / len(released)
            rows.append({"n": n, "epsilon": eps, "true_mean": round(true, 2),
                         "laplace_scale": round(b, 3),
                         "half_width_95_measured": round(half95, 2),
                         "half_width_95_formula": round(b * math.log(20), 2),
                         "outside_scale_share": round(sum(not 1 <= x <= 5 for x in released)
                                                      / len(released), 3),
                         "different_band_share": round(other_band, 3)})
            print(json.dumps(rows[-1]), flush=True)
    Path(args.out).write_text(json.dumps({
        "opendp": version("opendp"), "releases": args.releases,
        "command": "python benchmarks/bench_dp_noise.py " + " ".join(
            sys.argv[1:] if argv is None else argv),
        "results": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
