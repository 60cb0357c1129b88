"""One behaviour per test: the attribution patterns news text uses."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.suggest import Registry, suggest

REGISTRY = Registry.from_specs(
    [
        {
            "name": "Russian Ministry of Defence",
            "aliases": ["Russian defense ministry"],
            "kind": "government",
            "country": "Russia",
        },
        {"name": "Azerbaijani Ministry of Defence", "aliases": [], "kind": "government"},
        {"name": "US State Department", "aliases": ["State Department"], "kind": "government"},
        {"name": "Acme Corp.", "aliases": ["Acme"], "kind": "company"},
        {"name": "Jane Roe", "aliases": [], "kind": "politician"},
        {"name": "Foreign policy experts", "aliases": [], "kind": "expert"},
        {"name": "Brookfield Fire Department", "aliases": [], "kind": "government"},
    ]
)


def sources(text: str, registry: Registry = REGISTRY) -> list[str | None]:
    return [s.source for s in suggest(text, registry)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The Russian defense ministry said the strikes had hit depots.",
            ["Russian Ministry of Defence"],
        ),
        (
            "The strikes hit depots, the Russian defense ministry said.",
            ["Russian Ministry of Defence"],
        ),
        ("“The strikes hit depots,” said Jane Roe, a senator.", ["Jane Roe"]),
        ("Prices will rise, according to Acme.", ["Acme Corp."]),
        ("Jane Roe told reporters that prices would rise.", ["Jane Roe"]),
        ("In a statement, Acme said prices would rise.", ["Acme Corp."]),
        (
            "Moscow said in a statement that the strikes had hit depots.",
            ["Russian Ministry of Defence"],
        ),
        (
            "Jalina Porter, deputy spokeswoman at the U.S. State Department, said it was so.",
            ["US State Department"],
        ),
        ("A spokesman for Acme said the recall was voluntary.", ["Acme Corp."]),
        ("But foreign policy experts said other powers might act.", ["Foreign policy experts"]),
        (
            "Fire Chief Raymond Doyle told reporters the fire was set.",
            ["Brookfield Fire Department"],
        ),
        (
            "Levon Ayvazyan, an Armenian official, accusedAzerbaijan of violating deals.",
            ["Levon Ayvazyan"],
        ),
    ],
)
def test_speaker_in_every_position(text: str, expected: list[str]) -> None:
    assert sources(text) == expected


def test_most_recent_compatible_ministry_wins() -> None:
    text = (
        "The Russian defense ministry said drones had struck.\n\n"
        "The ministry said the events occurred on Friday.\n\n"
        "Azerbaijan’s defense ministry disputed Moscow’s version of events.\n\n"
        "The ministry said in a statement that units had retreated.\n\n"
        "The statement reiterated its commitment to the deal."
    )
    assert sources(text) == [
        "Russian Ministry of Defence",
        "Russian Ministry of Defence",
        "Azerbaijani Ministry of Defence",
        "Azerbaijani Ministry of Defence",
        "Azerbaijani Ministry of Defence",
    ]


def test_he_after_two_men_means_the_speaker() -> None:
    text = (
        "Tom Hale, who campaigned beside Mr. Pratt on Thursday, said the plan would fail. "
        "He said he would propose his own."
    )
    registry = Registry.from_specs(
        [{"name": "Tom Hale", "kind": "politician"}, {"name": "Dale Pratt", "kind": "politician"}]
    )
    assert sources(text, registry) == ["Tom Hale", "Tom Hale"]


def test_she_resolves_to_the_last_woman() -> None:
    text = "Ms. Roe said the vote was close. Mr. Smith disagreed. She said she would appeal."
    assert sources(text)[2] == "Jane Roe"


def test_quote_spanning_sentences_carries_the_speaker() -> None:
    text = "“We heard the explosion,” said Jane Roe. “My daughter was asleep. I carried her.”"
    assert sources(text) == ["Jane Roe", "Jane Roe", "Jane Roe"]


def test_speaker_named_at_the_end_of_a_quote_owns_all_of_it() -> None:
    text = "Acme fell.\n\n“Sales were weak. We expect better,” Jane Roe said."
    assert sources(text) == [None, "Jane Roe", "Jane Roe"]


def test_participial_cue_takes_the_main_subject() -> None:
    text = "Acme also lowered its outlook, saying sales would be flat."
    assert sources(text) == ["Acme Corp."]


def test_narration_and_actions_are_the_reporters_voice() -> None:
    text = (
        "Acme opened a plant in 2019. Jane Roe signed the bill on Tuesday. "
        "It was not clear whether the plant would reopen. Why did prices rise?"
    )
    assert sources(text) == [None, None, None, None]


def test_declined_to_comment_is_not_a_claim() -> None:
    assert sources("Acme declined to comment on the report.") == [None]
    assert sources("Acme declined to comment but said the plant was safe.") == ["Acme Corp."]


def test_future_and_passive_cues_are_not_claims() -> None:
    assert sources("Acme will report results in February.") == [None]
    assert sources("The land is claimed by both countries.") == [None]


def test_anonymous_source_is_proposed_as_anonymous() -> None:
    [s] = suggest(
        "A senior official, who spoke on condition of anonymity, said talks failed.", Registry([])
    )
    assert s.new_source and s.source == "Anonymous senior official"
    assert s.source_kind == "anonymous"


def test_new_person_gets_affiliation() -> None:
    [s] = suggest(
        "Maria Lopez, a spokeswoman for the Harbor Authority, said the port was shut.", Registry([])
    )
    assert (s.source, s.new_source, s.affiliation) == ("Maria Lopez", True, "Harbor Authority")


def test_mention_points_at_the_speaker_words() -> None:
    text = "The strikes hit depots, the Russian defense ministry said."
    [s] = suggest(text, REGISTRY)
    assert s.mention is not None
    assert text[s.mention[0] : s.mention[1]] == "the Russian defense ministry"
    assert (s.cue, s.mode) == ("said", "indirect")


def test_modes() -> None:
    text = (
        "“We will win,” Jane Roe said. Jane Roe said the plan was “dead on arrival.” "
        "Jane Roe said it was fine."
    )
    assert [s.mode for s in suggest(text, REGISTRY)] == ["direct", "mixed", "indirect"]


def test_headline_caption_credit_and_furniture_get_no_source() -> None:
    text = (
        "HOLD UP...WHAT?!???\nAcme says prices will rise\nImage\n"
        "A worker at the plant.Credit...Jo Smith for The Times\n"
        "Acme said on Tuesday that prices would rise 4 percent next year."
    )
    result = suggest(text, REGISTRY)
    assert [(s.kind, s.source) for s in result] == [
        ("other", None),
        ("headline", None),
        ("other", None),
        ("caption", None),
        ("credit", None),
        ("body", "Acme Corp."),
    ]
    assert "headline" in result[1].reason


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Acme",
                "said",
                "he",
                "she",
                "they",
                "the ministry",
                ",",
                ".",
                "“",
                "”",
                '"',
                "\n",
                "\n\n",
                "according to",
                "who",
                "Mr.",
                "Jane Roe",
                "told",
                "saying",
                "that",
                "and",
                " ",
                "declined to comment",
                "Credit...",
                "It",
                "which",
                "reported",
                "?",
                ";",
                "(",
                ")",
            ]
        ),
        max_size=40,
    ).map(" ".join)
)
def test_any_text_gives_one_valid_suggestion_per_sentence(text: str) -> None:
    from app.segment import segment

    result = suggest(text, REGISTRY)
    assert [(s.start, s.end) for s in result] == [(g.start, g.end) for g in segment(text)]
    for s in result:
        assert 0 <= s.confidence <= 1 and s.reason
        if s.mention is not None:
            assert 0 <= s.mention[0] < s.mention[1] <= len(text)


def test_british_single_quotes_are_quotes() -> None:
    text = (
        "The court ruled against the council.\n\n'We were told we were cranks. Three judges "
        "have now said we were right,' said Jane Roe, who led the campaign.\n\n"
        "'It is a good day.'"
    )
    assert sources(text) == [None, "Jane Roe", "Jane Roe", "Jane Roe"]


def test_possessed_thing_is_not_its_owner_speaking() -> None:
    text = "Acme's shares rose 36 per cent on Monday, suggesting that investors expect a bid."
    assert sources(text) == [None]


def test_longest_name_in_a_phrase_wins() -> None:
    registry = Registry.from_specs(
        [
            {"name": "Randall Briggs", "aliases": ["Briggs"]},
            {"name": "Briggs campaign", "kind": "politician"},
        ]
    )
    assert sources("The Briggs campaign denied any coordination.", registry) == ["Briggs campaign"]


def test_place_named_before_picks_the_ministry() -> None:
    registry = Registry.from_specs(
        [
            {"name": "Selvanian Ministry of Defence", "kind": "government"},
            {"name": "Kordovan Ministry of Defence", "kind": "government"},
        ]
    )
    text = (
        "The Selvanian Ministry of Defence said its troops held the town. In the Kordovan "
        "capital, Vastra, the defence ministry said its forces had destroyed a bridge."
    )
    assert sources(text, registry) == [
        "Selvanian Ministry of Defence",
        "Kordovan Ministry of Defence",
    ]


def test_one_of_them_is_the_group() -> None:
    text = (
        "Two people familiar with the talks said the deal was close. One of them said a "
        "price had been agreed."
    )
    registry = Registry.from_specs(
        [{"name": "People familiar with the talks", "kind": "anonymous"}]
    )
    assert sources(text, registry) == ["People familiar with the talks"] * 2
