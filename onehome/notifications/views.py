"""The notifications page: the user's own inbox, newest first; a POST marks it read."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from onehome.access import audit
from onehome.access.policy import personal_data

from . import selectors, services


@personal_data
@login_required
def inbox(request):
    rows = list(selectors.inbox(request.user).select_related("case")[:100])
    if request.method == "POST":
        services.mark_read(user=request.user, ids=[n.pk for n in rows if n.read_at is None])
        return redirect("notifications:inbox")
    rows = audit.listed(
        request.user, rows, kind="notifications.notification", purpose="notifications"
    )
    return render(request, "notifications/notifications.html", {"rows": rows})
