"""The base that admin mixins are type-checked against.

A mixin calls ModelAdmin's methods (`super().get_queryset`, `self.message_user`); mypy
must see them, while at run time the mixin stays a plain class placed before ModelAdmin.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib import admin

    AdminMixinBase = admin.ModelAdmin[Any]
else:
    AdminMixinBase = object
