"""The household's whole story as a page: one read through `selectors`, audited (the
household, and every case, visit and plan goal shown), rendered read-only with links to
the rooms' own pages where they exist."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from onehome.access import audit
from onehome.access.policy import personal_data
from onehome.volunteers.story import presentation, selectors

PURPOSE = "household story"


@personal_data
@login_required
@require_GET
def story_page(request, pk: int):
    household = selectors.story_household_or_404(user=request.user, pk=pk)
    story = selectors.household_story(user=request.user, household=household, purpose=PURPOSE)
    record_story_read(request.user, story)
    return render(
        request,
        "volunteers/story/household.html",
        {"story": story, **presentation.page_parts(request.user, story)},
    )


def record_story_read(user, story: selectors.Story) -> None:
    """One audit row for the records the story shows (the household first)."""
    audit.record_shown(
        user,
        {
            "registry.household": [story.household],
            "registry.person": [m.person for m in story.members],
            "volunteers.visit": story.visits,
            "cases.case": story.cases,
        },
        purpose=PURPOSE,
    )
