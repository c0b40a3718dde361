"""Test data for the bulletin: sections, articles in each state, small real files."""

from __future__ import annotations

import datetime as dt
import io

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shouwang.bulletin import actions
from shouwang.bulletin.models import Article, Mailbox, Section
from shouwang.lib import clock
from shouwang.people.models import Person

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def jpeg(name: str = "photo.jpg", *, gps: bool = False, size=(40, 30)) -> SimpleUploadedFile:
    """A small JPEG; with `gps`, carrying EXIF with a GPS position and a camera model."""
    image = Image.new("RGB", size, (200, 40, 40))
    exif = Image.Exif()
    if gps:
        exif[0x0110] = "Phone X"  # Model
        exif[0x8825] = {1: "N", 2: (37.0, 52.0, 0.0), 3: "E", 4: (112.0, 33.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def pdf(name: str = "表格.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def make_sections() -> dict[str, Section]:
    return {
        slug: Section.objects.create(name=name, slug=slug, position=i)
        for i, (slug, name) in enumerate(
            [
                ("news", "学院新闻"),
                ("notices", "通知公告"),
                ("party", "党建动态"),
                ("downloads", "下载专区"),
            ]
        )
    }


def make_article(section: Section, title: str, *, state: str = "public", author=None, **fields):
    """An article that is "public", a "draft" or "scheduled" (published for tomorrow)."""
    article = actions.save_article(
        None, section=section, title=title, body=fields.pop("body", "正文。"), acting_user=author
    )
    if state == "public":
        actions.publish_article(
            article,
            published_at=fields.pop("published_at", clock.now() - dt.timedelta(hours=1)),
            acting_user=author,
        )
    elif state == "scheduled":
        actions.publish_article(
            article, published_at=clock.now() + dt.timedelta(days=1), acting_user=author
        )
    return article


def make_mailboxes(secretary: Person, dean: Person) -> tuple[Mailbox, Mailbox]:
    return (
        Mailbox.objects.create(name="书记信箱", slug="secretary", person=secretary, position=1),
        Mailbox.objects.create(name="院长信箱", slug="dean", person=dean, position=2),
    )


class FreshCache:
    """Each test starts with an empty cache: pages of an earlier test's rows must not show."""

    def setUp(self):
        super().setUp()  # type: ignore[misc]
        cache.clear()


def public_article(section: Section, title: str = "学院召开疫情防控专题会议") -> Article:
    return make_article(section, title)
