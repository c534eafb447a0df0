"""App configs the project adjusts for third-party apps."""

from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig


class AxesConfig(AxesAppConfig):
    """django-axes, named in Chinese on the admin index."""

    verbose_name = "登录安全"
