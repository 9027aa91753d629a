"""The volunteers' API under /api/volunteers/: each room adds its own (`<room>/api_urls.py`)."""

from onehome.volunteers.assignments import api_urls as assignments
from onehome.volunteers.course import api_urls as course
from onehome.volunteers.development import api_urls as development
from onehome.volunteers.offline import api_urls as offline
from onehome.volunteers.roster import api_urls as roster
from onehome.volunteers.story import api_urls as story
from onehome.volunteers.visits import api_urls as visits

urlpatterns = [
    *roster.urlpatterns,
    *assignments.urlpatterns,
    *visits.urlpatterns,
    *development.urlpatterns,
    *course.urlpatterns,
    *offline.urlpatterns,
    *story.urlpatterns,
]
