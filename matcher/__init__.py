"""Huoban's matcher: a pure library (no web framework, no ORM, no environment variables)."""

__all__: list[str] = []
