import datetime as dt

from django.core.exceptions import ValidationError
from freezegun import freeze_time

from shouwang.incidents.access import current_incident_for
from shouwang.incidents.actions import close_incident, open_incident
from shouwang.incidents.models import Incident
from shouwang.lib.clock import beijing
from shouwang.people.models import DormRoom, Person, Unit
from shouwang.test import BaseTestCase, make_person


class ExpectedPeopleTestCase(BaseTestCase):
    outsider: Person
    graduate: Person
    resident_teacher: Person

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        other = Unit.objects.create(name="会计学院", kind=Unit.Kind.COLLEGE, parent=cls.university)
        cls.outsider = make_person("2020999", "外院生", unit=other)
        cls.graduate = make_person(
            "2018001", "已毕业", unit=cls.college, status=Person.Status.GRADUATED
        )
        cls.resident_teacher = make_person(
            "T2001",
            "驻校老师",
            Person.Kind.TEACHER,
            unit=cls.college,
            dorm_room=DormRoom.objects.create(building="教工", number="101"),
        )

    def expected(self, reporters: str, units=None) -> set[str]:
        incident = open_incident(
            title="x",
            units=units or [self.college],
            reporters=reporters,
            acting_user=self.leader,
        )
        return set(incident.expected_people().values_list("number", flat=True))

    def test_everyone_means_everyone_present_in_the_covered_units(self):
        self.assertEqual(
            self.expected(Incident.Reporters.EVERYONE),
            {
                *("T1001", "T1002", "T1010", "T1020", "2020001", "2021001", "2021002"),
                *("T0001", "S0001", "T2001"),
            },
        )

    def test_students_only_leaves_out_teachers_and_staff(self):
        self.assertEqual(
            self.expected(Incident.Reporters.STUDENTS), {"2020001", "2021001", "2021002"}
        )

    def test_on_campus_means_dormitory_residents(self):
        self.assertEqual(self.expected(Incident.Reporters.ON_CAMPUS), {"2020001", "T2001"})

    def test_a_unit_covers_everything_below_it(self):
        everyone = self.expected(Incident.Reporters.STUDENTS, units=[self.university])
        self.assertIn("2020999", everyone)
        self.assertNotIn("2018001", everyone)

    def test_the_expected_people_take_a_fixed_number_of_queries(self):
        incident = open_incident(
            title="x", units=[self.college, self.university], acting_user=self.leader
        )
        incident = Incident.objects.get(pk=incident.pk)
        with self.assertNumQueries(3):
            list(incident.expected_people())

    def test_the_current_incident_of_a_person_is_the_open_one_covering_them(self):
        incident = open_incident(
            title="x",
            units=[self.college],
            reporters=Incident.Reporters.STUDENTS,
            acting_user=self.leader,
        )
        self.assertEqual(current_incident_for(self.student_a), incident)
        self.assertIsNone(current_incident_for(self.counsellor_a))
        self.assertIsNone(current_incident_for(self.outsider))
        close_incident(incident, acting_user=self.leader)
        self.assertIsNone(current_incident_for(self.student_a))


class RegimeTestCase(BaseTestCase):
    def test_the_deadline_is_a_beijing_time_on_each_day(self):
        incident = Incident(deadline=dt.time(10, 0))
        self.assertEqual(
            incident.deadline_at(dt.date(2022, 4, 3)),
            beijing(2022, 4, 3, 10, 0),
        )

    def test_reminders_must_be_sorted_well_formed_and_before_the_deadline(self):
        for times in (["09:00", "08:00"], ["08:00", "08:00"], ["8am"], ["10:00"], "08:00"):
            with self.subTest(times=times):
                incident = Incident(deadline=dt.time(10, 0), reminder_times=times)
                with self.assertRaises(ValidationError) as raised:
                    incident.clean()
                self.assertIn("reminder_times", raised.exception.message_dict)
        Incident(deadline=dt.time(10, 0), reminder_times=["08:00", "09:59"]).clean()

    @freeze_time("2022-04-02 08:00:00+08:00")
    def test_an_incident_covers_the_days_from_its_start_to_its_close(self):
        incident = open_incident(title="x", units=[self.college], acting_user=self.leader)
        self.assertFalse(incident.covers(dt.date(2022, 4, 1)))
        self.assertTrue(incident.covers(dt.date(2022, 4, 2)))
        self.assertTrue(incident.covers(dt.date(2022, 5, 1)))
        with freeze_time("2022-04-16 18:00:00+08:00"):
            close_incident(incident, acting_user=self.leader)
        self.assertTrue(incident.covers(dt.date(2022, 4, 16)))
        self.assertFalse(incident.covers(dt.date(2022, 4, 17)))
