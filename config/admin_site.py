"""The admin site, which is the whole application: its titles and its own pages.

The 总览 (overview) is a page of the site, not of one model admin: it counts reports,
agencies and findings together. It goes through `admin_view`, so login and the admin's
permission checks apply as on every admin page.
"""

from __future__ import annotations

from functools import partial

from django.contrib import admin
from django.urls import URLPattern, URLResolver, path
from django.views.generic import RedirectView


class AdminSite(admin.AdminSite):
    site_header = "政府信息公开工作年度报告管理系统"
    site_title = "年报管理系统"
    index_title = "年报管理"
    # The admin is the whole site: no "查看站点" link leading back to itself.
    site_url = None

    def get_urls(self) -> list[URLPattern | URLResolver]:
        from reports.overview.views import overview_view

        return [
            path(
                "overview/",
                self.admin_view(partial(overview_view, self)),
                name="overview",
            ),
            # Where the overview was until it had its own URL: bookmarks still lead there.
            path(
                "reports/annualreport/overview/",
                RedirectView.as_view(
                    pattern_name="admin:overview", query_string=True, permanent=True
                ),
            ),
            *super().get_urls(),
        ]
