"""A household's failed indicators grouped as a field worker reads them (the household
explanation page)."""

from onehome.targeting.results.labels import DIMENSION_LABELS


def failures_by_indicator(failures: list, members: int, measures: dict[str, str]) -> list[dict]:
    """The failures as a worker reads them. A household indicator is one entry for the
    whole household (every member counts as deprived when one applicable member's answer
    fails), naming whose answers failed when not everyone's did; listed per member it
    filled six screens. A person's indicator is one entry per value, naming its members."""
    entries: dict[tuple[str, str], dict] = {}
    for f in failures:
        household = f.unit == "household"
        entry = entries.setdefault(
            (f.indicator, "" if household else f.value),
            {
                "failure": f,
                "dimension_label": DIMENSION_LABELS.get(f.dimension, f.dimension),
                "measure": measures.get(f.indicator, ""),
                "whole_household": household and members > 1,
                "members": [],
            },
        )
        entry["members"].append(f)
    for entry in entries.values():
        partly = entry["whole_household"] and len(entry["members"]) < members
        entry["answered_by"] = entry["members"] if partly else []
    return list(entries.values())
