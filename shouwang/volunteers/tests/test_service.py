import datetime as dt
import io

from django.core.files.base import ContentFile
from django.urls import reverse
from freezegun import freeze_time
from PIL import Image

from shouwang.lib.clock import beijing
from shouwang.people.models import Person
from shouwang.test import make_person
from shouwang.volunteers.models import ServiceReport
from shouwang.volunteers.queries import LEAGUE, OTHER, PARTY, service_figures
from shouwang.volunteers.tests.helpers import EnglishTestCase, jpeg, make_report

NOW = beijing(2022, 4, 15, 9, 0)
APPROVED = ServiceReport.Status.APPROVED


class FrozenTestCase(EnglishTestCase):
    """The demo's morning of 4月15日."""

    def setUp(self):
        super().setUp()
        # Load the URLs (the API's schema among them) before the clock stops:
        # pydantic cannot describe freezegun's dates.
        reverse("volunteers:service_list")
        freezer = freeze_time(NOW)
        freezer.start()
        self.addCleanup(freezer.stop)


class SubmitTestCase(FrozenTestCase):
    URL = "/volunteers/service/new/"

    def data(self, **changes):
        return {
            "date": "2022-04-12",
            "province": "41",
            "city": "郑州",
            "place": "金水区花园路社区",
            "activity": "为居民采购生活物品，协助核酸检测",
            "hours": "3.5",
            **changes,
        }

    def test_a_student_reports_service_with_a_photo_stripped_of_its_metadata(self):
        self.login(self.student)
        response = self.client.post(self.URL, {**self.data(), "photo": jpeg(exif=True)})
        report = ServiceReport.objects.get()
        self.assertRedirects(response, report.get_absolute_url())
        self.assertEqual((report.province, report.city, str(report.hours)), ("41", "4101", "3.5"))
        self.assertEqual(report.status, ServiceReport.Status.SUBMITTED)
        with report.photo.open("rb") as stored, Image.open(stored) as image:
            self.assertEqual(dict(image.getexif()), {})
        page = self.client.get(report.get_absolute_url())
        self.assertContains(page, "河南省 郑州市")
        self.assertContains(page, 'data-testid="photo"')
        photo = self.client.get(reverse("volunteers:service_photo", args=[report.pk]))
        self.assertEqual(photo.status_code, 200)
        self.assertNotIn(b"PhoneMaker", photo.getvalue())

    def test_it_explains_each_mistake(self):
        self.login(self.student)
        response = self.client.post(
            self.URL,
            self.data(date="2022-04-20", city="广州", hours="0", place="", activity=""),
        )
        self.assertContains(response, "Report service you have done, not service to come.")
        self.assertContains(response, "That city is not in 河南省")
        self.assertContains(response, "Give at least half an hour.")
        self.assertContains(response, "Name the community where you served.")
        self.assertContains(response, "Say what you did.")
        self.assertFalse(ServiceReport.objects.exists())

    def test_a_file_that_is_not_an_image_is_refused(self):
        self.login(self.student)
        fake = io.BytesIO(b"MZ\x90\x00not an image")
        fake.name = "photo.jpg"
        response = self.client.post(self.URL, {**self.data(), "photo": fake})
        self.assertContains(response, "is not really a .jpg file")
        self.assertFalse(ServiceReport.objects.exists())

    def test_staff_do_not_report_here(self):
        self.login(self.counsellor_a_user)
        self.assertEqual(self.client.get(self.URL).status_code, 403)


