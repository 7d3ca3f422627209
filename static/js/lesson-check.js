// Flightpath: "check your understanding" questions in a lesson, answered in place.
// Without this file the same form posts to the server, which answers with a page of its own.
// The lesson body is shared by every reader and says nothing of the right option; the server
// checks the answer, and the reader's own earlier answers come from outside the shared body.
(function () {
  "use strict";
  var form = document.getElementById("lesson-checks");
  if (!form || !window.fetch || !window.FormData) return;

  function sectionFor(blockId) {
    return document.getElementById("check-" + blockId);
  }

  function show(section, verdict, text, kind) {
    var result = section.querySelector("[data-check-result]");
    if (!result) return;
    result.textContent = "";
    result.className = "check__result" + (kind ? " check__result--" + kind : "");
    if (verdict) {
      var strong = document.createElement("strong");
      strong.textContent = verdict;
      result.appendChild(strong);
      result.appendChild(document.createTextNode(" "));
    }
    result.appendChild(document.createTextNode(text || ""));
  }

  // The reader's earlier answers, rendered outside the shared body: mark them again.
  document.querySelectorAll("[data-check-answers] > li").forEach(function (item) {
    var section = sectionFor(item.getAttribute("data-block"));
    if (!section) return;
    section.querySelectorAll("input[type=radio]").forEach(function (radio) {
      if (radio.value === item.getAttribute("data-choice")) radio.checked = true;
    });
    var right = item.getAttribute("data-correct") === "1";
    show(section, item.getAttribute("data-verdict"), item.textContent.trim(), right ? "right" : "wrong");
  });

  form.addEventListener("submit", function (event) {
    // Enter in a question's option submits with the form's first button: go by the option.
    var active = document.activeElement;
    var section = active && active.form === form && active.closest ? active.closest("[data-check]") : null;
    if (!section && event.submitter) section = event.submitter.closest("[data-check]");
    if (!section) return; // nothing to go by: let the browser post the form
    event.preventDefault();
    var blockId = section.getAttribute("data-check");
    var button = section.querySelector("button[type=submit]");
    var chosen = section.querySelector("input[type=radio]:checked");
    if (!chosen) {
      show(section, "", form.getAttribute("data-choose"), "");
      return;
    }
    if (section.getAttribute("aria-busy") === "true") return; // a double click checks once
    section.setAttribute("aria-busy", "true");
    if (button) button.setAttribute("aria-disabled", "true");

    var data = new FormData();
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) data.append("csrfmiddlewaretoken", token.value);
    data.append("block", blockId);
    data.append(chosen.name, chosen.value);

    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, body: body };
        });
      })
      .then(function (reply) {
        if (!reply.ok) {
          show(section, "", reply.body.error || form.getAttribute("data-failed"), "error");
          return;
        }
        var body = reply.body;
        show(section, body.verdict, body.feedback, body.correct ? "right" : "wrong");
        var summary = document.querySelector("[data-check-summary]");
        if (summary && body.summary) summary.textContent = body.summary;
      })
      .catch(function () {
        show(section, "", form.getAttribute("data-failed"), "error");
      })
      .then(function () {
        section.removeAttribute("aria-busy");
        if (button) button.removeAttribute("aria-disabled");
      });
  });
})();
