"""App configs the project adjusts for apps it does not own (django-axes, Django's admin)."""

from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig
from django.contrib.admin.apps import AdminConfig as AdminAppConfig


class AxesConfig(AxesAppConfig):
    """django-axes, named in Chinese on the admin index."""

    verbose_name = "登录安全"


class AdminConfig(AdminAppConfig):
    """django.contrib.admin with the project's site (titles, the overview page)."""

    default_site = "config.admin_site.AdminSite"
