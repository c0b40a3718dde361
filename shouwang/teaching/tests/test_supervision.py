import datetime as dt

from django.conf import settings
from django.urls import reverse

from shouwang.accounts.models import Role, User
from shouwang.core.models import LogEntry
from shouwang.notify.models import Message
from shouwang.people.models import Person
from shouwang.teaching import actions
from shouwang.teaching.audit import TeachingEvent
from shouwang.teaching.message_kinds import FEEDBACK, OBSERVATION
from shouwang.teaching.models import Criterion, Lesson, Observation

from .base import TeachingTestCase
from .supervision import person_of, supervision_personas

APRIL_12 = dt.date(2022, 4, 12)


class SupervisionTestCase(TeachingTestCase):
    teacher_person: Person
    teacher_user: User
    supervisor_user: User
    other_supervisor: User
    lesson: Lesson
    later_lesson: Lesson

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        supervision_personas(cls)
        cls.lesson = cls.database_class.lessons.get(date=APRIL_12)
        cls.later_lesson = cls.database_class.lessons.get(date=APRIL_12 + dt.timedelta(weeks=1))

    def setUp(self):
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def assign(self, lesson: Lesson | None = None, supervisor=None) -> Observation:
        return actions.assign_observation(
            lesson or self.lesson,
            person_of(supervisor or self.supervisor_user),
            acting_user=self.leader,
        )

    def ratings(self, value: int = 4) -> dict[str, int]:
        return {f"criterion_{pk}": value for pk in Criterion.objects.values_list("pk", flat=True)}

    def write(self, observation: Observation, value: int = 4, comments: str = "互动充分") -> None:
        ratings = dict.fromkeys(Criterion.objects.values_list("pk", flat=True), value)
        actions.write_observation(
            observation, ratings=ratings, comments=comments, acting_user=self.supervisor_user
        )


class AssignObservationTestCase(SupervisionTestCase):
    url = reverse("teaching:observation_assign")

    def post(self, **data):
        fields = {
            "supervisor": self.supervisor_user.person_id,
            "teaching_class": self.database_class.pk,
            "date": APRIL_12.isoformat(),
        }
        return self.client.post(self.url, {**fields, **data})

    def test_the_page_offers_the_supervisors_and_the_lessons_of_the_day_chosen(self):
        self.login(self.leader)
        query: dict[str, str | int] = {
            "teaching_class": self.database_class.pk,
            "date": APRIL_12.isoformat(),
        }
        response = self.client.get(self.url, query)
        self.assertContains(response, "郭督导")
        self.assertContains(response, "赵督导")
        self.assertNotContains(response, "李明</option>")  # a teacher, not a supervisor
        self.assertContains(response, f'value="{self.lesson.pk}"')

    def test_a_leader_sends_a_supervisor_who_finds_it_in_their_inbox(self):
        self.login(self.leader)
        response = self.post(lessons=[self.lesson.pk])
        self.assertRedirects(response, reverse("teaching:observation_list"))
        observation = Observation.objects.get()
        self.assertEqual(observation.lesson, self.lesson)
        message = Message.objects.get(recipient=self.supervisor_user.person)
        self.assertEqual(message.kind, OBSERVATION)
        self.assertEqual(message.link, observation.get_absolute_url())
        self.assertIn("数据库原理", message.title)
        self.assertTrue(
            LogEntry.objects.filter(kind=TeachingEvent.OBSERVATION_ASSIGNED.value).exists()
        )

    def test_no_lesson_ticked_assigns_every_lesson_of_the_day(self):
        self.login(self.leader)
        self.post()
        self.assertEqual(
            list(Observation.objects.values_list("lesson", flat=True)), [self.lesson.pk]
        )

    def test_assigning_twice_assigns_and_tells_once(self):
        self.login(self.leader)
        self.post()
        self.post()
        self.assertEqual(Observation.objects.count(), 1)
        self.assertEqual(Message.objects.filter(kind=OBSERVATION).count(), 1)

    def test_only_a_supervisor_can_be_sent(self):
        self.login(self.leader)
        response = self.post(supervisor=self.teacher_person.pk)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Observation.objects.exists())

    def test_a_day_without_lessons_is_refused(self):
        self.login(self.leader)
        response = self.post(date="2022-04-13")
        self.assertContains(response, "That class has no lesson on that day.")
        self.assertFalse(Observation.objects.exists())

    def test_the_teaching_office_assigns_too(self):
        office = self.counsellor_b_user
        office.grant(Role.TEACHING_OFFICE)
        self.login(office)
        self.post()
        self.assertEqual(Observation.objects.count(), 1)

    def test_a_teacher_a_supervisor_and_a_student_are_refused(self):
        for user in (self.teacher_user, self.supervisor_user, self.student):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(self.url).status_code, 403)
                self.assertEqual(self.post().status_code, 403)
        self.assertFalse(Observation.objects.exists())


