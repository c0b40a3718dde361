"""The mailboxes' limits count the visitor behind the proxy, and a network's flood stays its own."""

from django.test import override_settings
from django.urls import reverse

from shouwang.bulletin.models import Letter
from shouwang.bulletin.tests.test_mailboxes import LETTER, MailboxTestCase

PROXY = "192.168.10.2"


@override_settings(PROXY_COUNT=1, LETTERS_PER_CLIENT_PER_HOUR=3, LETTERS_PER_MINUTE=100)
class BehindAProxyTests(MailboxTestCase):
    def write_through_proxy(self, visitor: str, forwarded: str = ""):
        return self.client.post(
            reverse("bulletin:write_letter", args=["secretary"]),
            LETTER,
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"{forwarded}{visitor}",
        )

    def test_one_visitor_is_held_at_the_hourly_limit_and_another_is_not(self):
        for _ in range(3):
            self.assertEqual(self.write_through_proxy("203.0.113.7").status_code, 302)
        self.assertContains(self.write_through_proxy("203.0.113.7"), "来信过多")
        self.assertEqual(self.write_through_proxy("198.51.100.20").status_code, 302)
        self.assertEqual(Letter.objects.count(), 4)

    def test_a_visitor_cannot_escape_the_limit_by_writing_the_header_themselves(self):
        for forged in ("1.1.1.1, ", "2.2.2.2, ", "3.3.3.3, "):
            self.write_through_proxy("203.0.113.7", forwarded=forged)
        response = self.write_through_proxy("203.0.113.7", forwarded="4.4.4.4, ")
        self.assertContains(response, "来信过多")


@override_settings(LETTERS_PER_MINUTE=5, LETTERS_PER_CLIENT_PER_HOUR=100)
class NetworkFloodTests(MailboxTestCase):
    def flood(self, prefix: str, letters: int = 8) -> None:
        for host in range(letters):
            self.write(ip=prefix.format(host + 1))

    def test_rotating_addresses_of_one_network_leaves_the_mailboxes_open_to_others(self):
        self.flood("10.66.6.{}")
        self.assertEqual(Letter.objects.count(), 5)
        self.assertEqual(self.write(ip="10.20.30.40").status_code, 302)
        self.assertEqual(self.write(slug="dean", ip="172.16.1.9").status_code, 302)

    def test_rotating_addresses_of_one_ipv6_network_counts_as_one_network(self):
        self.flood("2001:db8:66:6::{}")
        self.assertEqual(Letter.objects.count(), 5)
        self.assertContains(self.write(ip="2001:db8:66:6:ffff::1"), "来信过多")
        self.assertEqual(self.write(ip="2001:db8:77:7::1").status_code, 302)

    def test_a_flood_never_stops_a_writer_from_reading_their_answer(self):
        self.assertEqual(self.write(ip="10.66.6.200").status_code, 302)
        letter = Letter.objects.get()
        self.flood("10.66.6.{}", letters=20)
        self.assertContains(self.write(ip="10.66.6.201"), "来信过多")
        lookup = self.client.get(
            reverse("bulletin:letter_lookup"), {"code": letter.code}, REMOTE_ADDR="10.66.6.200"
        )
        self.assertRedirects(lookup, reverse("bulletin:letter_status", args=[letter.code]))
        status = self.client.get(lookup["Location"], REMOTE_ADDR="10.66.6.200")
        self.assertContains(status, letter.code)
