"""--region and --agency mean the same in every command, and an unknown one is refused with
the same Chinese message before any work is done."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from reports.management.options import agency_option, region_option
from reports.models import AnnualReport
from tests.factories import make_agency, make_region

pytestmark = pytest.mark.django_db

QUIET = {"stdout": io.StringIO(), "stderr": io.StringIO()}


@pytest.mark.parametrize(
    "command, extra",
    [
        ("audit_reports", {}),
        ("export_reports", {}),
        ("export_summary", {"year": 2024, "output": "summary.xlsx"}),
    ],
)
def test_an_unknown_region_code_is_refused_by_every_command(command, extra, tmp_path):
    if "output" in extra:
        extra = {**extra, "output": str(tmp_path / extra["output"])}
    with pytest.raises(CommandError, match=r"^--region：没有区划代码为 999999 的区划$"):
        call_command(command, region="999999", **extra, **QUIET)


@pytest.mark.parametrize("command", ["audit_reports", "import_reports"])
def test_an_unknown_agency_is_refused_by_every_command(command, tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"agency": "x", "year": 2024, "format": "2021"}))
    args = [str(path)] if command == "import_reports" else []
    with pytest.raises(CommandError, match=r"^--agency：") as caught:
        call_command(command, *args, agency="没有这个机关", **QUIET)
    assert "没有这个机关" in str(caught.value)
    assert not AnnualReport.objects.exists()


def test_the_options_find_a_region_by_code_and_an_agency_by_alias():
    region = make_region(name="示例市", code="329900")
    agency = make_agency(
        "示例市卫生健康委员会", region=region, aliases=("示例市卫健委",)
    )
    assert region_option("329900") == region
    assert agency_option("示例市卫健委") == agency


def test_an_option_not_given_is_none():
    assert region_option(None) is None and region_option("") is None
    assert agency_option(None) is None and agency_option("") is None
