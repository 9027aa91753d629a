"""GET /api/volunteers/households/{id}/story/: the household's whole story, the same as the
page (`selectors.household_story`), an audited read. 404 for a household the caller may
not read (out of area, not assigned to the volunteer)."""

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from onehome.access.policy import PERSONAL_DATA
from onehome.volunteers.story import selectors
from onehome.volunteers.story.serializers import StorySerializer
from onehome.volunteers.story.views import PURPOSE, record_story_read


class HouseholdStoryView(APIView):
    access_policy = PERSONAL_DATA
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="volunteers_household_story",
        summary="A household's whole story",
        description=(
            "Members, the deprivations targeting found, who followed the household, visits "
            "and the record book over time, the development plan, follow-ups, the course, "
            "help requests, and the cases of its members with their referrals and services "
            "as the caller may see them. Read-only and audited."
        ),
        responses={200: StorySerializer},
        tags=["volunteers"],
    )
    def get(self, request, pk: int):
        household = selectors.story_household_or_404(user=request.user, pk=pk)
        story = selectors.household_story(user=request.user, household=household, purpose=PURPOSE)
        record_story_read(request.user, story)
        return Response(StorySerializer(story, context={"request": request}).data)
