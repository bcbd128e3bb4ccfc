"""When two ids are the same to a reader (``prioritize/load/identity.py``): ids that differ
only by case, Unicode normalisation or invisible (format, Cf) characters collide and are
reported naming both; ids that differ otherwise never are; ids are kept as typed."""

from __future__ import annotations

import unicodedata

import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import prioritize as pz
from prioritize.load.identity import comparable, difference

#: Letters with and without accents (composed, so that NFD changes them), digits, marks.
BASE = st.text(
    alphabet=st.sampled_from("abcdefgxyzABCXYZ0123456789-_.éÉñÑüÜçÅ"), min_size=1, max_size=8
)
#: Format characters a user never sees: zero-width space, joiner and non-joiner, word
#: joiner, left-to-right mark, byte-order mark, soft hyphen.
INVISIBLE = "\u200b\u200c\u200d\u2060\u200e\ufeff\u00ad"


@st.composite
def look_alike(draw: st.DrawFn) -> tuple[str, str]:
    """An id and a variant of it with some letters' case swapped, accents decomposed and
    invisible characters inserted; the variant differs from the id as typed."""
    base = draw(BASE)
    chars = list(base)
    for i in range(len(chars)):
        if draw(st.booleans()):
            chars[i] = chars[i].swapcase()
    variant = "".join(chars)
    if draw(st.booleans()):
        variant = unicodedata.normalize("NFD", variant)
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(variant)))
        variant = variant[:at] + draw(st.sampled_from(INVISIBLE)) + variant[at:]
    assume(variant != base)
    return base, variant


def requirements(ids: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"id": ids, "title": [f"t{i}" for i in range(len(ids))]})


@settings(max_examples=150, deadline=None)
@given(look_alike())
def test_any_look_alike_pair_is_reported_with_both_ids_and_rows(pair: tuple[str, str]) -> None:
    base, variant = pair
    with pytest.raises(pz.ValidationError) as caught:
        pz.load_requirements(requirements([base, "zzzz-other", variant]))
    problem = caught.value.first
    assert (problem.row, problem.column) == ("2", "id")
    assert problem.value == f"{base} | {variant}"
    assert "differs from that of row 0 only by" in problem.message


@settings(max_examples=150, deadline=None)
@given(BASE, BASE)
def test_ids_that_differ_otherwise_are_never_reported(a: str, b: str) -> None:
    assume(comparable(a) != comparable(b))
    loaded = pz.load_requirements(requirements([a, b]))
    assert list(loaded.ids) == [a, b]  # as typed


@given(look_alike())
def test_comparable_forgets_exactly_case_form_and_invisible_characters(
    pair: tuple[str, str],
) -> None:
    base, variant = pair
    assert comparable(base) == comparable(variant)
    assert difference(base, variant)


@pytest.mark.parametrize(
    ("a", "b", "said"),
    [
        ("R1", "r1", "case"),
        ("\u00e9", "e\u0301", "Unicode form (an accent typed as one character or as two)"),
        ("R\u200d1", "R1", "invisible characters"),
        (
            "E\u0301\u200b",
            "\u00e9",
            "invisible characters and Unicode form (an accent typed "
            "as one character or as two) and case",
        ),
    ],
)
def test_difference_says_how(a: str, b: str, said: str) -> None:
    assert difference(a, b) == said
