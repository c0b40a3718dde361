import datetime as dt

from django.test import SimpleTestCase
from freezegun import freeze_time

from shouwang.lib.signed_codes import CodeError, SignedCode

CODE = SignedCode(salt="tests.code", max_age=lambda: 3600, expired="expired", altered="altered")


class SignedCodeTest(SimpleTestCase):
    def test_a_code_names_its_row_until_it_is_too_old(self):
        with freeze_time("2022-04-16 09:00"):
            token = CODE.token(42)
            self.assertEqual(CODE.pk_from(token), 42)
        with freeze_time("2022-04-16 09:00") as frozen:
            token = CODE.token(42)
            frozen.tick(dt.timedelta(hours=2))
            with self.assertRaisesMessage(CodeError, "expired"):
                CODE.pk_from(token)

    def test_an_altered_code_or_another_codes_token_is_refused(self):
        token = CODE.token(42)
        with self.assertRaisesMessage(CodeError, "altered"):
            CODE.pk_from(token[:-2] + "xx")
        other = SignedCode(salt="tests.other", max_age=lambda: 3600, expired="", altered="other")
        with self.assertRaisesMessage(CodeError, "other"):
            other.pk_from(token)
