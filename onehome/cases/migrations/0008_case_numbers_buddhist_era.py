"""Case numbers carry the Buddhist-era year (C2569-000123), as Thai readers count years:
existing numbers with a Gregorian year (C2026-000123) move to it. One UPDATE, on SQLite and
PostgreSQL alike; the running number after the dash stays."""

from django.db import migrations

TO_BUDDHIST = """
UPDATE cases_case
SET number = 'C' || CAST(CAST(SUBSTR(number, 2, 4) AS INTEGER) + 543 AS TEXT) || SUBSTR(number, 6)
WHERE number LIKE 'C____-%' AND SUBSTR(number, 2, 4) BETWEEN '1900' AND '2399'
"""
TO_GREGORIAN = """
UPDATE cases_case
SET number = 'C' || CAST(CAST(SUBSTR(number, 2, 4) AS INTEGER) - 543 AS TEXT) || SUBSTR(number, 6)
WHERE number LIKE 'C____-%' AND SUBSTR(number, 2, 4) BETWEEN '2443' AND '2942'
"""


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_report_sensitive")]

    operations = [migrations.RunSQL(TO_BUDDHIST, reverse_sql=TO_GREGORIAN)]
