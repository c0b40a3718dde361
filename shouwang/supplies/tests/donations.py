"""A member of the college who gives the seed's donation (梁世婕), and helpers
to pledge, count in and hand out what she gave."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from shouwang.accounts.models import User
from shouwang.lib.clock import beijing
from shouwang.people.models import Person
from shouwang.supplies import actions
from shouwang.supplies.models import Donation, IssueSlip, Item, Store
from shouwang.test import make_person, make_user
from shouwang.volunteers.models import Team

from .base import SuppliesTestCase

# The seed's donation as she named it.
SEED = (("suits", "100", ""), ("sanitizer", "700", ""), ("noodles", "30", "箱"),
        ("sausages", "6", "箱"), ("fruit", "1000", "斤"))  # fmt: skip
RECEIVED_AT = beijing(2022, 4, 15, 15, 30)


class DonationsTestCase(SuppliesTestCase):
    donor_person: Person
    donor_user: User
    care_team: Team

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.donor_person = make_person(
            "2021115",
            "梁世婕",
            unit=cls.college,
            grade=2021,
            political_status=Person.PoliticalStatus.PARTY_MEMBER,
        )
        cls.donor_user = make_user(cls.donor_person)
        cls.care_team = Team.objects.create(
            name="隔离关爱组", kind=Team.Kind.BRIGADE, unit=cls.college
        )

    def pledge_seed(self, publicity: str = Donation.Publicity.NAMED) -> Donation:
        return actions.pledge(
            actions.donor_for(self.donor_person),
            [
                actions.Pledge(getattr(self, item), Decimal(quantity), unit)
                for item, quantity, unit in SEED
            ],
            unit=self.college,
            publicity=publicity,
            acting_user=self.keeper,
        )

    def receive_all(self, donation: Donation, store: Store | None = None) -> Donation:
        """Count every line in as pledged; the fruit keeps a week."""
        return actions.receive_donation(
            donation,
            store or self.store,
            {
                line.pk: actions.Count(
                    line.pledged,
                    dt.date(2099, 1, 1) if line.item.perishable else None,
                )
                for line in donation.lines.select_related("item")
            },
            at=RECEIVED_AT,
            acting_user=self.keeper,
        )

    def hand_out(
        self, item: Item, quantity: str, *, purpose: str, store: Store | None = None, **target
    ) -> IssueSlip:
        """A request for `target` (for_unit, for_team or for_person) approved whole and issued."""
        request = actions.submit_request(
            self.counsellor_a,
            [actions.Asked(item, Decimal(quantity))],
            purpose=purpose,
            acting_user=self.counsellor_a_user,
            **target,
        )
        line = request.lines.get()
        actions.decide_request(request, {line.pk: Decimal(quantity)}, acting_user=self.keeper)
        return actions.issue(request, store or self.store, acting_user=self.keeper)
