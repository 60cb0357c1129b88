"""Segmentation: offsets slice the stored text exactly, and the hard cases of news copy."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.segment import paragraphs, segment
from tests.conftest import SAMPLE
from tests.scoring import gold_texts, score_texts

HARD_CASES: list[tuple[str, list[str]]] = [
    (
        "He met Mr. Smith at 3 p.m. on Friday. Then he left.",
        ["He met Mr. Smith at 3 p.m. on Friday.", "Then he left."],
    ),
    (
        "The U.S. State Department said it was concerned. Officials agreed.",
        ["The U.S. State Department said it was concerned.", "Officials agreed."],
    ),
    (
        "President Vladimir V. Putin of Russia brokered a deal. He sent troops.",
        ["President Vladimir V. Putin of Russia brokered a deal.", "He sent troops."],
    ),
    (
        "Gen. Mark Milley spoke on Monday. He left.",
        ["Gen. Mark Milley spoke on Monday.", "He left."],
    ),
    (
        "She grew up in Portland, Ore., and moved east. She stayed.",
        ["She grew up in Portland, Ore., and moved east.", "She stayed."],
    ),
    (
        "It rose 3.5 percent. Analysts said Resolution No. 1187 passed.",
        ["It rose 3.5 percent.", "Analysts said Resolution No. 1187 passed."],
    ),
    (
        "“We will fight,” he said. “Never surrender.” She agreed.",
        ["“We will fight,” he said.", "“Never surrender.”", "She agreed."],
    ),
    ("He said “the war is over.” Then he left.", ["He said “the war is over.”", "Then he left."]),
    ('"Is this over?" she asked. "No."', ['"Is this over?" she asked.', '"No."']),
    ("He said: ‘We won.’ Then silence.", ["He said: ‘We won.’", "Then silence."]),
    (
        "Sen. Elizabeth Warren said no. Rep. John Doe agreed.",
        ["Sen. Elizabeth Warren said no.", "Rep. John Doe agreed."],
    ),
    (
        "The St. Louis Fed said rates were fine. Dr. Jones disagreed.",
        ["The St. Louis Fed said rates were fine.", "Dr. Jones disagreed."],
    ),
    (
        "Acme Corp. reported earnings of $1.2 billion. Shares rose 4.5%.",
        ["Acme Corp. reported earnings of $1.2 billion.", "Shares rose 4.5%."],
    ),
    (
        "In the U.K., prices rose. In the E.U. they fell.",
        ["In the U.K., prices rose.", "In the E.U. they fell."],
    ),
    (
        "Jan. 6 was a dark day, he said. The committee agreed.",
        ["Jan. 6 was a dark day, he said.", "The committee agreed."],
    ),
    (
        "Prices rose in the U.S. The Fed said rates would rise.",
        ["Prices rose in the U.S.", "The Fed said rates would rise."],
    ),
    (
        "The U.N. Security Council met. The vote failed.",
        ["The U.N. Security Council met.", "The vote failed."],
    ),
    (
        "He said it was so. (He was wrong.) She disagreed.",
        ["He said it was so.", "(He was wrong.)", "She disagreed."],
    ),
    (
        "The firm cut 5,000 jobs, e.g. in Ohio. Analysts were surprised.",
        ["The firm cut 5,000 jobs, e.g. in Ohio.", "Analysts were surprised."],
    ),
    (
        "Mr. Putin’s spokesman, Dmitri S. Peskov, said talks were ongoing.",
        ["Mr. Putin’s spokesman, Dmitri S. Peskov, said talks were ongoing."],
    ),
    (
        "the disputed region.Credit...Ivor Prickett for The New York Times",
        ["the disputed region.", "Credit...Ivor Prickett for The New York Times"],
    ),
    (
        "troops in Nagorno-Karabakh.”In response, the ministry spoke.",
        ["troops in Nagorno-Karabakh.”", "In response, the ministry spoke."],
    ),
    (
        "Tensions flared where Azerbaijan and\nArmenia fought, Moscow said in\na statement.",
        ["Tensions flared where Azerbaijan and\nArmenia fought, Moscow said in\na statement."],
    ),
    (
        "HOLD UP...WHAT?!???\nWith Russia distracted, troops moved.",
        ["HOLD UP...WHAT?!???", "With Russia distracted, troops moved."],
    ),
    ("Image\nSoldiers walked into a trench.", ["Image", "Soldiers walked into a trench."]),
    (
        "First paragraph ends here.\n\nSecond paragraph starts here.",
        ["First paragraph ends here.", "Second paragraph starts here."],
    ),
    (
        "A line with Windows breaks\r\nthat continues here.\r\n\r\nNext one.",
        ["A line with Windows breaks\r\nthat continues here.", "Next one."],
    ),
    (
        "The talks, he said, were held with\nRussia and Turkey. They failed.",
        ["The talks, he said, were held with\nRussia and Turkey.", "They failed."],
    ),
    (
        "He was born in the 1990s... Things changed.",
        ["He was born in the 1990s...", "Things changed."],
    ),
    (
        "The vote was 5-4. Justice Sonia Sotomayor wrote the dissent.",
        ["The vote was 5-4.", "Justice Sonia Sotomayor wrote the dissent."],
    ),
    (
        "He will speak at 10 a.m. on Tuesday, officials said.",
        ["He will speak at 10 a.m. on Tuesday, officials said."],
    ),
    (
        "Prof. Ann Lee of M.I.T. said the data was wrong. She is right.",
        ["Prof. Ann Lee of M.I.T. said the data was wrong.", "She is right."],
    ),
    (
        "Shares fell 0.7 percent to $12.40. Trading was thin.",
        ["Shares fell 0.7 percent to $12.40.", "Trading was thin."],
    ),
    ("“Enough.” She left the room.", ["“Enough.”", "She left the room."]),
    (
        "Lt. Col. Alexander Vindman testified. The hearing ended.",
        ["Lt. Col. Alexander Vindman testified.", "The hearing ended."],
    ),
]


@pytest.mark.parametrize(("text", "expected"), HARD_CASES, ids=[c[0][:40] for c in HARD_CASES])
def test_hard_case(text: str, expected: list[str]) -> None:
    assert [text[s.start : s.end] for s in segment(text)] == expected


def test_sample_article_matches_gold_segmentation() -> None:
    text = SAMPLE.read_text("utf-8")
    result = score_texts([text[s.start : s.end] for s in segment(text)], gold_texts("sample"))
    assert result["segmentation_f1"] == 1.0
    assert result["misaligned"] == 0


def test_sample_article_kinds_match_gold() -> None:
    text = SAMPLE.read_text("utf-8")
    gold_kinds = [k.replace("noise", "other") for k in gold_texts("sample", field="kind")]
    assert [s.kind for s in segment(text)] == gold_kinds


def test_sample_paragraphs_join_hard_wrapped_lines() -> None:
    text = SAMPLE.read_text("utf-8")
    spans = paragraphs(text)
    assert any("Armenia\nfought a war" in text[s:e] for s, e in spans)
    assert len(spans) == 14


@pytest.mark.parametrize("text", ["", "   ", "\n\n\n", "\r\n \t"])
def test_blank_text_has_no_sentences(text: str) -> None:
    assert segment(text) == []


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(list("ab .?!”“\"'\n\r\t-—…CS1.") + ["Mr.", "U.S.", "Credit...", "\n\n"]),
        max_size=60,
    ).map("".join)
)
def test_offsets_always_slice_stripped_non_overlapping_text(text: str) -> None:
    previous_end = 0
    for seg in segment(text):
        piece = text[seg.start : seg.end]
        assert piece and piece == piece.strip()
        assert seg.start >= previous_end
        previous_end = seg.end
    covered = "".join(text[s.start : s.end] for s in segment(text))
    assert "".join(covered.split()) == "".join(text.split())
