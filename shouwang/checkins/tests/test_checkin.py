import datetime as dt
import uuid

from django.conf import settings
from django.test.html import Element, parse_html
from django.urls import reverse
from freezegun import freeze_time

from shouwang.checkins.actions import NoticeNotAccepted, NotRequired, submit_checkin
from shouwang.checkins.models import CheckIn, PrivacyAcceptance
from shouwang.checkins.privacy import notice_version
from shouwang.checkins.status import checkin_status
from shouwang.core.models import LogEntry
from shouwang.incidents.models import Incident
from shouwang.lib import clock
from shouwang.lib.clock import beijing
from shouwang.people.models import Person
from shouwang.test import BaseTestCase

URL = reverse("checkins:today")


def find(element, **attributes) -> Element | None:
    """The first element under `element` carrying all these attributes."""
    if isinstance(element, str):
        return None
    if all((name, value) in element.attributes for name, value in attributes.items()):
        return element
    for child in element.children:
        found = find(child, **attributes)
        if found is not None:
            return found
    return None


def block(response, **attributes) -> str:
    """The HTML of the first element carrying these attributes (the test fails without one)."""
    element = find(parse_html(response.content.decode()), **attributes)
    assert element is not None, f"no element with {attributes}"
    return str(element)


class CheckInTestCase(BaseTestCase):
    """An open incident covering the college since April 1st 2022, deadline 10:00."""

    incident: Incident

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.incident = Incident.objects.create(
            title="校园封控", started_at=beijing(2022, 4, 1, 8, 0), deadline=dt.time(10, 0)
        )
        cls.incident.units.add(cls.college)

    def setUp(self):
        # Assert on English source strings: the Chinese catalogue is written last.
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def accept(self, person: Person | None = None) -> None:
        PrivacyAcceptance.objects.create(
            person=person or self.student_a, version=notice_version(self.incident)
        )

    def answers(self, **changes) -> dict:
        data = {
            "key": str(uuid.uuid4()),
            "location": "campus",
            "province": "",
            "city": "",
            "health": "normal",
            "temperature": "",
            "contact_with_case": "no",
            "stayed_in_risk_area": "no",
            "note": "",
        }
        data.update(changes)
        return data

    def submit(self, **changes):
        return self.client.post(URL, self.answers(**changes))

    def make_checkin(self, day: dt.date, person: Person | None = None, **fields) -> CheckIn:
        at = clock.at(day, dt.time(8, 0))
        values = {"location": "campus", "submitted_at": at, "updated_at": at, **fields}
        return CheckIn.objects.create(
            person=person or self.student_a, incident=self.incident, date=day, **values
        )


