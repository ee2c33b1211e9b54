"""An evening briefing is found by the day it was given: the State Department feed stamps its
February 7, 2022 press briefing "2022-02-08T00:18:43+00:00" (UTC); on Washington's clock that is
7:18 p.m. on February 7, the day the briefing's own title names. Real records, through the CLI."""

from __future__ import annotations

import json

import pytest

from briefsearch.ingest.extract.outlets import local_clock
from tests.conftest import STATE_DEPT, require
from tests.helpers import invoke

BRIEFING = "Department Press Briefing – February 7, 2022"


@pytest.fixture(scope="module")
def feb_index(tmp_path_factory):
    """The State Department's records of February 7 and 8, 2022 (UTC), indexed through the CLI."""
    records = [line for line in require(STATE_DEPT).read_text(encoding="utf-8").splitlines()
               if '"published": "2022-02-07T' in line or '"published": "2022-02-08T' in line]
    assert any(BRIEFING in line for line in records)
    root = tmp_path_factory.mktemp("local-day")
    (root / "state").mkdir()
    (root / "state" / "items.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    result = invoke("index", root / "state", "--index", root / "index", "--jobs", "1")
    assert result.exit_code == 0, result.output
    return root / "index"


def titles(index, *args) -> dict[str, str]:
    result = invoke("query", 'title:"press briefing"', "--index", index, "--format", "json", "-n", "50", *args)
    assert result.exit_code == 0, result.output
    return {hit["title"]: hit["date"] for hit in json.loads(result.stdout)["hits"]}


def test_the_evening_briefing_keeps_its_exact_time_on_washingtons_clock(feb_index):
    assert titles(feb_index)[BRIEFING] == "2022-02-07T19:18:43-05:00"  # the same instant as 00:18:43 UTC


def test_since_until_of_its_day_find_the_evening_briefing_and_the_next_day_does_not(feb_index):
    assert BRIEFING in titles(feb_index, "--since", "2022-02-07", "--until", "2022-02-07")
    assert BRIEFING not in titles(feb_index, "--since", "2022-02-08", "--until", "2022-02-08")
    assert "Department Press Briefing – February 8, 2022" in titles(feb_index, "--since", "2022-02-08")


def test_the_date_field_finds_it_by_its_day(feb_index):
    result = invoke("query", 'title:"press briefing" date:2022-02-07', "--index", feb_index, "--format", "json")
    assert {hit["title"] for hit in json.loads(result.stdout)["hits"]} == {BRIEFING}


def test_the_listing_shows_it_as_february_7(feb_index):
    lines = invoke("query", 'title:"february 7"', "--index", feb_index).output.splitlines()
    assert any("2022-02-07" in line for line in lines) and not any("2022-02-08" in line for line in lines)


def test_a_feed_time_from_elsewhere_or_with_its_own_offset_is_kept():
    assert local_clock("2021-06-09T21:30:00-04:00", "https://www.state.gov/x/") == "2021-06-09T21:30:00-04:00"
    assert local_clock("2021-06-10T01:30:00+00:00", "https://ru.usembassy.gov/x/") == "2021-06-10T01:30:00+00:00"
    assert local_clock("2021-06-10T01:30:00+00:00", "https://example.org/x/") == "2021-06-10T01:30:00+00:00"
    assert local_clock("2021-06-10", "https://www.whitehouse.gov/x/") == "2021-06-10"
    assert local_clock("2021-06-10T01:30:00+00:00", "https://www.whitehouse.gov/x/") == "2021-06-09T21:30:00-04:00"
