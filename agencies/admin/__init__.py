"""The agencies app's admin: every ModelAdmin is registered here, and only here.

regions, agencies, memberships and login_records define one admin each (login_records:
django-axes' records, whose own admin is switched off); export, filters and scoped hold
what those admins, and the reports app's, mix in. The reports app re-registers Agency with
the overview's coverage filters (reports/admin/agencies.py).
"""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin

from agencies.admin.agencies import AgencyAdmin
from agencies.admin.login_records import (
    AccessAttemptAdmin,
    AccessFailureLogAdmin,
    AccessLogAdmin,
)
from agencies.admin.memberships import MembershipAdmin
from agencies.admin.regions import RegionAdmin
from agencies.models import Agency, Membership, Region

admin.site.register(Region, RegionAdmin)
admin.site.register(Agency, AgencyAdmin)
admin.site.register(Membership, MembershipAdmin)
admin.site.register(AccessAttempt, AccessAttemptAdmin)
admin.site.register(AccessLog, AccessLogAdmin)
admin.site.register(AccessFailureLog, AccessFailureLogAdmin)
