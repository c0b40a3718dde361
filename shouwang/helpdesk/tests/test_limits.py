import datetime as dt

from django.test import override_settings
from freezegun import freeze_time

from shouwang.helpdesk import actions
from shouwang.helpdesk.models import HelpRequest, HelpRequestEvent
from shouwang.lib import clock
from shouwang.notify.models import Message
from shouwang.people.models import Person
from shouwang.test import BaseTestCase

from .helpers import make_request

START = dt.datetime(2022, 4, 10, 9, 0, tzinfo=dt.timezone.utc)
LIMITS = {"urgent": (2, 24), "high": (8, 72), "normal": (24, 168)}


@override_settings(HELPDESK_LIMITS=LIMITS, HELPDESK_CONFIRM_DAYS=7)
class TimeLimitTests(BaseTestCase):
    def setUp(self):
        with freeze_time(START):
            self.help_request = make_request(self.student, urgency="urgent")

    def alerts_to(self, person):
        return Message.objects.filter(recipient=person, title__contains="#").count()

    def test_nothing_is_sent_within_the_limit(self):
        with freeze_time(START + dt.timedelta(hours=1, minutes=59)):
            self.assertEqual(actions.alert_overdue(clock.now()), 0)

    def test_the_handler_is_told_first_then_the_leaders_each_once(self):
        with freeze_time(START + dt.timedelta(hours=3)) as frozen:
            actions.alert_overdue(START + dt.timedelta(hours=3))
            self.assertEqual(self.alerts_to(self.counsellor_a), 1)
            self.assertEqual(self.alerts_to(self.leader_person), 0)
            actions.alert_overdue(START + dt.timedelta(hours=3, minutes=10))
            self.assertEqual(self.alerts_to(self.counsellor_a), 1)
            frozen.move_to(START + dt.timedelta(hours=5))
            actions.alert_overdue(START + dt.timedelta(hours=5))
            actions.alert_overdue(START + dt.timedelta(hours=5, minutes=10))
        self.assertEqual(self.alerts_to(self.leader_person), 1)
        self.assertEqual(
            self.help_request.events.filter(kind=HelpRequestEvent.Kind.ALERT).count(), 1
        )

    def test_a_leader_who_has_left_is_not_alerted(self):
        Person.objects.filter(pk=self.leader_person.pk).update(status=Person.Status.AWAY)
        actions.alert_overdue(START + dt.timedelta(hours=5))
        self.assertEqual(self.alerts_to(self.counsellor_a), 1)
        self.assertEqual(self.alerts_to(self.leader_person), 0)

    def test_a_response_in_time_stops_the_response_alert(self):
        with freeze_time(START + dt.timedelta(hours=1)):
            actions.claim(self.help_request, acting_user=self.counsellor_a_user)
        actions.alert_overdue(START + dt.timedelta(hours=10))
        self.assertEqual(self.alerts_to(self.counsellor_a), 0)
        # The resolution limit (24 hours) still runs.
        actions.alert_overdue(START + dt.timedelta(hours=25))
        self.assertEqual(self.alerts_to(self.counsellor_a), 1)

    def test_an_unconfirmed_resolution_closes_itself_after_seven_days(self):
        with freeze_time(START + dt.timedelta(hours=1)):
            actions.claim(self.help_request, acting_user=self.counsellor_a_user)
            actions.change_status(
                self.help_request, "resolved", "已处理", acting_user=self.counsellor_a_user
            )
        self.assertEqual(actions.close_unconfirmed(START + dt.timedelta(days=6)), 0)
        self.assertEqual(actions.close_unconfirmed(START + dt.timedelta(days=7, hours=2)), 1)
        self.help_request.refresh_from_db()
        self.assertEqual(self.help_request.status, HelpRequest.Status.CLOSED)
        self.assertIn("7", self.help_request.events.last().text)
        self.assertEqual(actions.close_unconfirmed(START + dt.timedelta(days=8)), 0)
