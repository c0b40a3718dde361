// The chronicle's prose with its figures as chips the author cannot type
// into: each textarea[data-prose] becomes an editable box in which every
// marker ({{students_online}}, {{job_fairs|cn}}) shows as its value, the
// figure's label and definition on hover. The textarea stays the form's
// field: the box writes its text, markers in place of chips, back into it
// as it changes and before the form is sent. Without this script the page
// works on the textareas themselves, markers and all.
"use strict";

(() => {
  const source = document.getElementById("chronicle-marks");
  if (!source) return;
  const marks = JSON.parse(source.textContent);
  const MARK = /\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*(?:\|\s*[A-Za-z_]*\s*)?\}\}/g;

  function chip(mark) {
    const known = marks[mark];
    const span = document.createElement("span");
    span.className = "chronicle-chip";
    span.contentEditable = "false";
    span.dataset.mark = mark;
    span.textContent = known ? known.said : mark;
    span.title = known ? `${known.label}：${known.definition}` : mark;
    return span;
  }

  function fill(box, text) {
    box.replaceChildren();
    let at = 0;
    for (const match of text.matchAll(MARK)) {
      if (match.index > at) box.append(text.slice(at, match.index));
      box.append(chip(match[0]));
      at = match.index + match[0].length;
    }
    if (at < text.length) box.append(text.slice(at));
  }

  // The box's text with each chip's marker; line breaks as the browser made them.
  function serialise(node) {
    let out = "";
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        out += child.nodeValue;
      } else if (child.dataset && child.dataset.mark) {
        out += child.dataset.mark;
      } else if (child.nodeName === "BR") {
        out += "\n";
      } else {
        if (out && !out.endsWith("\n")) out += "\n";
        out += serialise(child);
      }
    }
    return out;
  }

  for (const area of document.querySelectorAll("textarea[data-prose]")) {
    const box = document.createElement("div");
    box.className = "form-control chronicle-prose";
    box.setAttribute("role", "textbox");
    box.setAttribute("aria-multiline", "true");
    const label = document.querySelector(`label[for="${area.id}"]`);
    if (label) {
      label.id = label.id || `${area.id}-label`;
      box.setAttribute("aria-labelledby", label.id);
      label.addEventListener("click", () => box.focus());
    }
    try {
      box.contentEditable = "plaintext-only";
    } catch {
      box.contentEditable = "true";
    }
    if (box.contentEditable !== "plaintext-only") box.contentEditable = "true";
    box.dataset.proseFor = area.id;
    fill(box, area.value);
    const sync = () => {
      area.value = serialise(box);
    };
    box.addEventListener("input", sync);
    area.form.addEventListener("submit", sync);
    area.hidden = true;
    area.after(box);
  }
})();
