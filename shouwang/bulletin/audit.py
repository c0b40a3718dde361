"""The kinds of audit event of the public bulletin and its mailboxes."""

from django.utils.translation import gettext_lazy as _

from shouwang.core import audit


class BulletinEvent(audit.Kind):
    ARTICLE_CREATED = "bulletin.article_created", _("wrote an article")
    ARTICLE_CHANGED = "bulletin.article_changed", _("changed an article")
    ARTICLE_PUBLISHED = "bulletin.article_published", _("published an article")
    ARTICLE_UNPUBLISHED = "bulletin.article_unpublished", _("withdrew an article")
    IMAGE_ADDED = "bulletin.image_added", _("added an image to an article")
    ATTACHMENT_ADDED = "bulletin.attachment_added", _("added an attachment to an article")
    FILE_REMOVED = "bulletin.file_removed", _("removed a file from an article")
    LETTER_VIEWED = "bulletin.letter_viewed", audit.READ, _("opened a letter")
    LETTER_ANSWERED = "bulletin.letter_answered", _("answered a letter")
