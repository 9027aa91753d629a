"""Imports of targeting's input files: survey rounds (`survey_rounds`, checked by
`survey_round_checks`) and welfare-card lists (`welfare_lists`), through the steps every
import shares (`import_steps`: validated in DuckDB SQL, all or nothing, a row-level error
report, written atomically and registered with an audit event)."""
