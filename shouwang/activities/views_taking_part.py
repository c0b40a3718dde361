"""Taking part in activities: the list, an activity's page and its form,
signing up alone or as a team, entries and their files, sessions and their
attendance files, awards won outside, the 第二课堂 records and the counts."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shouwang.accounts.http import AuthedRequest
from shouwang.core.attendance_files import COLUMNS
from shouwang.core.uploads import IMAGES, extension, stored_bytes
from shouwang.lib import clock
from shouwang.people.access import classes_for_user, units_for_user
from shouwang.people.models import Person

from . import actions, attendance, queries
from .access import (
    activities_for_user,
    creates_activities,
    get_activity_for_user,
    get_attendance_import_for_user,
    get_class_for_record,
    get_entry_file_for_user,
    get_entry_for_user,
    get_run_activity_for_user,
    get_run_session_for_user,
    require_creator,
    require_person,
    require_student,
    run_activities_q,
    runs,
    runs_any,
)
from .forms_taking_part import (
    ActivityDatesForm,
    ActivityFilterForm,
    ActivityForm,
    AttendanceUploadForm,
    EntryForm,
    ExternalAwardForm,
    SessionForm,
    TeamForm,
    quota_left,
)
from .models import Activity, AttendanceImport, Entry, EntryFile, Session, SignUp
from .tasks_taking_part import check_session_attendance, commit_session_attendance

# The finished activities the list shows: the latest ones.
FINISHED_SHOWN = 30


def _error(exc: ValidationError) -> str:
    return exc.messages[0]


@login_required
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    """Every activity, open now, upcoming and finished; a student's own
    sign-ups and hours and what they may still join; what a runner runs."""
    user = request.user
    form = ActivityFilterForm(request.GET)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    activities = activities_for_user(user)
    if kind:
        activities = activities.filter(kind=kind)
    listed = list(queries.with_counts(activities).order_by("-starts_on", "-pk"))
    today = clock.today()
    person = user.person
    context: dict = {
        "form": form,
        "open_now": [a for a in listed if a.starts_on <= today <= a.ends_on],
        "upcoming": sorted((a for a in listed if a.starts_on > today), key=lambda a: a.starts_on),
        "finished": [a for a in listed if a.ends_on < today][:FINISHED_SHOWN],
        "creates": creates_activities(user),
        "joinable": set(),
    }
    if person is not None and person.kind == Person.Kind.STUDENT:
        # Students run nothing: the organisers are staff (PeopleField).
        context["joinable"] = set(queries.joinable(person, activities).values_list("pk", flat=True))
        context["mine"] = list(
            SignUp.objects.filter(person=person)
            .select_related("activity", "team")
            .order_by("-activity__starts_on")
        )
        context["hours"] = queries.taking_part(people=Person.objects.filter(pk=person.pk)).hours_of(
            person.pk
        )
    else:
        context["runs_any"] = runs_any(user)
        context["run"] = list(
            Activity.objects.filter(run_activities_q(user), ends_on__gte=today)
            .distinct()
            .order_by("starts_on")
        )
        context["classes"] = list(classes_for_user(user).order_by("name"))
    return render(request, "activities/index.html", context)


@dataclass(frozen=True)
class SessionLine:
    """A session as an activity's page lists it: whether the student reading attended."""

    session: Session
    attended: bool = False
    minutes: int | None = None


def _student_context(activity: Activity, person: Person) -> dict:
    """What a student's view of an activity shows them: their sign-up, team,
    entry and sessions attended, or why they cannot join."""
    now = clock.now()
    signup = SignUp.objects.filter(activity=activity, person=person).select_related("team").first()
    context: dict = {"signup": signup, "refusal": None, "entry": None}
    # A session's attendance comes from the platform, signed up or not.
    context["attended"] = dict(
        person.activity_attendance.filter(session__activity=activity).values_list(
            "session_id", "minutes"
        )
    )
    if signup is None:
        context["refusal"] = actions.refusal(activity, person)
        return context
    if signup.team_id:
        context["members"] = list(
            signup.team.members.select_related("person").order_by("person__number")  # type: ignore[union-attr]
        )
        context["entry"] = Entry.objects.filter(activity=activity, team_id=signup.team_id).first()
    else:
        context["entry"] = Entry.objects.filter(activity=activity, person=person, team=None).first()
    context["may_withdraw"] = (
        activity.signup_closes_at is None or now <= activity.signup_closes_at
    ) and activity.ends_on >= clock.today()
    context["entries_open"] = activity.takes_entries and now <= activity.entries_close_at  # type: ignore[operator]
    return context


