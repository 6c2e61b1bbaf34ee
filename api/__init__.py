"""Huoban HTTP API (Flask) and command line.

``create_app`` is imported lazily so that the command line starts without loading Flask.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def create_app(config: Any = None) -> Any:
    from api.app import create_app as factory

    return factory(config)
