"""Reusable ipywidgets pieces for the kit's forms.

Every control carries a label, works from the keyboard, and escapes any text it shows.
"""

from kit.forms.callbacks import GENERIC_PROBLEM, friendly_message, safe_callback
from kit.forms.collapsible import Collapsible, collapsible_html
from kit.forms.download import DownloadLink, OneClickDownload, download_link_html
from kit.forms.language import LanguagePicker
from kit.forms.messages import MessageArea
from kit.forms.prompt import MAX_TEXT, PromptArea
from kit.forms.radio_group import RadioGroup
from kit.forms.rated_item import NOT_APPLICABLE, ImportanceRating, LookingBackRating, RatedItem
from kit.forms.stepper import Stepper

__all__ = [
    "Collapsible",
    "DownloadLink",
    "GENERIC_PROBLEM",
    "ImportanceRating",
    "LookingBackRating",
    "LanguagePicker",
    "MAX_TEXT",
    "MessageArea",
    "NOT_APPLICABLE",
    "OneClickDownload",
    "PromptArea",
    "RadioGroup",
    "RatedItem",
    "collapsible_html",
    "Stepper",
    "download_link_html",
    "friendly_message",
    "safe_callback",
]
