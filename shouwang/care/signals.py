"""Care's hooks for the apps above it, which care does not know.

`delivery_confirmed` is sent inside `actions.confirm_delivery`'s transaction
once a meal is recorded at the door, with `delivery` and `acting_user`: an app
whose things travel with the meal (supplies for an isolated person) confirms
them in the same transaction, so that the meal and what went with it are
recorded together or not at all.
"""

from django.dispatch import Signal

delivery_confirmed = Signal()
