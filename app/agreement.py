"""Agreement between two taggers: raw agreement, Cohen's kappa, Krippendorff's alpha."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Agreement:
    items: int  # sentences both taggers labelled
    agreed: int
    raw: float | None
    kappa: float | None
    alpha: float | None


def agreement(pairs: Sequence[tuple[str | None, str | None]]) -> Agreement:
    """Compare two taggers' nominal labels; pairs where either is untagged (None) are left out.

    "Reporter's own voice" is a label like any source. Kappa is computed here (it is four
    lines); alpha comes from the krippendorff package, which handles the nominal metric.
    """
    both = [(a, b) for a, b in pairs if a is not None and b is not None]
    if not both:
        return Agreement(0, 0, None, None, None)
    agreed = sum(a == b for a, b in both)
    raw = agreed / len(both)
    return Agreement(len(both), agreed, raw, _cohen_kappa(both), _alpha(pairs))


def _cohen_kappa(both: Sequence[tuple[str, str]]) -> float | None:
    n = len(both)
    first = Counter(a for a, _ in both)
    second = Counter(b for _, b in both)
    expected = sum(first[label] * second.get(label, 0) for label in first) / (n * n)
    observed = sum(a == b for a, b in both) / n
    if expected == 1:
        return None  # one label only: kappa is undefined
    return (observed - expected) / (1 - expected)


def _alpha(pairs: Sequence[tuple[str | None, str | None]]) -> float | None:
    labels = sorted({x for pair in pairs for x in pair if x is not None})
    if len(labels) < 2:
        return None
    code = {label: float(i) for i, label in enumerate(labels)}
    nan = float("nan")
    data = [
        [code[a] if a is not None else nan for a, _ in pairs],
        [code[b] if b is not None else nan for _, b in pairs],
    ]
    import krippendorff  # imported on first use: numpy is ~15 MB an idle server need not carry

    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
