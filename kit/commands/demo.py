"""``kit demo``: seed the demo cohort, or a synthetic cohort of any size (:mod:`kit.demo`).

This module imports only :mod:`argparse` at the top; everything else loads inside functions.
"""

from __future__ import annotations

import argparse

__all__ = ["register"]


def register(subparsers) -> None:
    """Add ``kit demo`` to the ``kit`` command."""
    p = subparsers.add_parser(
        "demo",
        help="seed the demo cohort (or a synthetic cohort of any size)",
        description=(
            "Seed the demo cohort and print its join code, resume code and facilitator key. "
            "Running it again prints the same codes. With --participants, add a synthetic "
            "cohort of that many people instead."
        ),
    )
    p.add_argument("--participants", type=int, metavar="N", help="make a synthetic cohort of N people")
    p.add_argument("--groups", type=int, metavar="G", help="groups in the synthetic cohort (default 3)")
    p.add_argument("--rounds", type=int, metavar="R", help="rounds in the synthetic cohort (default 2)")
    p.add_argument("--seed", type=int, metavar="S", help="random seed for the synthetic cohort (default 0)")
    p.add_argument("--database", metavar="URL", help="SQLAlchemy URL (default: KIT_DATABASE_URL or the data folder)")
    p.add_argument(
        "--publish", action="store_true",
        help="with --participants: close the earlier rounds as a facilitator would, publishing "
        "their results (minutes at 100,000 people); without it they are closed unpublished",
    )
    p.set_defaults(func=_handle)


def _handle(args: argparse.Namespace) -> int:
    import sys

    from kit.demo import DEMO_COHORT, demo_codes_path, seed_demo, seed_synthetic
    from kit.store import Store

    sizing = any(v is not None for v in (args.participants, args.groups, args.rounds, args.seed))
    if (sizing or args.publish) and args.participants is None:
        print("kit demo: --groups, --rounds, --seed and --publish go with --participants N",
              file=sys.stderr)
        return 2
    for name in ("participants", "groups", "rounds"):
        value = getattr(args, name)
        if value is not None and value < 1:
            print(f"kit demo: --{name} must be 1 or more (got {value})", file=sys.stderr)
            return 2
    with Store(args.database) as store:
        if sizing:
            import time

            from kit._progress import ProgressBar

            start = time.perf_counter()
            created = seed_synthetic(store, args.participants, args.groups or 3, args.rounds or 2,
                                     args.seed or 0, progress=ProgressBar, publish=args.publish)
            print(f"Synthetic cohort {created.name!r} (id {created.cohort_id})")
            print(f"  facilitator key: {created.facilitator_key}")
            for g, code in created.join_codes.items():
                print(f"  join code for {g}: {code}")
            if args.publish:
                print(f"  Its closed rounds' results are published "
                      f"({time.perf_counter() - start:.1f} s in all).")
            else:
                print("  Its earlier rounds are closed but not published: add --publish to "
                      "publish them as closing does, or close each again with `kit cohort round "
                      "close`.")
            return 0
        try:
            codes = seed_demo(store)
        except RuntimeError as exc:
            print(f"kit demo: {exc}", file=sys.stderr)
            return 1
    print(f"{DEMO_COHORT} is ready (cohort id {codes.cohort_id}).")
    print(f"  join code (group North):    {codes.join_code}")
    print(f"  resume code (demo participant): {codes.resume_code}")
    print(f"  facilitator key:            {codes.facilitator_key}")
    print(f"  codes are kept in {demo_codes_path()}")
    return 0
