"""Hand-typed or stale query parameters get a Chinese message, never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
TEMPLATE_URL = reverse("admin:reports_annualreport_template")


@pytest.mark.parametrize(
    "params", [{"agency": "abc"}, {"agency": "abc", "year": "2024"}, {"year": "abc"}]
)
def test_a_bad_agency_or_year_on_the_template_page_is_a_form_error(
    admin_client_logged_in, params
):
    response = admin_client_logged_in.get(TEMPLATE_URL, params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    if "agency" in params:
        assert "所选机关不存在或不在您可查看的范围内，请从列表中选择。" in page
    else:
        assert "选择一个有效的选项" in page
