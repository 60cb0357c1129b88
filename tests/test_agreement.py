"""Agreement figures, checked against values computed by hand."""

from __future__ import annotations

import pytest

from app.agreement import agreement

# Ten sentences; A and B agree on 7; sentence 10 is untagged by B and is left out.
PAIRS = [
    ("Moscow MoD", "Moscow MoD"),
    ("Moscow MoD", "Moscow MoD"),
    ("Moscow MoD", "Baku MoD"),
    ("Baku MoD", "Baku MoD"),
    ("Baku MoD", "Baku MoD"),
    ("Reporter", "Reporter"),
    ("Reporter", "Reporter"),
    ("Reporter", "Baku MoD"),
    ("Reporter", "Reporter"),
    ("Baku MoD", None),
]


def test_raw_agreement_and_items() -> None:
    result = agreement(PAIRS)
    assert (result.items, result.agreed) == (9, 7)
    assert result.raw == pytest.approx(7 / 9)


def test_cohen_kappa_by_hand() -> None:
    # A: Moscow 3, Baku 2, Reporter 4; B: Moscow 2, Baku 4, Reporter 3 (n = 9)
    expected_chance = (3 * 2 + 2 * 4 + 4 * 3) / 81
    kappa = (7 / 9 - expected_chance) / (1 - expected_chance)
    assert agreement(PAIRS).kappa == pytest.approx(kappa)
    assert agreement(PAIRS).kappa == pytest.approx(0.6727, abs=1e-4)  # 26/81 by chance


def test_krippendorff_alpha_by_hand() -> None:
    # coincidence matrix over 9 pairable units (18 values): D_o = 4/18, D_e from the marginals
    # Moscow 5, Baku 6, Reporter 7 (n = 18)
    n = 18
    d_o = 4 / n
    d_e = (n * n - (5 * 5 + 6 * 6 + 7 * 7)) / (n * (n - 1))
    assert agreement(PAIRS).alpha == pytest.approx(1 - d_o / d_e)
    assert agreement(PAIRS).alpha == pytest.approx(0.6822, abs=1e-4)  # 1 - 17*4/214


def test_perfect_and_empty_agreement() -> None:
    assert agreement([("a", "a"), ("b", "b")]).kappa == pytest.approx(1.0)
    assert agreement([]).raw is None
    assert agreement([("a", None)]).items == 0
