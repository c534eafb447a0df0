"""Admin widgets that stay up when a query string carries a value they cannot show."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError


class TolerantAutocompleteSelect(AutocompleteSelect):
    """An autocomplete select that leaves out a value its model's key cannot hold.

    Django's widget looks the chosen value up in the database to print its label, so
    `?agency=abc` raised a ValueError (a 500). The form still refuses the value with its
    own message ("选择一个有效的选项"); the widget just shows nothing chosen.
    """

    def optgroups(
        self, name: str, value: Sequence[str], attr: dict[str, Any] | None = None
    ) -> list[tuple[str | None, list[dict[str, Any]], int | None]]:
        target = self.field.target_field
        kept: list[str] = []
        for item in value:
            try:
                if item not in (None, ""):
                    target.to_python(item)
            except ValidationError:
                continue
            kept.append(item)
        return super().optgroups(name, kept, attr)