class ReviewTestCase(FrozenTestCase):
    def setUp(self):
        super().setUp()
        self.report = make_report(self.student_a)
        self.url = reverse("volunteers:service_review", args=[self.report.pk])

    def test_the_counsellor_approves_and_the_student_sees_it(self):
        self.login(self.counsellor_a_user)
        self.assertContains(self.client.get(self.report.get_absolute_url()), 'data-testid="review"')
        self.client.post(self.url, {"decision": "approve", "note": ""})
        self.report.refresh_from_db()
        self.assertEqual(
            (self.report.status, self.report.reviewed_by), (APPROVED, self.counsellor_a)
        )
        self.login(self.student)
        self.assertContains(self.client.get(self.report.get_absolute_url()), "approved")

    def test_returning_needs_a_reason_the_student_then_reads(self):
        self.login(self.counsellor_a_user)
        response = self.client.post(self.url, {"decision": "return", "note": ""})
        self.assertContains(response, "Say why it is returned")
        self.client.post(self.url, {"decision": "return", "note": "请补充服务照片"})
        self.login(self.student)
        page = self.client.get(self.report.get_absolute_url())
        self.assertContains(page, "请补充服务照片")
        self.assertContains(page, "returned")

    def test_a_decision_is_made_once(self):
        self.login(self.counsellor_a_user)
        self.client.post(self.url, {"decision": "approve", "note": ""})
        response = self.client.post(self.url, {"decision": "return", "note": "重复"})
        self.assertContains(self.client.get(response["Location"]), "already approved or returned")
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, APPROVED)

    def test_another_classes_counsellor_does_not_find_it(self):
        self.login(self.counsellor_b_user)
        self.assertEqual(self.client.get(self.report.get_absolute_url()).status_code, 404)
        self.assertEqual(self.client.post(self.url, {"decision": "approve"}).status_code, 404)

    def test_the_counsellor_sees_waiting_reports_first(self):
        make_report(self.student_a, status=APPROVED, date=dt.date(2022, 4, 14))
        self.login(self.counsellor_a_user)
        page = self.client.get(reverse("volunteers:service_list"))
        reports = list(page.context["reports"])
        self.assertEqual(reports[0], self.report)


class FiguresTestCase(EnglishTestCase):
    def test_party_members_are_counted_as_people_and_provinces(self):
        probationary = make_person(
            "2020009",
            "预备党员",
            admin_class=self.class_a,
            political_status=Person.PoliticalStatus.PROBATIONARY,
        )
        league = make_person(
            "2020010",
            "团员",
            admin_class=self.class_a,
            political_status=Person.PoliticalStatus.LEAGUE_MEMBER,
        )
        day = dt.date(2022, 4, 10)
        # The party member served twice in 山西, the probationary member in 河南.
        make_report(self.volunteer_person, province="14", status=APPROVED, date=day)
        make_report(self.volunteer_person, province="14", status=APPROVED, date=day)
        make_report(probationary, province="41", status=APPROVED, date=day)
        make_report(league, province="41", status=APPROVED, date=day)
        make_report(self.student_a, province="37", status=APPROVED, date=day)
        # Neither a returned report, a waiting one, nor one outside the period counts.
        make_report(probationary, province="31", status=ServiceReport.Status.RETURNED, date=day)
        make_report(probationary, province="32", date=day)
        make_report(probationary, province="33", status=APPROVED, date=dt.date(2022, 5, 1))
        figures = service_figures(dt.date(2022, 4, 2), dt.date(2022, 4, 15))
        self.assertEqual((figures.people(PARTY), figures.provinces(PARTY)), (2, 2))
        self.assertEqual(figures.rows[PARTY]["reports"], 3)
        self.assertEqual((figures.people(LEAGUE), figures.provinces(LEAGUE)), (1, 1))
        self.assertEqual((figures.people(OTHER), figures.provinces(OTHER)), (1, 1))
        self.assertEqual(figures.total, {"people": 4, "provinces": 3, "reports": 5})

    def test_leaders_see_the_counts(self):
        make_report(self.volunteer_person, status=APPROVED)
        self.login(self.leader)
        page = self.client.get(reverse("volunteers:service_list"))
        self.assertContains(page, 'data-testid="figures"')
        self.login(self.student)
        page = self.client.get(reverse("volunteers:service_list"))
        self.assertNotContains(page, 'data-testid="figures"')


class StoredPhotoTestCase(FrozenTestCase):
    """A photo stored before images were checked, or lost from the disk since."""

    def pages(self, report) -> list[int]:
        self.login(self.student)
        return [
            self.client.get(report.get_absolute_url()).status_code,
            self.client.get(reverse("volunteers:service_photo", args=[report.pk])).status_code,
            self.client.get(reverse("volunteers:service_list")).status_code,
        ]

    def test_an_unreadable_photo_is_not_shown_and_the_report_opens(self):
        report = make_report(self.student_a)
        report.photo.save("photo.jpg", ContentFile(b"not a picture at all"), save=True)
        self.assertEqual(self.pages(report), [200, 404, 200])

    def test_a_photo_missing_from_the_disk_is_not_found(self):
        report = make_report(self.student_a)
        report.photo.save("photo.jpg", ContentFile(jpeg().read()), save=True)
        report.photo.storage.delete(report.photo.name)
        self.assertEqual(self.pages(report), [200, 404, 200])
