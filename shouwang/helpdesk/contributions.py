"""What the help desk adds to other apps' pages (see shouwang.core.extensions)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shouwang.bulletin.access import letters_for_user
from shouwang.core.extensions import contribute

from .forms import LetterForm

if TYPE_CHECKING:
    from shouwang.accounts.models import User
    from shouwang.bulletin.models import Letter


def may_turn_into_request(user: User, letter: Letter) -> bool:
    """Whoever reads the letter, acting as a person (a request is made by someone)."""
    return bool(user.person_id) and letters_for_user(user).filter(pk=letter.pk).exists()


# On a letter's page, the form that turns it into a help request.
contribute(
    "bulletin.letter",
    "helpdesk/letter_form.html",
    visible=may_turn_into_request,
    context=lambda request, letter: {"letter": letter, "form": LetterForm()},
)
