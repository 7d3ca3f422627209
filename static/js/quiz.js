// Flightpath quiz: saves the whole answer set after each change, with a rising sequence number,
// so a save that arrives late never overwrites a newer one. Without JavaScript the form still
// submits everything at the end.
(function () {
  "use strict";
  var gettext = window.gettext || function (text) { return text; };
  var form = document.querySelector("form[data-autosave]");
  if (!form) return;
  var sequenceInput = form.querySelector("input[name=sequence]");
  var status = form.querySelector(".autosave-status");
  var sequence = parseInt(sequenceInput.value, 10);
  form.addEventListener("change", function () {
    sequenceInput.value = String(sequence);
    var body = new FormData(form);
    sequence += 1;
    sequenceInput.value = String(sequence);
    fetch(form.dataset.autosave, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        status.textContent = data.error ? data.error : gettext("Answers saved");
      })
      .catch(function () {
        status.textContent = gettext("Not saved: check your connection. Your answers are still on this page.");
      });
  });
})();
