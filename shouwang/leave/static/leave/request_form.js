// The destination is asked only by the kinds of leave that need one. The page
// works without this script: the destination is then always shown, and the
// server ignores it for a kind that does not ask for it.
"use strict";

document.addEventListener("change", (event) => {
  const needs = event.target.dataset && event.target.dataset.needsDestination;
  const destination = document.getElementById("destination");
  if (needs === undefined || !destination) return;
  destination.hidden = needs !== "1";
});
