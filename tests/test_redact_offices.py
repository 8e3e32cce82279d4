"""An office, a place and a shop are no one's personal data; a person's name is, also
after a role (reports/redact.py, OFFICES). Generated: offices x towns x name forms x case,
in author names (the accounts an export's known names come from) and in text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reactieveld.reports.redact import redact_names

OFFICES = ["Raadslid", "Wethouder", "Burgemeester", "Gedeputeerde", "Griffier"]
TOWNS = ["Eemnes", "Laren", "Blaricum", "Huizen", "Bussum", "Hilversum"]
#: (first name, particles, surname) of persons, some with a role in their account name.
PERSONS = [("Jan", "de", "Vries"), ("Fatima", "", "Bakkali"), ("Kees", "van", "Dam")]
CASES = [str, str.lower, str.upper, str.title]


def _full(first: str, particle: str, surname: str) -> str:
    return " ".join(w for w in (first, particle, surname) if w)


#: A text that names towns and offices and no person; each stays as it is.
PLACES = [
    "Ik woon in {town} en werk in {other}.",
    "{town} heeft een nieuwe brug.",
    "Ik sprak de {office_lc} van {town} gisteren.",
    "Het {office_lc} zei dat de weg in {other} dicht gaat.",
    "Fietsenmaker {town} is op zondag dicht.",
    "Volgens de gemeente {town} klopt het niet.",
]
#: A person's name after a role, and alone later on: no word of it stays.
NAMED = [
    "Het {office_lc} {full} stemde tegen.",
    "{office} {full} zei het. Later zei {first} het nog eens.",
    "Volgens {office_lc} {full}: nee.",
    "Ik heb {full} gisteren gesproken.",
]


@given(
    office=st.sampled_from(OFFICES),
    town=st.sampled_from(TOWNS),
    other=st.sampled_from(TOWNS),
    case=st.sampled_from(CASES),
    person=st.sampled_from(PERSONS),
    template=st.sampled_from(PLACES),
)
@settings(max_examples=200, deadline=None)
def test_places_and_offices_stay_whoever_the_authors_are(
    office: str, town: str, other: str, case, person, template: str
) -> None:
    # The memory's authors: office accounts of towns (in any case), a person with a role
    # in the account name, a person without.
    authors = (
        case(f"{office} {town}"),
        case(f"{office} {other}"),
        f"{office} {_full(*person)}",
        "Anna Bos",
    )
    line = template.format(office_lc=office.lower(), town=town, other=other)
    assert redact_names(line, authors) == line, authors


@pytest.mark.parametrize("template", NAMED)
@pytest.mark.parametrize("person", PERSONS)
@pytest.mark.parametrize("office", OFFICES)
@pytest.mark.parametrize("in_account", [True, False])
def test_a_persons_name_after_a_role_is_redacted(
    template: str, person: tuple[str, str, str], office: str, in_account: bool
) -> None:
    """Known as an author with the role in the account name (``Raadslid Jan de Vries``)
    or without (``Jan de Vries``): the name is caught after the role and alone."""
    first, _, surname = person
    full = _full(*person)
    authors = (f"{office} {full}" if in_account else full, f"{office} Eemnes")
    line = template.format(office=office, office_lc=office.lower(), full=full, first=first)
    said = redact_names(line, authors)
    assert first not in said and surname not in said, (authors, said)