@login_required
@require_GET
def activity_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_user(request, pk)
    user, person = request.user, request.user.person
    running = runs(user, activity)
    context: dict = {
        "activity": activity,
        "classes": list(activity.classes.order_by("name")),
        "organisers": list(activity.organisers.order_by("number")),
        "runs": running,
        "is_student": person is not None and person.kind == Person.Kind.STUDENT,
        "now": clock.now(),
    }
    attended: dict[int, int | None] = {}
    if context["is_student"] and person is not None:
        context.update(_student_context(activity, person))
        attended = context.get("attended", {})
    context["sessions"] = [
        SessionLine(session, session.pk in attended, attended.get(session.pk))
        for session in activity.sessions.all()
    ]
    if running:
        context["signups"] = list(
            activity.signups.select_related("person__admin_class", "team").order_by(
                "team__name", "person__number"
            )
        )
        context["entries"] = list(
            activity.entries.select_related("person", "team").order_by("submitted_at", "pk")
        )
        context["awards"] = list(
            activity.external_awards.select_related("signup__person").order_by("-awarded_on")
        )
        context["takers"] = queries.taking_part(Activity.objects.filter(pk=activity.pk)).takers(
            activity.pk
        )
    return render(request, "activities/activity_detail.html", context)


def _full_form(request: AuthedRequest, activity: Activity) -> ActivityForm:
    return ActivityForm(
        request.POST or None,
        instance=activity,
        units=units_for_user(request.user),
        classes=classes_for_user(request.user),
    )


