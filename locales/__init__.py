"""Babel catalogs (sv, nb, da). msgids are English; see the README for the workflow."""

from pathlib import Path

LOCALES_DIR = Path(__file__).resolve().parent
DOMAIN = "narvaro"
