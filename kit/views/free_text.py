"""The free-text view: finished answers to the shared prompt, with no chart and no table."""

from __future__ import annotations

from kit.views._base import FacilitatorView

__all__ = ["FreeText"]


class FreeText(FacilitatorView):
    """"In their words": the texts are shown as they are (``data.prompts``), never charted
    or written to a CSV file."""

