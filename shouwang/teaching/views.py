from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shouwang.accounts.http import AuthedRequest
from shouwang.lib import clock

from .queries import Times, lessons_of_person


@login_required
@require_GET
def today(request: AuthedRequest) -> HttpResponse:
    """Today's lessons of a student or a teacher, with their times and links."""
    day = clock.today()
    times = Times.read()
    lessons = [
        (lesson, *times.of(lesson))
        for lesson in lessons_of_person(request.user.person_id, day, day)
    ]
    return render(request, "teaching/today.html", {"day": day, "lessons": lessons})
