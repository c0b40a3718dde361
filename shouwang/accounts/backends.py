"""Authentication backends."""

from django.contrib.auth.backends import ModelBackend

from shouwang.core.db import get_by_pk
from shouwang.people.models import Person

from .models import User


class PersonModelBackend(ModelBackend):
    """Django's model backend, loading the user's person with the user: nearly
    every request, the check-in first, asks for both. Plain queries, for the
    reason core.db gives."""

    def get_user(self, user_id):
        user = get_by_pk(User, user_id)
        if user is None or not self.user_can_authenticate(user):
            return None
        if user.person_id is not None:
            user.person = get_by_pk(Person, user.person_id)
        return user
