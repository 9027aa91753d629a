"""How an imported survey round (and welfare-card list) is stored: the Parquet options,
and the column names the run reads by name.

The two run-ready columns are written by the imports (``survey_checks.normalised_sql``,
``welfare.py``) and used by ``touched.py``; the format is in docs/targeting.md.
"""

VILLAGE = "village_code"
PERSON_KEY = "person_key"
HOUSEHOLD_SIZE = "_household_size"  # members of the person's household
ID_NUMBER = "_id_number"  # the person key as a BIGINT when it is a national ID, else NULL

# DuckDB COPY options of every imported file. Snappy, not zstd: the national run decodes
# every indicator column of 36.6 M rows, and snappy costs ~15 % less CPU to decode there
# (docs/performance.md), for files ~1.7× larger.
PARQUET_COPY_OPTIONS = "FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 122880"
