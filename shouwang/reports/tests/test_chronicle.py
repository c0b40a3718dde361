"""Drafting a chronicle, editing its prose, publishing it, its figures live
and frozen."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shouwang.bulletin.models import Article
from shouwang.core.models import LogEntry
from shouwang.lib import clock
from shouwang.reports import actions
from shouwang.reports.chronicle import keys_in, read
from shouwang.reports.figures import FIGURES
from shouwang.reports.models import Chronicle, ChronicleSection

from .chronicle_base import ChronicleTestCase, account_text

Topic = ChronicleSection.Topic


class DraftTestCase(ChronicleTestCase):
    def test_it_drafts_the_seed_sections_in_order(self):
        self.login(self.leader)
        response = self.client.post(
            reverse("reports:chronicle_draft"),
            {"unit": self.college.pk, "incident": self.incident.pk},
        )
        chronicle = Chronicle.objects.get()
        self.assertRedirects(response, chronicle.get_absolute_url())
        self.assertEqual(
            list(chronicle.sections.values_list("topic", flat=True)), list(Topic.values)
        )
        self.assertEqual(chronicle.unit, self.college)
        self.assertEqual(chronicle.first, clock.today() - dt.timedelta(days=5))
        self.assertFalse(chronicle.is_published)
        self.assertIn(f"{self.college.name}党委", chronicle.title)
        self.assertIn(self.incident.title, chronicle.title)

    def test_each_figure_of_the_draft_is_what_its_query_counts(self):
        chronicle = self.draft()
        reading = read(chronicle)
        used = keys_in(*reading.texts())
        self.assertIn("students", used)
        self.assertIn("teachers", used)
        for key in used:
            with self.subTest(key=key):
                self.assertIn(key, FIGURES)
                self.assertEqual(reading.values[key], self.counted(chronicle, key))

    def test_the_page_shows_the_figures_with_their_definitions(self):
        chronicle = self.draft()
        self.login(self.leader)
        response = self.client.get(chronicle.get_absolute_url())
        self.assertIn(
            f"督促全院{self.counted(chronicle, 'students')}名学生", account_text(response)
        )
        self.assertContains(response, str(FIGURES["students"].definition))
        self.assertContains(response, "{{students}}")

    def test_a_range_of_days_drafts_without_an_incident(self):
        self.login(self.leader)
        first, last = clock.today() - dt.timedelta(days=9), clock.today()
        self.client.post(
            reverse("reports:chronicle_draft"),
            {"unit": self.college.pk, "first": first.isoformat(), "last": last.isoformat()},
        )
        chronicle = Chronicle.objects.get()
        self.assertIsNone(chronicle.incident)
        self.assertEqual((chronicle.first, chronicle.last), (first, last))
        self.assertEqual(chronicle.scope().last, last)

    def test_it_asks_for_an_incident_or_days(self):
        self.login(self.leader)
        response = self.client.post(reverse("reports:chronicle_draft"), {"unit": self.college.pk})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Chronicle.objects.exists())

    def test_the_incident_must_cover_the_college(self):
        self.create_other_college()
        self.login(self.admin)
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        response = self.client.post(
            reverse("reports:chronicle_draft"),
            {"unit": self.college_b.pk, "incident": self.incident.pk},
        )
        self.assertContains(response, "The incident covers neither", status_code=400)
        self.assertFalse(Chronicle.objects.exists())

    def test_the_list_takes_as_many_queries_however_many_chronicles(self):
        self.draft()
        self.login(self.leader)
        url = reverse("reports:chronicle_list")
        self.client.get(url)
        with CaptureQueriesContext(connection) as one:
            self.client.get(url)
        for _ in range(3):
            self.draft()
        with self.assertNumQueries(len(one)):
            response = self.client.get(url)
        self.assertEqual(len(response.context["page"]), 4)

    def test_a_unit_out_of_reach_cannot_be_drafted(self):
        self.create_other_college()
        self.login(self.leader)
        response = self.client.post(
            reverse("reports:chronicle_draft"),
            {"unit": self.college_b.pk, "incident": self.incident.pk},
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Chronicle.objects.exists())


class EditTestCase(ChronicleTestCase):
    def post_prose(self, chronicle: Chronicle, **changes: str):
        data = {
            "title": chronicle.title,
            "byline": chronicle.byline,
            "lead": chronicle.lead,
        }
        for section in chronicle.sections.all():
            data[f"{section.topic}-heading"] = section.heading
            data[f"{section.topic}-text"] = section.text
        data.update(changes)
        return self.client.post(chronicle.get_absolute_url(), data)

    def test_edited_prose_keeps_its_figures_live(self):
        chronicle = self.draft()
        self.login(self.leader)
        response = self.post_prose(
            chronicle, **{"care-text": "全院共有{{students}}名学生，{{teachers}}名教师。"}
        )
        self.assertRedirects(response, chronicle.get_absolute_url())
        students = self.counted(chronicle, "students")
        self.assertIn(
            f"全院共有{students}名学生", account_text(self.client.get(chronicle.get_absolute_url()))
        )
        self.add_student()
        self.assertIn(
            f"全院共有{students + 1}名学生",
            account_text(self.client.get(chronicle.get_absolute_url())),
        )
        section = chronicle.sections.get(topic=Topic.CARE)
        self.assertEqual(section.text, "全院共有{{students}}名学生，{{teachers}}名教师。")
        self.assertTrue(
            LogEntry.objects.filter(kind="reports.chronicle_edited", object_id=chronicle.pk)
        )

    def test_a_marker_of_no_figure_is_refused_and_nothing_saved(self):
        chronicle = self.draft()
        before = chronicle.sections.get(topic=Topic.CARE).text
        self.login(self.leader)
        self.client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        response = self.post_prose(chronicle, **{"care-text": "共{{no_such_figure}}人，{{students"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "there is no figure called no_such_figure", status_code=400)
        self.assertContains(response, "A figure&#x27;s marker is incomplete", status_code=400)
        self.assertEqual(chronicle.sections.get(topic=Topic.CARE).text, before)

    def test_a_heading_over_emptied_sections_is_not_printed(self):
        chronicle = self.draft()
        volunteering = chronicle.sections.get(topic=Topic.VOLUNTEERING)
        self.assertTrue(volunteering.heading)
        self.login(self.leader)
        self.post_prose(chronicle, **{"volunteering-text": "", "activities-text": ""})
        body = read(Chronicle.objects.get(pk=chronicle.pk)).body()
        self.assertNotIn(volunteering.heading, body)
        self.assertIn(chronicle.sections.get(topic=Topic.DEPLOYMENT).heading, body)

    def test_a_typed_number_is_prose_not_a_figure(self):
        chronicle = self.draft()
        self.login(self.leader)
        self.post_prose(chronicle, **{"care-text": "全院共有3名学生。"})
        reading = read(Chronicle.objects.get(pk=chronicle.pk))
        self.assertNotIn("students", keys_in(*reading.texts()[1:]))


class PublishTestCase(ChronicleTestCase):
    def test_publishing_freezes_the_figures_and_when_they_were_counted(self):
        chronicle = self.draft()
        at = clock.beijing(2030, 4, 16, 7, 50)
        with clock.standing_at(at):
            actions.publish(chronicle, acting_user=self.leader)
        chronicle.refresh_from_db()
        students = chronicle.figures["students"]
        self.assertEqual(students, self.counted(chronicle, "students"))
        self.assertEqual(set(chronicle.figures), set(FIGURES))
        assert chronicle.counted_at is not None
        self.assertEqual(chronicle.counted_at.replace(microsecond=0, second=0), at)
        self.assertEqual(chronicle.last, at.date())

        self.add_student()
        self.login(self.leader)
        response = self.client.get(chronicle.get_absolute_url())
        self.assertIn(f"督促全院{students}名学生", account_text(response))
        self.assertContains(response, "2030-04-16 07:50")
        article = Article.objects.get(chronicle=chronicle)
        self.assertIn(f"督促全院{students}名学生", article.body)
        self.assertEqual(read(chronicle).values["students"], students)

    def test_a_draft_follows_the_data_a_published_one_does_not(self):
        draft, published = self.draft(), self.draft()
        actions.publish(published, acting_user=self.leader)
        before = self.counted(draft, "students")
        self.add_student()
        self.assertEqual(read(draft).values["students"], before + 1)
        self.assertEqual(read(Chronicle.objects.get(pk=published.pk)).values["students"], before)

    def test_it_goes_to_the_party_section_of_the_bulletin_with_its_byline(self):
        chronicle = self.draft()
        self.login(self.leader)
        response = self.client.post(reverse("reports:chronicle_publish", args=[chronicle.pk]))
        self.assertRedirects(response, chronicle.get_absolute_url())
        article = Article.objects.get()
        self.assertEqual(article.section.slug, "party")
        self.assertEqual(article.section.name, "党建动态")
        self.assertEqual(article.title, chronicle.title)
        self.assertEqual(article.source, f"{self.college.name}供稿")
        self.assertTrue(article.is_public)
        self.assertContains(self.client.get(article.get_absolute_url()), "闻令而动")

    def test_publishing_twice_rewrites_the_same_article(self):
        chronicle = self.draft()
        first = actions.publish(chronicle, acting_user=self.leader)
        chronicle.refresh_from_db()
        actions.edit(
            chronicle,
            title="温暖坚毅，守望花开",
            byline="学院办公室 某某供稿",
            lead="改写的开头。",
            sections={},
            acting_user=self.leader,
        )
        second = actions.publish(chronicle, acting_user=self.leader)
        self.assertEqual(first.pk, second.pk)
        self.assertEqual(Article.objects.count(), 1)
        article = Article.objects.get()
        self.assertEqual(article.title, "温暖坚毅，守望花开")
        self.assertEqual(article.source, "学院办公室 某某供稿")
        self.assertTrue(article.body.startswith("改写的开头。"))

    def test_publishing_again_keeps_the_frozen_figures(self):
        chronicle = self.draft()
        actions.publish(chronicle, acting_user=self.leader)
        chronicle.refresh_from_db()
        frozen, counted_at = chronicle.figures, chronicle.counted_at
        self.add_student()
        actions.publish(chronicle, acting_user=self.leader)
        chronicle.refresh_from_db()
        self.assertEqual((chronicle.figures, chronicle.counted_at), (frozen, counted_at))

    def test_refreshing_counts_the_published_figures_again(self):
        chronicle = self.draft()
        actions.publish(chronicle, acting_user=self.leader)
        chronicle.refresh_from_db()
        before = chronicle.figures["students"]
        self.add_student()
        self.login(self.leader)
        self.client.post(reverse("reports:chronicle_refresh", args=[chronicle.pk]))
        chronicle.refresh_from_db()
        self.assertEqual(chronicle.figures["students"], before + 1)
        self.assertIn(f"督促全院{before + 1}名学生", Article.objects.get().body)
        entry = LogEntry.objects.get(kind="reports.chronicle_refreshed")
        self.assertIn("students", entry.additional_data["changed"])

    def test_a_draft_has_nothing_to_refresh(self):
        chronicle = self.draft()
        self.login(self.leader)
        self.client.post(reverse("reports:chronicle_refresh", args=[chronicle.pk]))
        chronicle.refresh_from_db()
        self.assertFalse(chronicle.is_published)
        self.assertEqual(chronicle.figures, {})

    def test_publishing_is_audited(self):
        chronicle = self.draft()
        article = actions.publish(chronicle, acting_user=self.leader)
        entry = LogEntry.objects.get(kind="reports.chronicle_published")
        self.assertEqual(entry.object_id, chronicle.pk)
        self.assertEqual(entry.additional_data["article"], article.pk)
