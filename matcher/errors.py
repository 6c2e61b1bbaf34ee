"""The matcher's exceptions, one rooted tree.

    MatcherError
    ├── UnknownLabelError        a label outside a taxonomy vocabulary (lists the valid codes)
    ├── ConfigError              an invalid matcher configuration or weight set
    ├── EncoderError             an encoder could not be built or loaded
    ├── IndexError_              an index problem
    │   └── IndexMismatchError   a saved index was built by another encoder / dimension / is corrupt
    ├── NotFittedError           a model was used before ``fit``
    ├── ModelArtifactError       a model artifact is missing, corrupt or untrusted
    └── InfeasibleError          an allocation constraint cannot be met

Every message says what to do next.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "ConfigError",
    "EncoderError",
    "IndexError_",
    "IndexMismatchError",
    "InfeasibleError",
    "MatcherError",
    "ModelArtifactError",
    "NotFittedError",
    "UnknownLabelError",
]


class MatcherError(Exception):
    """Root of every error raised by ``matcher``."""


class UnknownLabelError(MatcherError, ValueError):
    def __init__(self, vocabulary: str, value: str, valid: Sequence[str]) -> None:
        self.vocabulary = vocabulary
        self.value = value
        self.valid = tuple(valid)
        super().__init__(f"unknown {vocabulary} {value!r}; valid values: {', '.join(self.valid)}")


class ConfigError(MatcherError, ValueError):
    pass


class EncoderError(MatcherError):
    pass


class IndexError_(MatcherError):  # noqa: N801 - trailing underscore avoids shadowing the builtin
    pass


class IndexMismatchError(IndexError_):
    pass


class NotFittedError(MatcherError):
    pass


class ModelArtifactError(MatcherError):
    pass


class InfeasibleError(MatcherError):
    pass
