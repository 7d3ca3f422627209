// Lesson pages: receive the H5P player's messages (only from its own frame and origin), size
// the frame, and record the learner's xAPI statements with their session and CSRF token.
(function () {
  "use strict";
  var gettext = window.gettext || function (text) { return text; };
  var frames = Array.prototype.slice.call(document.querySelectorAll("iframe[data-h5p-player]"));
  if (!frames.length) return;
  var signedIn = document.body.hasAttribute("data-signed-in");

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // The player names the learner by a random id of its own; the site knows who is signed in
  // and refuses a statement naming anyone else, so the statement goes without an actor.
  function withoutActor(statement) {
    var sent = {};
    Object.keys(statement).forEach(function (key) {
      if (key !== "actor") sent[key] = statement[key];
    });
    return sent;
  }

  function record(frame, statement) {
    var status = frame.parentNode.querySelector(".h5p__status");
    fetch(frame.dataset.xapiUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(withoutActor(statement))
    }).then(function (response) { return response.json(); }).then(function (data) {
      if (data.recorded && data.percent !== null && status) {
        status.textContent = gettext("Result recorded:") + " " + data.percent + "%";
      }
    }).catch(function () {
      if (status) status.textContent = gettext("Your result could not be recorded.");
    });
  }

  window.addEventListener("message", function (event) {
    frames.forEach(function (frame) {
      if (event.source !== frame.contentWindow || event.origin !== frame.dataset.contentOrigin) return;
      var data = event.data || {};
      if (data.type === "flightpath:h5p-height" && data.height > 0) {
        frame.style.height = Math.min(Math.ceil(data.height), 3000) + "px";
      } else if (data.type === "flightpath:xapi" && signedIn && data.statement) {
        record(frame, data.statement);
      }
    });
  });
})();
