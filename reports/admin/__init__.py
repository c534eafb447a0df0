"""The reports app's admin: every ModelAdmin is registered here, and only here.

One module per model admin (reports, findings, ...) or per admin page (import_page,
report_page, report_history, ...); the modules define, this file registers. The 总览
(overview) is a page of the admin site itself (config/admin_site.py).
"""

from django.contrib import admin

from reports.admin.findings import (
    AuditRunAdmin,
    ChangeRecordAdmin,
    DeadlineOverrideAdmin,
    FindingAdmin,
)
from reports.admin.reports import AnnualReportAdmin, ReportYearAdmin
from reports.models import (
    AnnualReport,
    AuditRun,
    ChangeRecord,
    DeadlineOverride,
    Finding,
    ReportYear,
)

admin.site.register(ReportYear, ReportYearAdmin)
admin.site.register(AnnualReport, AnnualReportAdmin)
admin.site.register(Finding, FindingAdmin)
admin.site.register(AuditRun, AuditRunAdmin)
admin.site.register(DeadlineOverride, DeadlineOverrideAdmin)
admin.site.register(ChangeRecord, ChangeRecordAdmin)
