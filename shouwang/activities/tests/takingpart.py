"""What the taking-part tests share: the personas' college with its poster
contest (tests/base.py), pages read in English, files in a media folder of
their own, and the makers of an image, an export and other activities."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from decimal import Decimal

from django.test import override_settings

from shouwang.activities import actions
from shouwang.activities.models import Activity, Session
from shouwang.lib import clock

from .base import ActivitiesTestCase
from .objects_takingpart import meeting_export, png

__all__ = ["TakingPartTestCase", "meeting_export", "png"]


class TakingPartTestCase(ActivitiesTestCase):
    def setUp(self):
        super().setUp()
        media = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, media, ignore_errors=True)
        media_settings = override_settings(MEDIA_ROOT=media)
        media_settings.enable()
        self.addCleanup(media_settings.disable)
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    @classmethod
    def make_activity(cls, **fields) -> Activity:
        """An activity of the college run by 高团委, open for three weeks."""
        classes = fields.pop("classes_", ())
        today = clock.today()
        defaults = {
            "title": "线上宿舍文化节",
            "kind": Activity.Kind.FESTIVAL,
            "unit": cls.college,
            "organiser": "学院团委",
            "starts_on": today - dt.timedelta(days=1),
            "ends_on": today + dt.timedelta(days=20),
            "hours": Decimal("1.0"),
        }
        return actions.save_activity(
            Activity(**{**defaults, **fields}),
            organisers=[cls.organiser_person],
            classes=classes,
            acting_user=cls.leader,
        )

    @classmethod
    def make_session(cls, activity: Activity, minutes: int = 90, days_ago: int = 1) -> Session:
        day = clock.today() - dt.timedelta(days=days_ago)
        starts = clock.at(day, dt.time(19, 0))
        return actions.save_session(
            Session(
                activity=activity,
                title="经验交流会",
                starts_at=starts,
                ends_at=starts + dt.timedelta(minutes=minutes),
                platform="腾讯会议",
            ),
            acting_user=cls.organiser,
        )
