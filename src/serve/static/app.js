// yimi serve: the only script. The pages work without it; on the project form it checks the
// project as it is filled in and updates the findings in place.
"use strict";
(function () {
  const form = document.getElementById("project-form");
  if (!form || !window.fetch || !window.DOMParser) {
    return;
  }
  let timer = null;
  let running = null;
  function update() {
    const data = new FormData(form);
    data.set("action", "check");
    if (running) {
      running.abort();
    }
    running = new AbortController();
    fetch("/form", { method: "POST", body: data, signal: running.signal, credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (text) {
        const fresh = new DOMParser().parseFromString(text, "text/html");
        const results = fresh.getElementById("form-results");
        const current = document.getElementById("form-results");
        if (results && current) {
          current.replaceWith(document.importNode(results, true));
        }
        document.querySelectorAll("#project-form .notes").forEach(function (notes) {
          const next = fresh.getElementById(notes.id);
          notes.replaceChildren();
          if (next) {
            next.childNodes.forEach(function (child) { notes.appendChild(document.importNode(child, true)); });
          }
          const field = notes.closest(".field");
          const nextField = next && next.closest(".field");
          if (field) {
            field.className = nextField ? nextField.className : "field";
          }
        });
        document.querySelectorAll("#project-form label[for]").forEach(function (label) {
          const next = fresh.querySelector("label[for=\"" + CSS.escape(label.htmlFor) + "\"]");
          if (next) {
            label.replaceChildren();
            next.childNodes.forEach(function (child) { label.appendChild(document.importNode(child, true)); });
          }
        });
        form.dataset.checked = String(Number(form.dataset.checked || "0") + 1);
      })
      .catch(function () { /* the button still checks */ });
  }
  form.addEventListener("change", function (event) {
    if (event.target && event.target.type === "file") {
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(update, 300);
  });
})();