@freeze_time(beijing(2022, 4, 15, 8, 31))
class CheckInPageTestCase(CheckInTestCase):
    def test_an_anonymous_visitor_is_sent_to_log_in(self):
        response = self.client.get(URL)
        self.assertRedirects(response, f"{reverse('accounts:login')}?next={URL}")

    def test_someone_outside_the_regime_is_told_nothing_is_required(self):
        Person.objects.filter(pk=self.student_a.pk).update(status=Person.Status.AWAY)
        self.login(self.student)
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'data-testid="no-checkin"')
        self.assertContains(response, "No check-in is required of you now.")
        self.assertNotContains(response, 'data-testid="checkin-form"')

    def test_nobody_outside_the_regime_can_submit(self):
        self.incident.closed_at = beijing(2022, 4, 14, 12, 0)
        self.incident.save(update_fields=["closed_at"])
        self.login(self.student)
        self.accept()
        response = self.submit()
        self.assertEqual(response.status_code, 403)
        self.assertFalse(CheckIn.objects.exists())

    def test_it_shows_the_form_with_todays_date_and_deadline(self):
        self.accept()
        self.login(self.student)
        response = self.client.get(URL)
        self.assertContains(response, 'data-testid="checkin-form"')
        self.assertContains(response, '<time datetime="2022-04-15">')
        self.assertContains(response, "deadline 10:00")
        # Every one of the college's provinces is on the list.
        self.assertContains(response, '<option value="14">山西省</option>', html=True)
        self.assertContains(response, '<option value="65">新疆维吾尔自治区</option>', html=True)

    def test_it_records_the_checkin_and_shows_the_receipt(self):
        self.accept()
        self.login(self.student)
        response = self.submit(
            location="home",
            province="14",
            city="1401",
            temperature="36.6",
            note="在家上网课",
        )
        self.assertRedirects(response, URL)
        checkin = CheckIn.objects.get()
        self.assertEqual(checkin.person, self.student_a)
        self.assertEqual(checkin.incident, self.incident)
        self.assertEqual(checkin.date, dt.date(2022, 4, 15))
        self.assertEqual((checkin.location, checkin.province, checkin.city), ("home", "14", "1401"))
        self.assertEqual(str(checkin.temperature), "36.6")
        self.assertEqual(checkin.symptoms, [])
        self.assertFalse(checkin.late)
        self.assertEqual(checkin.submitted_at, beijing(2022, 4, 15, 8, 31))
        self.assertEqual(checkin.note, "在家上网课")

    def test_the_receipt_is_there_every_time_the_page_is_opened_that_day(self):
        self.accept()
        self.login(self.student)
        self.submit(location="home", province="14", city="1401", note="在家上网课")
        with freeze_time(beijing(2022, 4, 15, 21, 5)):
            response = self.client.get(URL)
        receipt = block(response, **{"data-testid": "receipt"})
        self.assertIn("Submitted", receipt)
        self.assertIn('datetime="2022-04-15T08:31:00+08:00"', receipt)
        self.assertIn("Apr 15, 08:31", receipt)
        self.assertIn("山西省 太原市", receipt)
        self.assertIn("在家上网课", receipt)
        self.assertNotContains(response, 'data-testid="checkin-form"')

    def test_it_writes_an_audit_row(self):
        self.accept()
        self.login(self.student)
        self.submit(health="unwell", symptoms=["fever", "cough"], temperature="38.2")
        checkin = CheckIn.objects.get()
        self.assertEqual(checkin.symptoms, ["fever", "cough"])
        entry = LogEntry.objects.get_for_object(checkin).get()
        self.assertEqual(entry.actor, self.student)
        self.assertEqual(entry.kind, "checkins.submitted")
        # The audit row says that, not what: the answers stay in the purgeable row.
        self.assertNotIn("fever", str(entry.additional_data))

    def test_a_get_never_writes(self):
        self.accept()
        self.make_checkin(dt.date(2022, 4, 14))
        self.login(self.student)
        for query in ("", "?show=same", "?show=yesterday", "?show=change", "?show=nonsense"):
            self.assertEqual(self.client.get(URL + query).status_code, 200)
        self.assertEqual(CheckIn.objects.filter(date=dt.date(2022, 4, 15)).count(), 0)

    def test_changing_todays_answers_starts_from_them(self):
        self.accept()
        self.make_checkin(dt.date(2022, 4, 15), note="早上的记录")
        self.login(self.student)
        response = self.client.get(URL + "?show=change")
        self.assertContains(response, 'data-testid="checkin-form"')
        self.assertContains(response, "早上的记录")
        self.assertContains(response, "Update today's check-in")

    def test_the_city_list_follows_the_province_through_htmx(self):
        self.accept()
        self.login(self.student)
        response = self.client.get(URL, {"province": "14"}, headers={"HX-Request": "true"})
        self.assertContains(response, 'id="city-field"')
        self.assertContains(response, '<option value="1401">太原市</option>', html=True)
        self.assertNotContains(response, "北京市")
        self.assertNotContains(response, "<html")

    def test_without_javascript_a_round_trip_shows_the_provinces_cities(self):
        self.accept()
        self.login(self.student)
        data = self.answers(location="home", province="14", note="先选省", action="cities")
        response = self.client.post(URL, data)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(CheckIn.objects.exists())
        self.assertContains(response, '<option value="1401">太原市</option>', html=True)
        self.assertContains(response, "先选省")
        # Nothing was wrong yet: no error notes.
        self.assertNotContains(response, "invalid-feedback")
        self.assertContains(response, f'value="{data["key"]}"')

    def test_the_form_page_takes_the_same_queries_however_long_the_history(self):
        self.accept()
        self.login(self.student)
        self.client.get(URL)  # the session's first use
        # The session, the user with their person (one query), the incident, the notice
        # accepted, today's and yesterday's check-ins, the roles and the
        # navbar's unread count.
        with self.assertNumQueries(7):
            self.client.get(URL)
        for days in range(1, 15):
            self.make_checkin(dt.date(2022, 4, 15) - dt.timedelta(days=days))
            self.make_checkin(dt.date(2022, 4, 15) - dt.timedelta(days=days), person=self.student_b)
        with self.assertNumQueries(7):
            self.client.get(URL)

    def test_the_receipt_page_takes_a_fixed_number_of_queries(self):
        self.accept()
        self.make_checkin(dt.date(2022, 4, 15))
        self.login(self.student)
        self.client.get(URL)
        with self.assertNumQueries(7):  # as the form page
            self.client.get(URL)


@freeze_time(beijing(2022, 4, 15, 8, 31))
class MayCheckInTestCase(CheckInTestCase):
    """The rule lives in the action; the page and the API translate its refusals."""

    ANSWERS: dict[str, object] = {
        "location": "campus",
        "province": "",
        "city": "",
        "symptoms": [],
        "temperature": None,
        "contact_with_case": False,
        "stayed_in_risk_area": False,
        "note": "",
    }

    def submit_as(self, person: Person | None):
        return submit_checkin(
            checkin_status(person), self.ANSWERS, uuid.uuid4(), acting_user=self.student
        )

    def test_someone_no_incident_covers_is_refused(self):
        Person.objects.filter(pk=self.student_a.pk).update(status=Person.Status.AWAY)
        self.student_a.refresh_from_db()
        for person in (self.student_a, None):
            with self.subTest(person=person), self.assertRaises(NotRequired) as refused:
                self.submit_as(person)
            self.assertEqual(refused.exception.code, "not_required")
        self.assertFalse(CheckIn.objects.exists())

    def test_someone_who_has_not_accepted_the_notice_is_refused(self):
        with self.assertRaises(NoticeNotAccepted) as refused:
            self.submit_as(self.student_a)
        self.assertIn("privacy notice", str(refused.exception.message))
        self.assertFalse(CheckIn.objects.exists())

    def test_once_accepted_the_check_in_is_stored(self):
        self.accept()
        submission = self.submit_as(self.student_a)
        self.assertEqual((submission.created, submission.checkin.late), (True, False))
        self.assertEqual(CheckIn.objects.get().person, self.student_a)
