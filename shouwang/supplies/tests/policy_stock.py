"""The catalogue, the stores and their ledger. The catalogue is for those who
manage supplies (leaders, admins, store keepers); a store's pages for those
who run it (404 to anyone else); opening and editing a store for leaders and
admins. No shared persona keeps a store: the keeper's reach is in
test_stock_*.py."""

from shouwang.policy import MANAGERS_ONLY, Rule, expect

from .objects import make


def make_objects(case) -> None:
    make(case)


# The college's store: its leader runs it, an admin runs every store.
RUNS_STORE = expect(404, leader=200, admin=200)

STORE_PAGES = [
    "supplies:store_detail",
    "supplies:store_edit",
    "supplies:store_minimums",
    "supplies:movement_list",
    "supplies:stock_receive",
    "supplies:stock_transfer",
    "supplies:stock_write_off",
    "supplies:stocktake_new",
]
# What a POST of an empty form answers: the form again, with its errors.
STORE_FORMS = [
    "supplies:store_edit",
    "supplies:store_minimums",
    "supplies:stock_receive",
    "supplies:stock_transfer",
    "supplies:stock_write_off",
    "supplies:stocktake_new",
]

RULES = [
    Rule("supplies:item_list", MANAGERS_ONLY),
    Rule("supplies:item_new", MANAGERS_ONLY),
    Rule("supplies:item_new", MANAGERS_ONLY, method="post"),
    Rule("supplies:item_detail", MANAGERS_ONLY, target="supply_item"),
    Rule("supplies:item_edit", MANAGERS_ONLY, target="supply_item"),
    Rule("supplies:item_edit", MANAGERS_ONLY, method="post", target="supply_item"),
    Rule("supplies:store_list", MANAGERS_ONLY),
    Rule("supplies:store_new", MANAGERS_ONLY),
    Rule("supplies:store_new", MANAGERS_ONLY, method="post"),
    *(Rule(name, RUNS_STORE, target="supply_store") for name in STORE_PAGES),
    *(Rule(name, RUNS_STORE, method="post", target="supply_store") for name in STORE_FORMS),
    Rule("supplies:stocktake_detail", RUNS_STORE, target="supply_stocktake"),
]
