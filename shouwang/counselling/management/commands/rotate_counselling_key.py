from django.core.management.base import BaseCommand
from django.db import transaction

from shouwang.counselling.models import Referral, ReferralNote

BATCH = 500


class Command(BaseCommand):
    help = (
        "Re-encrypt every referral summary and note with the first COUNSELLING_KEY; "
        "afterwards the older keys can be removed."
    )

    def handle(self, *args, **options):
        # Loading decrypts with any configured key; saving encrypts with the first.
        counts = []
        for model, field in ((Referral, "summary"), (ReferralNote, "body")):
            rows = list(model.objects.only("pk", field))
            with transaction.atomic():
                model.objects.bulk_update(rows, [field], batch_size=BATCH)
            counts.append(len(rows))
        self.stdout.write(f"Re-encrypted {counts[0]} referrals and {counts[1]} notes.")
