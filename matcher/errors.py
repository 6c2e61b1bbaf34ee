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
    """A value that is no code or label of a vocabulary. With ``labels`` ((code, zh, en) triples) the message
    names the allowed values by their labels as well as their codes, and suggests the closest ones."""

    def __init__(self, vocabulary: str, value: str, valid: Sequence[str],
                 labels: Sequence[tuple[str, str, str]] = ()) -> None:
        import difflib

        self.vocabulary = vocabulary
        self.value = value
        self.valid = tuple(valid)
        if labels:
            names = {name.lower(): code for code, zh, en in labels for name in (code, zh, en)}
            key = value.strip().lower()
            close = [n for n in names if len(key) >= 2 and (key in n or n in key) and len(n) >= 2][:3] or \
                difflib.get_close_matches(key, list(names), n=3, cutoff=0.5)
            by_code = {code: (zh, en) for code, zh, en in labels}
            hint = ""
            if close:
                codes = list(dict.fromkeys(names[c] for c in close))
                hint = "; did you mean " + " / ".join(f"{by_code[c][0]} {by_code[c][1]} ({c})" for c in codes)
            listed = ", ".join(f"{zh} {en} ({code})" for code, zh, en in labels)
            super().__init__(f"unknown {vocabulary} {value!r}{hint}; valid values: {listed}")
        else:
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
