"""Pages under /volunteers/: each room adds its own (`<room>/urls.py`)."""

from onehome.volunteers.assignments import urls as assignments
from onehome.volunteers.course import urls as course
from onehome.volunteers.development import urls as development
from onehome.volunteers.offline import urls as offline
from onehome.volunteers.roster import urls as roster
from onehome.volunteers.story import urls as story
from onehome.volunteers.visits import urls as visits

app_name = "volunteers"

urlpatterns = [
    *roster.urlpatterns,
    *assignments.urlpatterns,
    *visits.urlpatterns,
    *development.urlpatterns,
    *course.urlpatterns,
    *offline.urlpatterns,
    *story.urlpatterns,
]
