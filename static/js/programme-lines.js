// The programme form's budget and document lines: "Add" appends a blank line from the
// formset's empty form. Without this file the form offers one blank line of each kind.
(function () {
  "use strict";
  document.querySelectorAll("[data-lines]").forEach(function (group) {
    var prefix = group.getAttribute("data-lines");
    var total = group.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var list = group.querySelector(".lines__list");
    var template = group.querySelector("template.lines__empty");
    var add = group.querySelector(".lines__add");
    if (!total || !list || !template || !add) return;
    add.hidden = false;
    add.addEventListener("click", function () {
      var n = parseInt(total.value, 10) || 0;
      var html = template.innerHTML
        .replace(/__prefix__/g, String(n))
        .replace(/__number__/g, String(n + 1));
      list.insertAdjacentHTML("beforeend", html);
      total.value = String(n + 1);
      var first = list.lastElementChild.querySelector("input, select");
      if (first) first.focus();
    });
  });
})();
