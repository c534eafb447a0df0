"""The reports app's admin: every ModelAdmin is registered here, and only here.

One module per model admin (reports, findings, years, changes, and agencies: the agency
registry's admin with the overview's filters) or per admin page or part
of the report admin (import_page, report_page, report_history, report_excel, ...); the
modules define, this file registers.
"""

from django.contrib import admin

from agencies.models import Agency
from reports.admin.agencies import AgencyAdmin
from reports.admin.changes import ChangeRecordAdmin
from reports.admin.findings import AuditRunAdmin, FindingAdmin
from reports.admin.reports import AnnualReportAdmin
from reports.admin.years import DeadlineOverrideAdmin, ReportYearAdmin
from reports.models import (
    AnnualReport,
    AuditRun,
    ChangeRecord,
    DeadlineOverride,
    Finding,
    ReportYear,
)

# The agencies app registered Agency first (INSTALLED_APPS order); this one adds the
# overview's coverage filters, which need report years.
admin.site.unregister(Agency)
admin.site.register(Agency, AgencyAdmin)
admin.site.register(ReportYear, ReportYearAdmin)
admin.site.register(DeadlineOverride, DeadlineOverrideAdmin)
admin.site.register(AnnualReport, AnnualReportAdmin)
admin.site.register(Finding, FindingAdmin)
admin.site.register(AuditRun, AuditRunAdmin)
admin.site.register(ChangeRecord, ChangeRecordAdmin)
