"""URL configuration: the admin is the application."""

from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "政府信息公开工作年度报告管理系统"
# The admin is the whole site: no "查看站点" link leading back to itself.
admin.site.site_url = None
admin.site.site_title = "年报管理系统"
admin.site.index_title = "年报管理"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
]

# Chinese error pages in the admin's look (templates/400.html ... 500.html).
handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
