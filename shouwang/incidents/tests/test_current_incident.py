from shouwang.incidents.access import current_incident_for
from shouwang.incidents.actions import close_incident, open_incident
from shouwang.incidents.models import Incident
from shouwang.people.models import DormRoom, Person, Unit
from shouwang.test import BaseTestCase, make_person


class CurrentIncidentTestCase(BaseTestCase):
    """`current_incident_for` decides for one loaded person what
    `Incident.expected_people()` decides in SQL: they must never disagree."""

    department: Unit
    other_college: Unit

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.department = Unit.objects.create(
            name="计算机系", kind=Unit.Kind.DEPARTMENT, parent=cls.college
        )
        cls.other_college = Unit.objects.create(
            name="会计学院", kind=Unit.Kind.COLLEGE, parent=cls.university
        )
        room = DormRoom.objects.create(building="教工", number="101")
        make_person("2022001", "系学生", unit=cls.department)
        make_person("2022002", "住校系学生", unit=cls.department, dorm_room=room)
        make_person("T2001", "驻校老师", Person.Kind.TEACHER, unit=cls.department, dorm_room=room)
        make_person("2020999", "外院生", unit=cls.other_college)
        make_person("2018001", "已毕业", unit=cls.college, status=Person.Status.GRADUATED)
        make_person(
            "2019001", "离校生", unit=cls.college, dorm_room=room, status=Person.Status.AWAY
        )
        make_person("2023001", "无单位")

    def test_it_agrees_with_the_expected_people_for_every_regime_and_unit(self):
        units = (self.university, self.college, self.department, self.other_college)
        for reporters in Incident.Reporters:
            for unit in units:
                with self.subTest(reporters=reporters, unit=unit.name):
                    incident = open_incident(
                        title="x", units=[unit], reporters=reporters, acting_user=self.leader
                    )
                    expected = set(incident.expected_people().values_list("pk", flat=True))
                    for person in Person.objects.all():
                        self.assertEqual(
                            current_incident_for(person) == incident,
                            person.pk in expected,
                            person.number,
                        )
                    close_incident(incident, acting_user=self.leader)

    def test_the_earliest_opened_of_two_covering_incidents_is_the_current_one(self):
        first = open_incident(title="teachers", units=[self.college], acting_user=self.leader)
        Incident.objects.filter(pk=first.pk).update(reporters=Incident.Reporters.ON_CAMPUS)
        # Opening a second one over the same people is refused; the data may
        # still hold two (an incident opened before the rule), so build it.
        second = Incident.objects.create(title="everyone", started_at=first.started_at)
        second.units.add(self.university)
        self.assertEqual(current_incident_for(self.student_a), first)  # lives in a dormitory
        self.assertEqual(current_incident_for(self.student_b), second)

    def test_it_takes_one_query(self):
        open_incident(title="x", units=[self.university], acting_user=self.leader)
        person = Person.objects.get(pk=self.student_a.pk)
        with self.assertNumQueries(1):
            self.assertIsNotNone(current_incident_for(person))
