from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from shouwang.counselling.models import Referral, ReferralNote

BATCH = 500


class Command(BaseCommand):
    help = (
        "Re-encrypt every referral summary and note with the first COUNSELLING_KEY; "
        "afterwards the older keys can be removed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # Loading decrypts with any configured key; saving encrypts with the first.
        with transaction.atomic():
            referrals = list(Referral.objects.only("pk", "summary"))
            Referral.objects.bulk_update(referrals, ["summary"], batch_size=BATCH)
            notes = list(ReferralNote.objects.only("pk", "body"))
            ReferralNote.objects.bulk_update(notes, ["body"], batch_size=BATCH)
        self.stdout.write(f"Re-encrypted {len(referrals)} referrals and {len(notes)} notes.")
