"""The notifications page: the user's own inbox, newest first, 25 a page. The
notifications a page shows are marked read by showing them (the badge's count drops); a
POST marks every one read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from onehome.access import audit
from onehome.access.policy import personal_data

from . import selectors, services

PAGE_SIZE = 25


@personal_data
@login_required
def inbox(request):
    user = request.user
    if request.method == "POST":
        services.mark_all_read(user=user)
        return redirect("notifications:inbox")
    unread = selectors.unread_count(user)
    # A page number that is no number or past the end shows the first or the last page.
    page = Paginator(selectors.inbox(user).select_related("case"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = audit.listed(
        user, page.object_list, kind="notifications.notification", purpose="notifications"
    )
    page.object_list = rows
    # Shown is seen: the rows keep their unread mark on this page, then count as read.
    services.mark_read(user=user, ids=[n.pk for n in rows if n.read_at is None])
    context = {"page": page, "rows": rows, "inbox_unread": unread, "total": page.paginator.count}
    return render(request, "notifications/notifications.html", context)
