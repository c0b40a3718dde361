from django import template

from shouwang.helpdesk.forms import LetterForm

register = template.Library()


@register.inclusion_tag("helpdesk/letter_form.html")
def letter_to_request(letter):
    """The form on a letter's page that turns it into a help request."""
    return {"letter": letter, "form": LetterForm()}
