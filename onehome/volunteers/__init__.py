"""Volunteers (อพม.) and the household work they carry: who they are, which households
they follow, home visits and the family record book, household development plans, the
course out of poverty, and the phone app that works offline.

Rooms: `roster/` (volunteer records and their status), `assignments/` (households given to
volunteers, coverage), `visits/` (home visits, the record book, help requests),
`development/` (household plans and follow-ups, on the case plan's goal model), `course/`
(enrolled → graduated, progress per area and fiscal year), `offline/` (the phone app:
restore, sync, field-by-field merge and the review queue).
"""
