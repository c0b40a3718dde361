"""The kinds of message careers sends, registered with notify (see shouwang.notify.kinds)."""

from django.utils.translation import gettext_lazy as _

from shouwang.notify.kinds import register

# The daily digest of new positions and fairs for a graduate's major.
POSITIONS = register("careers_positions", _("new positions"), opens_link=True)
# A destination to confirm (to the counsellor), confirmed or returned (to the graduate).
CAREERS = register("careers", _("careers"))
