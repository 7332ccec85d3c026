"""Alembic migration scripts, shipped inside the package and run by the store on open.

``HEAD`` names the newest revision so that opening an up-to-date database needs no Alembic
import at all; a test checks it against the scripts.
"""

from pathlib import Path

__all__ = ["HEAD", "SCRIPT_LOCATION"]

HEAD = "0018"
SCRIPT_LOCATION = Path(__file__).resolve().parent
