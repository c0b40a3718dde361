"""The zh_Hans catalogue is complete: every UI string in the code is translated."""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import SimpleTestCase

BASE_DIR = Path(settings.BASE_DIR)
PO = BASE_DIR / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def untranslated(po: polib.POFile) -> list[str]:
    return [entry.msgid for entry in po if not entry.translated()]


class CatalogueTestCase(SimpleTestCase):
    def test_every_string_in_the_code_is_in_the_catalogue_and_translated(self):
        if not shutil.which("xgettext"):
            pytest.skip("needs GNU gettext's xgettext (apt-get install gettext)")
        # makemessages on a copy: the test must not rewrite the real catalogue.
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            shutil.copytree(BASE_DIR / "shouwang", work / "shouwang")
            shutil.copytree(BASE_DIR / "locale", work / "locale")
            shutil.copy(BASE_DIR / "manage.py", work)
            subprocess.run(  # noqa: S603
                [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
                cwd=work,
                check=True,
                capture_output=True,
                timeout=300,
            )
            fresh = polib.pofile(str(work / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
        self.assertEqual(untranslated(fresh), [])

    def test_the_compiled_catalogue_matches_the_source(self):
        po = polib.pofile(str(PO))
        mo = polib.mofile(str(PO.with_suffix(".mo")))
        compiled = {(e.msgid, e.msgstr or e.msgstr_plural.get(0, "")) for e in mo if e.msgid}
        source = {
            (e.msgid, e.msgstr or e.msgstr_plural.get(0, "")) for e in po.translated_entries()
        }
        self.assertEqual(source - compiled, set(), "run manage.py compilemessages")
