"""The queries behind the chronicle's figures, one registered function each,
one module per domain, in the order of the chronicle's sections.

Each figure names its population, its period and its unit; `figures`
explains the machinery. Importing this package registers them all."""

from . import (  # noqa: F401
    activities,
    care,
    careers,
    checkins,
    helpdesk,
    incidents,
    people,
    supplies,
    teaching,
    volunteers,
    workplan,
)
