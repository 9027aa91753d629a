"""The answer deadline of a data-subject request: 30 days from receipt (PDPA s.30).

The Act counts 30 days, not 30 working days, so the deadline is never later than the 30th
calendar day. On the working calendar (weekends and Thai public holidays, the cases' SLA
calendar): when the 30th day is not a working day, the deadline moves back to the last
working day before it, so the office answers on a day it is open and still within the Act.
"""

import datetime as dt

from onehome.cases.deadlines.calendar import is_working_day

ANSWER_DAYS = 30


def answer_due(received_on: dt.date) -> dt.date:
    due = received_on + dt.timedelta(days=ANSWER_DAYS)
    while not is_working_day(due):
        due -= dt.timedelta(days=1)
    return due
