// The destination is asked only by the kinds of leave that need one. The page
// works without this script: the destination is then always shown, and the
// server ignores it for a kind that does not ask for it.
"use strict";

function showDestinationFor(kind) {
  const needs = kind && kind.dataset && kind.dataset.needsDestination;
  const destination = document.getElementById("destination");
  if (needs === undefined || !destination) return;
  destination.hidden = needs !== "1";
}

document.addEventListener("change", (event) => showDestinationFor(event.target));
// A kind tapped on a slow phone before this script arrived still counts.
showDestinationFor(document.querySelector("input[data-needs-destination]:checked"));
