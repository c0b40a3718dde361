"""The ledger's check: the command that prints what does not add up and
fails, and the nightly job that tells the admins."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

from django.core.management import CommandError, call_command
from django.db.models import F

from shouwang.core.scheduler import JOBS
from shouwang.notify.kinds import ESCALATION
from shouwang.notify.models import Message
from shouwang.supplies.models import Stock
from shouwang.supplies.tasks import check_ledger

from .base import SuppliesTestCase


class CheckTest(SuppliesTestCase):
    def setUp(self):
        self.batch = self.put_in(self.noodles, 720)
        self.put_in(self.suits, 100)

    def spoil(self) -> None:
        """A balance changed behind the ledger's back: 24 桶 more than its movements."""
        Stock.objects.filter(batch=self.batch).update(quantity=F("quantity") + 24)

    def test_a_sound_ledger_passes(self):
        out = StringIO()
        call_command("check_supplies_ledger", stdout=out)
        self.assertEqual(out.getvalue().strip().count("\n"), 0)

    def test_a_balance_its_movements_do_not_add_up_to_is_printed_and_fails(self):
        self.spoil()
        out = StringIO()
        with self.assertRaises(CommandError):
            call_command("check_supplies_ledger", stdout=out)
        lines = out.getvalue().strip().splitlines()
        self.assertEqual(len(lines), 1)
        self.assertIn("学院物资仓库", lines[0])
        self.assertIn(f"#{self.batch.pk}", lines[0])
        self.assertIn("31箱", lines[0])
        self.assertIn("30箱", lines[0])

    def test_the_nightly_job_tells_the_admins_once_a_day(self):
        self.assertEqual(JOBS[check_ledger.module_path].cron, "15 3 * * *")
        self.assertEqual(check_ledger.call(), 0)
        self.assertFalse(Message.objects.filter(kind=ESCALATION).exists())
        self.spoil()
        with self.assertLogs("shouwang.supplies.ledger_check", "ERROR"):
            self.assertEqual(check_ledger.call(), 1)
        message = Message.objects.get(kind=ESCALATION)
        self.assertEqual(message.recipient, self.admin_person)
        self.assertIn("31箱", message.body)
        with self.assertLogs("shouwang.supplies.ledger_check", "ERROR"):
            check_ledger.call()
        self.assertEqual(Message.objects.filter(kind=ESCALATION).count(), 1)
        self.assertEqual(Stock.objects.get(batch=self.batch).quantity, Decimal(744))
