// The menu's groups are <details> and open without this script. With it they
// close as a menu does: on a click elsewhere, and on Escape.
"use strict";

function openGroups() {
  return document.querySelectorAll("details.nav-group[open]");
}

document.addEventListener("click", (event) => {
  for (const group of openGroups()) {
    if (!group.contains(event.target)) group.open = false;
  }
});

document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  for (const group of openGroups()) {
    group.open = false;
    group.querySelector("summary").focus();
  }
});
