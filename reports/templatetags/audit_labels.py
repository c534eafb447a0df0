"""Template filters that put the audit catalogue's Chinese titles next to rule ids."""

from __future__ import annotations

from django import template

from reports.audit.rules import rule_label, rule_title

register = template.Library()

register.filter("rule_title", rule_title)
register.filter("rule_label", rule_label)