class ObservationListTestCase(SupervisionTestCase):
    url = reverse("teaching:observation_list")

    def test_a_supervisor_sees_their_own_pending_first_then_done(self):
        done = self.assign(self.lesson)
        self.write(done)
        pending = self.assign(self.later_lesson)
        self.assign(self.lesson, self.other_supervisor)
        self.login(self.supervisor_user)
        response = self.client.get(self.url)
        self.assertEqual(list(response.context["observations"]), [pending, done])
        self.assertContains(response, "to observe")
        self.assertNotContains(response, "赵督导")

    def test_a_teacher_sees_only_the_done_observations_of_their_lessons(self):
        done = self.assign(self.lesson)
        self.write(done)
        self.assign(self.later_lesson)
        self.login(self.teacher_user)
        response = self.client.get(self.url)
        self.assertEqual(list(response.context["observations"]), [done])

    def test_a_leader_sees_every_observation_and_may_assign(self):
        self.assign(self.lesson)
        self.assign(self.lesson, self.other_supervisor)
        self.login(self.leader)
        response = self.client.get(self.url)
        self.assertEqual(len(response.context["observations"]), 2)
        self.assertContains(response, reverse("teaching:observation_assign"))

    def test_a_student_is_refused(self):
        self.login(self.student)
        self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_the_list_takes_as_many_queries_for_many_observations(self):
        self.login(self.supervisor_user)
        self.assign(self.lesson)
        self.client.get(self.url)  # sessions and caches warmed
        with self.assertNumQueries(5) as few:
            self.client.get(self.url)
        for lesson in self.database_class.lessons.all()[:8]:
            self.assign(lesson)
        with self.assertNumQueries(len(few.captured_queries)):
            self.client.get(self.url)


class ObservationDetailTestCase(SupervisionTestCase):
    def setUp(self):
        super().setUp()
        self.observation = self.assign()
        self.url = self.observation.get_absolute_url()

    def test_the_supervisor_rates_each_criterion_and_comments(self):
        self.login(self.supervisor_user)
        response = self.client.get(self.url)
        self.assertContains(response, "教学方法与平台运用")
        response = self.client.post(self.url, {**self.ratings(5), "comments": "讲解清晰"})
        self.assertRedirects(response, self.url)
        self.observation.refresh_from_db()
        self.assertTrue(self.observation.is_done)
        self.assertEqual(self.observation.average, 5)
        self.assertEqual(self.observation.comments, "讲解清晰")

    def test_a_rating_missing_or_out_of_range_is_refused(self):
        self.login(self.supervisor_user)
        ratings = self.ratings(4)
        ratings[next(iter(ratings))] = 6
        response = self.client.post(self.url, {**ratings, "comments": "x"})
        self.assertEqual(response.status_code, 200)
        self.observation.refresh_from_db()
        self.assertFalse(self.observation.is_done)

    def test_the_teacher_reads_the_feedback_once_written_and_cannot_write(self):
        self.login(self.teacher_user)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.write(self.observation, comments="板书可以更清楚")
        response = self.client.get(self.url)
        self.assertContains(response, "板书可以更清楚")
        self.assertNotContains(response, 'data-testid="observation-form"')
        response = self.client.post(self.url, {**self.ratings(1), "comments": "改"})
        self.assertEqual(response.status_code, 403)

    def test_the_teacher_is_told_of_the_feedback_once(self):
        self.write(self.observation, comments="板书可以更清楚")
        self.write(self.observation, comments="板书可以更清楚，互动很好")
        message = Message.objects.get(kind=FEEDBACK)
        self.assertEqual(message.recipient, self.teacher_user.person)
        self.assertEqual(message.link, self.url)
        self.assertIn("数据库原理", message.title)

    def test_another_supervisor_and_a_student_get_404(self):
        for user in (self.other_supervisor, self.student):
            self.login(user)
            with self.subTest(user=user.username):
                self.assertEqual(self.client.get(self.url).status_code, 404)
                post = self.client.post(self.url, {**self.ratings(), "comments": "x"})
                self.assertEqual(post.status_code, 404)

    def test_a_leader_reads_a_pending_observation_but_does_not_write_it(self):
        self.login(self.leader)
        response = self.client.get(self.url)
        self.assertContains(response, "Not observed yet.")
        response = self.client.post(self.url, {**self.ratings(), "comments": "x"})
        self.assertEqual(response.status_code, 403)


class MenuTestCase(SupervisionTestCase):
    def test_a_supervisor_finds_the_observations_in_the_menu_a_teacher_does_not(self):
        link = f'href="{reverse("teaching:observation_list")}"'
        self.login(self.supervisor_user)
        self.assertContains(self.client.get(reverse("home:home")), link)
        self.login(self.teacher_user)
        self.assertNotContains(self.client.get(reverse("home:home")), link)
