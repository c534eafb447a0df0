"""Regions keep a path for subtree queries; agencies' constraints hold in the database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agencies.models import Agency, Region
from agencies.services import (
    AgencyNotFound,
    agency_candidates,
    agency_find,
    name_spellings,
)
from tests.factories import make_agency, make_region

pytestmark = pytest.mark.django_db


def test_region_path_follows_the_tree():
    province = make_region(name="省", level=Region.Level.PROVINCE, code="320000")
    city = make_region(name="市", parent=province, code="320800")
    county = make_region(
        name="县", level=Region.Level.COUNTY, parent=city, code="320813"
    )
    assert county.path == "/320000/320800/320813/"
    subtree = Region.objects.filter(path__startswith=city.path)
    assert set(subtree) == {city, county}


def test_moving_a_region_moves_its_descendants_paths():
    a = make_region(name="甲市", code="320800")
    b = make_region(name="乙市", code="321300")
    county = make_region(name="县", level=Region.Level.COUNTY, parent=a, code="320813")
    town = make_region(
        name="镇", level=Region.Level.TOWNSHIP, parent=county, code="320813001"
    )
    county.parent = b
    county.save()
    town.refresh_from_db()
    assert town.path == "/321300/320813/320813001/"


def test_region_code_must_be_six_or_nine_digits():
    region = Region(code="32080", name="坏", level=Region.Level.CITY)
    with pytest.raises(ValidationError):
        region.full_clean()


def test_credit_code_is_unique_when_present():
    region = make_region()
    Agency.objects.create(
        name="甲", region=region, kind="department", credit_code="11320800MB1234567X"
    )
    Agency.objects.create(name="乙", region=region, kind="department", credit_code="")
    Agency.objects.create(name="丙", region=region, kind="department", credit_code="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.create(
            name="丁",
            region=region,
            kind="department",
            credit_code="11320800MB1234567X",
        )


def test_agency_name_is_unique_within_a_region():
    agency = make_agency("某局")
    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.create(name="某局", region=agency.region, kind="department")


def test_active_years_must_be_ordered():
    region = make_region()
    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.create(
            name="甲",
            region=region,
            kind="department",
            active_from=2024,
            active_until=2020,
        )


def test_is_active_in_respects_active_years():
    agency = Agency(name="甲", kind="department", active_from=2021, active_until=2023)
    assert not agency.is_active_in(2020)
    assert agency.is_active_in(2021) and agency.is_active_in(2023)
    assert not agency.is_active_in(2024)


def test_agency_is_found_by_name_or_alias():
    agency = make_agency("洪泽区人民政府", aliases=("淮安市洪泽区人民政府",))
    assert agency_find("洪泽区人民政府") == agency
    assert agency_find(" 淮安市洪泽区人民政府 ") == agency
    with pytest.raises(AgencyNotFound, match="没有"):
        agency_find("不存在的局")


def test_agency_printed_in_traditional_characters_is_found():
    """A report copied through a site's 繁體 button names its agency in traditional
    characters; the registry holds the simplified name."""
    agency = make_agency("洪泽区卫生健康局", aliases=("淮安市洪泽区卫生健康局",))
    assert agency_find("洪澤區衛生健康局") == agency
    assert agency_find("淮安市洪澤區衛生健康局") == agency
    assert agency_candidates("淮安市洪澤區衛生健康局") == [agency]
    assert agency_candidates("衛生健康局") == [agency]
    assert name_spellings("洪泽区卫生健康局") == ["洪泽区卫生健康局"]


def test_ambiguous_agency_name_is_refused():
    make_agency("卫生健康局")
    make_agency("卫生健康局")
    with pytest.raises(AgencyNotFound, match="多个"):
        agency_find("卫生健康局")


def test_a_region_cannot_be_its_own_parent():
    region = make_region(code="320800")
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.filter(pk=region.pk).update(parent=region)
