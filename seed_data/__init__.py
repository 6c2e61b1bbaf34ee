"""Deterministic bilingual seed data and the hidden ground truth used by the feedback simulator."""

from seed_data.generator import DEFAULT_COUNTS, EcosystemGenerator, SeedPlan

__all__ = ["DEFAULT_COUNTS", "EcosystemGenerator", "SeedPlan"]
