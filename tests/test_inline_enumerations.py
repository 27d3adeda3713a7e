"""An English sentence whose enumeration is written inline ("…: (a) …; (b) …; and (c) …") is read item by item by
the rules about the grant (each item is a statement of its own, under its lead-in) and as a whole by the rules
about the other terms (a termination clause with its grounds is one clause)."""

from __future__ import annotations

from tosscan.structure import inline_enumerations, parse

SUGGESTIONS = ("If you send us any Suggestions, you agree that: (1) your Suggestions become our property; "
               "(2) none of the Suggestions contain confidential information of any third party; (3) we may use "
               "or redistribute Suggestions for any purpose; and (4) we have no obligation to review them.")
REVOKED = ("5.2 This licence is automatically revoked if you do any of the following: (a) use the Service for a "
           "commercial purpose; (b) copy, modify or create derivative works from any material on the Service; "
           "or (c) use a robot to access the Service.")
MEASURES = ("If you break these Terms we may, at our sole discretion: (a) suspend or terminate your account; "
            "(b) remove any content you posted; and (c) report you to the authorities.")


def test_the_items_of_an_inline_enumeration_are_sentences_of_their_own() -> None:
    st = parse(SUGGESTIONS, "en")
    quotes = [SUGGESTIONS[s.start:s.end] for s in st.sentences]
    # the lead-in keeps its first item, as the scoring units do (they are cut at ";", not at ":")
    assert len(quotes) == 4 and quotes[0].endswith("become our property;") and quotes[3].startswith("and (4)")
    assert inline_enumerations(SUGGESTIONS, st.sentences) == [(0, 3)]
    # a semicolon without an item marker still joins ("…; however, …" is one sentence)
    plain = "We may remove content; however, we will tell you why. You can appeal."
    assert len(parse(plain, "en").sentences) == 2
    assert inline_enumerations(plain, parse(plain, "en").sentences) == []


def _concepts_by_quote(scanner, text: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in scanner.scan_text(text, lang="en").findings:
        out.setdefault(f.quote, set()).update(f.concepts)
    return out


def test_an_attribute_in_one_item_is_not_a_term_of_the_grant_in_another(scanner) -> None:
    found = _concepts_by_quote(scanner, SUGGESTIONS)
    third = [q for q, cs in found.items() if "license.third_parties" in cs]
    assert not third, third  # "any third party" in (2) is no one the platform shares with
    assert any("ip.ownership_transfer" in cs and q.endswith("become our property;") for q, cs in found.items())


def test_a_list_of_what_revokes_the_user_licence_grants_nothing(scanner) -> None:
    found = _concepts_by_quote(scanner, REVOKED)
    assert not any("license.derivative_works" in cs for cs in found.values()), found


def test_the_other_terms_read_the_enumeration_whole(scanner) -> None:
    findings = [f for f in scanner.scan_text(MEASURES, lang="en").findings
                if "account.unilateral_termination" in f.concepts]
    assert findings and findings[0].quote == MEASURES  # the lead-in with every ground, as one clause
