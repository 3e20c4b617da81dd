"""CLI command groups, one module each; ``cli.py`` registers every module listed here.

A module defines ``register(app: typer.Typer) -> None`` and adds its commands to ``app``.
Keep the work in the packages (analyze/, report/, export/, resolve/, ...): these modules only
parse options and print.
"""
from __future__ import annotations

import importlib
import pkgutil


def register_all(app) -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(app)
