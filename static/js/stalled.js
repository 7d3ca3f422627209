// The stalled learners' page: a checkbox that selects every learner of the page, and a
// reminder form that submits once (the server refuses a second reminder within a week anyway).
(function () {
    "use strict";
    document.querySelectorAll("[data-select-all]").forEach(function (all) {
        var form = all.closest("form");
        var boxes = form.querySelectorAll('input[type=checkbox][name="learner"]');
        all.closest("[data-select-all-label]").hidden = false;
        all.addEventListener("change", function () {
            boxes.forEach(function (box) { box.checked = all.checked; });
        });
        boxes.forEach(function (box) {
            box.addEventListener("change", function () {
                var checked = Array.prototype.filter.call(boxes, function (b) { return b.checked; });
                all.checked = checked.length === boxes.length;
                all.indeterminate = checked.length > 0 && checked.length < boxes.length;
            });
        });
    });
    document.querySelectorAll("form[data-send-once]").forEach(function (form) {
        form.addEventListener("submit", function (event) {
            if (form.dataset.sent) {
                event.preventDefault();
                return;
            }
            form.dataset.sent = "1";
            form.setAttribute("aria-busy", "true");
        });
    });
})();
