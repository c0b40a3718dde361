from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", include("shouwang.home.urls")),
    path("", include("shouwang.core.urls")),
    # Tried in order: the check-in, which the whole college posts every
    # morning, is found before the other apps' patterns are tried.
    path("", include("shouwang.checkins.urls")),
    path("compliance/", include("shouwang.compliance.urls")),
    path("screening/", include("shouwang.screening.urls")),
    # Where a person's timeline was before screening had its own addresses:
    # bookmarks and stored links lead there.
    path(
        "people/<int:pk>/timeline/",
        RedirectView.as_view(pattern_name="screening:timeline", permanent=True),
        name="moved_timeline",
    ),
    path("", include("shouwang.people.urls")),
    path("", include("shouwang.incidents.urls")),
    path("", include("shouwang.notify.urls")),
    path("", include("shouwang.notices.urls")),
    path("", include("shouwang.volunteers.urls")),
    path("care/", include("shouwang.care.urls")),
    path("help/", include("shouwang.helpdesk.urls")),
    path("leave/", include("shouwang.leave.urls")),
    path("teaching/", include("shouwang.teaching.urls")),
    path("workplan/", include("shouwang.workplan.urls")),
    path("supplies/", include("shouwang.supplies.urls")),
    path("careers/", include("shouwang.careers.urls")),
    path("activities/", include("shouwang.activities.urls")),
    path("bulletin/", include("shouwang.bulletin.urls")),
    path("counselling/", include("shouwang.counselling.urls")),
    path("reports/", include("shouwang.reports.urls")),
    path("api/", include("shouwang.api.urls")),
    path("accounts/", include("shouwang.accounts.urls")),
    # Outside /accounts/, which a user with an initial password may still reach.
    path("passwords/", include("shouwang.accounts.issue_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
