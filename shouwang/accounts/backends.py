"""Authentication backends."""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from shouwang.core import db

from .models import User


class PersonModelBackend(ModelBackend):
    """Django's model backend, loading the user's person with the user, in one
    query: nearly every request, the check-in first, asks for both. A plain
    query (core.db says why)."""

    def get_user(self, user_id: Any) -> User | None:
        user = db.get_by_pk(User, user_id, related="person")
        if user is None or not self.user_can_authenticate(user):
            return None
        return user
