"""Summaries and notes are ciphertext in the database, readable only with the key."""

import base64
import hashlib
import io

from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.db import connection
from django.test import SimpleTestCase, override_settings

from shouwang.core.tests.test_settings import PRODUCTION_ENV, check_deploy
from shouwang.counselling import crypto
from shouwang.counselling.checks import check_counselling_key, check_counselling_key_format
from shouwang.counselling.models import Referral, ReferralNote

from .base import NOTE, SUMMARY, ReferralTestCase

KEY = Fernet.generate_key().decode()
OLD_KEY = Fernet.generate_key().decode()


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


class EncryptionAtRestTestCase(ReferralTestCase):
    def note(self) -> ReferralNote:
        return self.referral.notes.get()

    def test_the_database_holds_no_plaintext(self):
        summary = raw("counselling_referral", "summary", self.referral.pk)
        body = raw("counselling_referralnote", "body", self.note().pk)
        for stored, text in ((summary, SUMMARY), (body, NOTE)):
            self.assertNotIn(text, stored)
            self.assertNotIn(text[:4], stored)
            self.assertTrue(stored.startswith("gAAAAA"), stored[:10])  # a Fernet token

    def test_a_wrong_key_cannot_read_it(self):
        body = raw("counselling_referralnote", "body", self.note().pk)
        with self.assertRaises(InvalidToken):
            Fernet(KEY).decrypt(body.encode())
        with override_settings(COUNSELLING_KEYS=[KEY]), self.assertRaises(InvalidToken):
            ReferralNote.objects.get(pk=self.note().pk)

    def test_old_keys_still_read_and_rotation_moves_everything_to_the_new_key(self):
        with override_settings(COUNSELLING_KEYS=[OLD_KEY]):
            # Everything so far under the old key (the fixture used the development key).
            self.referral.notes.update(body=NOTE)
            self.referral.notes.create(author=self.support, body="旧密钥写的记录")
            Referral.objects.filter(pk=self.referral.pk).update(summary="旧密钥写的摘要")
        with override_settings(COUNSELLING_KEYS=[KEY, OLD_KEY]):
            self.assertEqual(self.referral.notes.latest("pk").body, "旧密钥写的记录")
            out = io.StringIO()
            call_command("rotate_counselling_key", stdout=out)
            self.assertIn("1 referrals and 2 notes", out.getvalue())
        with override_settings(COUNSELLING_KEYS=[KEY]):
            self.assertEqual(self.refresh().summary, "旧密钥写的摘要")
            self.assertEqual(
                sorted(self.referral.notes.values_list("body", flat=True)),
                sorted([NOTE, "旧密钥写的记录"]),
            )

    def test_each_encryption_differs_so_equal_notes_do_not_show(self):
        first = self.note()
        second = self.referral.notes.create(author=self.support, body=NOTE)
        self.assertNotEqual(
            raw("counselling_referralnote", "body", second.pk),
            raw("counselling_referralnote", "body", first.pk),
        )


class KeyCheckTestCase(SimpleTestCase):
    def test_production_without_a_key_fails(self):
        with override_settings(DEBUG=False, COUNSELLING_KEYS=[]):
            [error] = check_counselling_key(None)
        self.assertEqual(error.id, "shouwang.E020")
        with override_settings(DEBUG=False, COUNSELLING_KEYS=[KEY]):
            self.assertEqual(check_counselling_key(None), [])

    def test_a_key_derived_from_the_secret_key_is_refused_first_but_read_while_rotating(self):
        secret = "a-college-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"
        old = base64.urlsafe_b64encode(
            hashlib.sha256(b"shouwang.counselling:" + secret.encode()).digest()
        ).decode()
        with override_settings(DEBUG=False, SECRET_KEY=secret, COUNSELLING_KEYS=[old]):
            [error] = check_counselling_key(None)
        self.assertEqual(error.id, "shouwang.E023")
        with override_settings(DEBUG=False, SECRET_KEY=secret, COUNSELLING_KEYS=[KEY, old]):
            self.assertEqual(check_counselling_key(None), [])

    def test_development_uses_the_public_development_key(self):
        with override_settings(DEBUG=True, COUNSELLING_KEYS=[]):
            self.assertEqual(check_counselling_key(None), [])
            self.assertEqual(crypto.decrypt(crypto.encrypt("测试")), "测试")

    def test_a_malformed_key_is_named_by_its_position_not_shown(self):
        with override_settings(COUNSELLING_KEYS=[KEY, "not-a-key"]):
            [error] = check_counselling_key_format(None)
        self.assertEqual(error.id, "shouwang.E021")
        self.assertIn("number 2", error.msg)
        self.assertNotIn("not-a-key", error.msg)

    def test_the_deploy_check_fails_without_a_key_and_passes_with_one(self):
        env = {k: v for k, v in PRODUCTION_ENV.items() if k != "COUNSELLING_KEY"}
        result = check_deploy(env)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("shouwang.E020", result.stderr + result.stdout)
        result = check_deploy({**env, "COUNSELLING_KEY": f"{KEY},{OLD_KEY}"})
        self.assertNotIn("shouwang.E020", result.stderr + result.stdout)
