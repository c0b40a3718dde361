from django.utils.translation import gettext_lazy as _

from shouwang.core.nav import WORK, Entry, everyone, register

# Everyone receives notices; writers find theirs on the same page.
register(Entry(WORK, _("Notices"), "notices:notice_list", everyone, order=10))
