"""The help page of targeting: what H, A, M0 and k mean, the union rule, and the indicators
of a catalogue with their labels and weights (`results.guide`, generated from the catalogue).
No personal data: it explains the method, so anyone signed in may read it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from onehome.access.policy import no_personal_data
from onehome.targeting.results.guide import catalogue_guide


@no_personal_data
@login_required
def help_page(request):
    context = catalogue_guide(request.GET.get("catalogue", ""))
    return render(request, "targeting/help.html", context)
