# The 总览 (overview) page's index; see reports/overview/selectors.py.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0003_workflow_history'),
    ]

    operations = [
        # 总览: the current report of each agency for a year (coverage LEFT JOIN, status
        # GROUP BY, the trend cache stamps) read from the index alone, never the wide rows.
        # Key columns rather than INCLUDE: SQLite warns about (and ignores) INCLUDE.
        migrations.AddIndex(
            model_name='annualreport',
            index=models.Index(
                condition=models.Q(('is_current', True)),
                fields=['report_year', 'agency', 'id', 'status', 'publication_date', 'updated_at'],
                name='reports_report_current_cover',
            ),
        ),
    ]
