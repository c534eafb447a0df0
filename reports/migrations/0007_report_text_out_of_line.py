"""PostgreSQL keeps a report's long texts out of its row.

A report row carries the narrative and the document's raw text: about 2 KB inline per row,
so every scan of the reports (the changelist's sort, counts, filters) read ~220 MB at
100,000 reports although none of those pages shows the texts. With toast_tuple_target at
256 bytes PostgreSQL moves long values to the table's TOAST storage, read only when a page
asks for them (the report page, the audit). Rows written before this stay as they are until
rewritten (VACUUM FULL). Nothing to do on SQLite.
"""

from django.db import migrations


def out_of_line(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE reports_annualreport SET (toast_tuple_target = 256)"
        )


def inline(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE reports_annualreport RESET (toast_tuple_target)"
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_overview_live_reports")]

    operations = [migrations.RunPython(out_of_line, inline)]
