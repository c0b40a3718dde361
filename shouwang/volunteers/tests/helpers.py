import datetime as dt
import io

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shouwang.lib import clock
from shouwang.test import BaseTestCase
from shouwang.volunteers.models import Membership, ServiceReport, Shift, Team


def make_team(name: str, kind=Team.Kind.BRIGADE, *, lead=None, members=(), unit=None) -> Team:
    """A team run by `unit`, by default its lead's (whose leaders then run it too)."""
    if unit is None and lead is not None:
        unit = lead.unit
    team = Team.objects.create(name=name, kind=kind, unit=unit)
    if lead is not None:
        Membership.objects.create(team=team, person=lead, is_lead=True)
    for person in members:
        Membership.objects.create(team=team, person=person)
    return team


def make_shift(team: Team, *, places: int = 3, starts_in=dt.timedelta(days=1), hours=3) -> Shift:
    starts = clock.now() + starts_in
    return Shift.objects.create(
        team=team,
        title="核酸检测秩序维护",
        place="体育馆",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=hours),
        places=places,
    )


def make_report(person, *, province="14", status=ServiceReport.Status.SUBMITTED, **fields):
    values = {
        "date": clock.today() - dt.timedelta(days=1),
        "city": "",
        "place": "小店区坞城社区",
        "activity": "协助社区开展核酸检测",
        "hours": 3,
        **fields,
    }
    return ServiceReport.objects.create(person=person, province=province, status=status, **values)


def jpeg(name: str = "photo.jpg", exif: bool = False) -> SimpleUploadedFile:
    out = io.BytesIO()
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # Make
        data[0x0132] = "2022:04:10 10:00:00"  # DateTime
        image.save(out, "JPEG", exif=data)
    else:
        image.save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


class EnglishTestCase(BaseTestCase):
    """Pages in English, so that tests read the source strings."""

    def setUp(self):
        super().setUp()
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