def _save_activity(request: AuthedRequest, activity: Activity, full: bool) -> HttpResponse:
    form: ActivityForm | ActivityDatesForm = (
        _full_form(request, activity)
        if full
        else ActivityDatesForm(request.POST or None, instance=activity)
    )
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if isinstance(form, ActivityForm):
            organisers, classes = form.cleaned_data["organisers"], form.cleaned_data["classes"]
        else:
            organisers, classes = list(activity.organisers.all()), list(activity.classes.all())
        try:
            saved = actions.save_activity(
                saved, organisers=organisers, classes=classes, acting_user=request.user
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The activity is saved."))
            return redirect(saved)
    return render(
        request,
        "activities/activity_form.html",
        {"form": form, "activity": activity if activity.pk else None, "full": full},
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_form(request: AuthedRequest) -> HttpResponse:
    """A leader or an admin opens an activity."""
    require_creator(request)
    person = request.user.person
    activity = Activity(unit=person.unit if person else None)
    return _save_activity(request, activity, full=True)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Leaders and admins change everything; organisers the rules and dates."""
    activity = get_run_activity_for_user(request, pk)
    return _save_activity(request, activity, full=creates_activities(request.user))


@login_required
@require_POST
def signup(request: AuthedRequest, pk: int) -> HttpResponse:
    """A student signs up alone."""
    activity = get_activity_for_user(request, pk)
    person = require_student(request)
    try:
        actions.sign_up(activity, person, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, _error(exc))
    else:
        messages.success(request, _("You are signed up."))
    return redirect(activity)


@login_required
@require_POST
def withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_user(request, pk)
    person = require_student(request)
    try:
        actions.withdraw(activity, person, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, _error(exc))
    else:
        messages.success(request, _("You have withdrawn."))
    return redirect(activity)


@login_required
@require_http_methods(["GET", "POST"])
def team_form(request: AuthedRequest, pk: int) -> HttpResponse:
    """A student signs up as a team's leader, naming its members by number."""
    activity = get_activity_for_user(request, pk)
    person = require_student(request)
    if not activity.takes_teams:
        raise Http404
    if SignUp.objects.filter(activity=activity, person=person).exists():
        messages.info(request, _("You have signed up already."))
        return redirect(activity)
    refusal = actions.refusal(activity, person)
    form = TeamForm(request.POST or None)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            actions.create_team(
                activity,
                person,
                form.cleaned_data["name"],
                form.cleaned_data["members"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your team is signed up."))
            return redirect(activity)
    return render(
        request,
        "activities/team_form.html",
        {"activity": activity, "form": form, "refusal": refusal},
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_form(request: AuthedRequest, pk: int) -> HttpResponse:
    """A student submits their (or their team's) entry, or replaces it
    before entries close."""
    activity = get_activity_for_user(request, pk)
    person = require_student(request)
    if not activity.takes_entries:
        raise Http404
    signup = SignUp.objects.filter(activity=activity, person=person).first()
    entry = None
    if signup is not None:
        entries = Entry.objects.filter(activity=activity)
        entry = (
            entries.filter(team_id=signup.team_id)
            if signup.team_id
            else entries.filter(person=person, team=None)
        ).first()
    closed = clock.now() > activity.entries_close_at  # type: ignore[operator]
    initial = {"title": entry.title, "description": entry.description} if entry else None
    form = EntryForm(
        request.POST or None, request.FILES or None, activity=activity, initial=initial
    )
    if request.method == "POST" and signup is not None and not closed and form.is_valid():
        try:
            entry = actions.submit_entry(
                activity,
                person,
                form.cleaned_data["title"],
                form.cleaned_data["attachments"],
                description=form.cleaned_data["description"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your entry is in."))
            return redirect(entry)
    used = stored_bytes(request.user)
    return render(
        request,
        "activities/entry_form.html",
        {
            "activity": activity,
            "form": form,
            "signup": signup,
            "entry": entry,
            "closed": closed,
            "used": used,
            "left": quota_left(used),
        },
    )


@dataclass(frozen=True)
class FileLine:
    file: EntryFile
    is_image: bool


@login_required
@require_GET
def entry_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """An entry: its runners', its students' (the team's) and its judges'."""
    entry = get_entry_for_user(request, pk)
    activity = entry.activity
    person = request.user.person
    own = person is not None and (
        entry.person_id == person.pk
        or (entry.team_id is not None and entry.team.members.filter(person=person).exists())  # type: ignore[union-attr]
    )
    running = runs(request.user, activity)
    return render(
        request,
        "activities/entry_detail.html",
        {
            "entry": entry,
            "activity": activity,
            "files": [FileLine(file, extension(file.name) in IMAGES) for file in entry.files.all()],
            "members": list(entry.team.members.select_related("person")) if entry.team else [],
            "shows_names": running or own,
            "may_replace": own
            and activity.entries_close_at is not None
            and clock.now() <= activity.entries_close_at,
        },
    )


@login_required
@require_GET
def entry_file(request: AuthedRequest, pk: int, file_pk: int) -> FileResponse:
    """An entry's file, to be saved under the name it was sent with."""
    return get_entry_file_for_user(request, pk, file_pk).download()


def _session_form(request: AuthedRequest, session: Session) -> HttpResponse:
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.save_session(form.save(commit=False), acting_user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The session is saved."))
            return redirect("activities:session_detail", pk=saved.pk)
    return render(
        request,
        "activities/session_form.html",
        {"form": form, "activity": session.activity, "session": session if session.pk else None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_form(request: AuthedRequest, pk: int) -> HttpResponse:
    """A new online session of an activity: a forum, a 思政云课堂 lecture."""
    activity = get_run_activity_for_user(request, pk)
    return _session_form(request, Session(activity=activity))


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _session_form(request, get_run_session_for_user(request, pk))


@login_required
@require_GET
def session_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A session for its runners: who attended, for how long, and its files."""
    session = get_run_session_for_user(request, pk)
    rows = list(session.attendance.select_related("person__admin_class").order_by("person__number"))
    counted = sum(attendance.counts(row.minutes, session) for row in rows)
    return render(
        request,
        "activities/session_detail.html",
        {
            "session": session,
            "activity": session.activity,
            "rows": rows,
            "counted": counted,
            "imports": list(session.imports.select_related("uploaded_by")[:10]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def attendance_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    """The organiser brings in the meeting platform's attendance export."""
    session = get_run_session_for_user(request, pk)
    form = AttendanceUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        item = AttendanceImport.objects.create(
            session=session, file=upload, filename=upload.name, uploaded_by=request.user
        )
        item.start_check(check_session_attendance, started_by=request.user)
        return redirect("activities:attendance_import", pk=item.pk)
    return render(
        request,
        "activities/attendance_upload.html",
        {
            "session": session,
            "activity": session.activity,
            "form": form,
            "columns": COLUMNS.help(),
        },
    )


@login_required
@require_GET
def attendance_import(request: AuthedRequest, pk: int) -> HttpResponse:
    """What a file found: the students and their minutes, whether that
    counts, and the rows that found nobody."""
    item = get_attendance_import_for_user(request, pk)
    errors, more_errors = item.error_preview(COLUMNS)
    shown = item.status in (item.Status.CHECKED, item.Status.COMMITTED)
    template = "activities/attendance_import.html" + ("#status" if request.htmx else "")
    return render(
        request,
        template,
        {
            "item": item,
            "job": item.job,
            "session": item.session,
            "activity": item.session.activity,
            "found": attendance.found(item) if shown else [],
            "unmatched": item.summary.get("unmatched", []) if shown else [],
            "errors": errors,
            "more_errors": more_errors,
        },
    )


@login_required
@require_POST
def attendance_import_commit(request: AuthedRequest, pk: int) -> HttpResponse:
    item = get_attendance_import_for_user(request, pk)
    if not item.start_commit(commit_session_attendance, started_by=request.user):
        messages.warning(request, _("This import is not waiting to be committed."))
    return redirect("activities:attendance_import", pk=item.pk)


@login_required
@require_http_methods(["GET", "POST"])
def external_award(request: AuthedRequest, pk: int) -> HttpResponse:
    """The runners of an external contest record an award won there."""
    activity = get_run_activity_for_user(request, pk)
    if not activity.external:
        raise Http404
    form = ExternalAwardForm(request.POST or None, activity=activity)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_external_award(
                data["signup"],
                data["level"],
                data["prize"],
                data["awarded_on"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The award is recorded."))
            return redirect(activity)
    awards = activity.external_awards.select_related("signup__person", "signup__team")
    return render(
        request,
        "activities/external_award.html",
        {"activity": activity, "form": form, "awards": awards.order_by("-awarded_on", "pk")},
    )


@login_required
@require_GET
def my_record(request: AuthedRequest) -> HttpResponse:
    """One's own 第二课堂 record: the activities taken part in, how, the hours."""
    person = require_person(request)
    return render(
        request,
        "activities/my_record.html",
        {"person": person, "record": queries.record_of(person), "ways": queries.Way.LABELS},
    )


@login_required
@require_GET
def class_record(request: AuthedRequest, pk: int) -> HttpResponse:
    """A class's 第二课堂 record, for its counsellor and the leaders over it."""
    admin_class = get_class_for_record(request, pk)
    rows = queries.class_record(admin_class)
    taking_part = [row for row in rows if row.activities]
    return render(
        request,
        "activities/class_record.html",
        {
            "admin_class": admin_class,
            "rows": rows,
            "taking_part": len(taking_part),
            "hours": sum((row.hours for row in rows), 0),
        },
    )


@login_required
@require_GET
def counts(request: AuthedRequest) -> HttpResponse:
    """Participation counts of the activities the user runs: per activity,
    per class and per political status."""
    user = request.user
    if not runs_any(user):
        raise PermissionDenied
    run = Activity.objects.filter(run_activities_q(user))
    activities = Activity.objects.filter(Q(pk__in=run.values("pk")))
    form = ActivityFilterForm(request.GET)
    if form.is_valid() and form.cleaned_data["kind"]:
        activities = activities.filter(kind=form.cleaned_data["kind"])
    return render(
        request,
        "activities/counts.html",
        {"form": form, "counts": queries.counts(activities)},
    )
