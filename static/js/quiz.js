// Flightpath quiz: saves the whole answer set after each change, with a rising sequence number,
// so a save that arrives late never overwrites a newer one. Ordering questions become a list
// the learner drags, or moves with Move up / Move down buttons, that posts the same fields as
// the numbered form it replaces. Without JavaScript the form still posts everything for review.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form) return;

  // A page restored from the back-forward cache holds a stale sequence number and the
  // submitted mark: read it again from the server, where every answer was saved.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) window.location.reload();
  });

  var sequenceInput = form.querySelector("input[name=sequence]");
  var status = form.querySelector(".autosave-status");
  var sequence = parseInt(sequenceInput.value, 10);
  var gettext = window.gettext || function (text) { return text; };

  form.addEventListener("change", function () {
    sequenceInput.value = String(sequence);
    var body = new FormData(form);
    sequence += 1;
    sequenceInput.value = String(sequence);
    fetch(form.dataset.autosave, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.error) status.textContent = data.error;
        else if (data.saved) status.textContent = gettext("Answers saved");
        else status.textContent = gettext("Newer answers were saved from another page: reload this page to see them.");
      })
      .catch(function () {
        status.textContent = gettext("Not saved: check your connection. Your answers are still on this page.");
      });
  });

  form.querySelectorAll("[data-ordering]").forEach(function (box) { reorderable(box); });

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, name) { return values[name]; });
  }

  // An item's text keeps the language its label is marked with (a quiz not translated into
  // the reader's language reads in English, left to right).
  function inLanguageOf(element, item) {
    if (item.lang) element.lang = item.lang;
    if (item.dir) element.dir = item.dir;
    return element;
  }

  function button(text, item, className) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button button--secondary reorder__move " + className;
    b.textContent = text;
    var hidden = inLanguageOf(document.createElement("span"), item);
    hidden.className = "visually-hidden";
    hidden.textContent = ": " + item.text;
    b.appendChild(hidden);
    return b;
  }

  function reorderable(box) {
    var numbers = box.querySelector(".ordering__numbers");
    var live = box.querySelector("[data-ordering-live]");
    var items = Array.prototype.map.call(box.querySelectorAll(".ordering__item"), function (row, shown) {
      var input = row.querySelector("input");
      var label = row.querySelector("label");
      return { name: input.name, text: label.textContent, lang: label.lang, dir: label.dir, value: input.value.trim(), shown: shown };
    });
    var count = items.length;
    var values = items.map(function (item) { return item.value; });
    var answered = values.every(function (v) { return /^\d+$/.test(v) && +v >= 1 && +v <= count; }) &&
      new Set(values).size === count;
    if (answered) items.sort(function (a, b) { return a.value - b.value; });

    var help = box.querySelector(".help");
    help.textContent = box.dataset.help;
    var list = document.createElement("ol");
    list.className = "reorder";
    list.setAttribute("aria-describedby", help.id);
    var state = document.createElement("p");
    state.className = "reorder__state";
    var keep = document.createElement("button");
    keep.type = "button";
    keep.className = "button button--secondary reorder__keep";
    keep.textContent = box.dataset.keep;

    items.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "reorder__item";
      var grip = document.createElement("span");
      grip.className = "reorder__grip";
      grip.setAttribute("aria-hidden", "true");
      grip.textContent = "⠿";
      var number = document.createElement("span");
      number.className = "reorder__position";
      number.setAttribute("aria-hidden", "true");
      var text = inLanguageOf(document.createElement("span"), item);
      text.className = "reorder__text";
      text.textContent = item.text;
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = item.name;
      var up = button(box.dataset.moveUp, item, "reorder__up");
      var down = button(box.dataset.moveDown, item, "reorder__down");
      var controls = document.createElement("span");
      controls.className = "reorder__controls";
      controls.append(up, down);
      li.append(grip, number, text, input, controls);
      list.appendChild(li);
      up.addEventListener("click", function () { move(li, -1, up); });
      down.addEventListener("click", function () { move(li, 1, down); });
      [up, down].forEach(function (b) {
        b.addEventListener("keydown", function (event) {
          if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return;
          event.preventDefault();
          move(li, event.key === "ArrowUp" ? -1 : 1, b);
        });
      });
      li.addEventListener("pointerdown", function (event) { drag(li, event); });
    });

    numbers.replaceWith(list);
    list.after(state);
    state.after(keep);
    render();

    function position(li) { return Array.prototype.indexOf.call(list.children, li) + 1; }

    function render() {
      Array.prototype.forEach.call(list.children, function (li, index) {
        li.querySelector("input").value = answered ? String(index + 1) : "";
        li.querySelector(".reorder__position").textContent = String(index + 1);
        li.querySelector(".reorder__up").setAttribute("aria-disabled", String(index === 0));
        li.querySelector(".reorder__down").setAttribute("aria-disabled", String(index === count - 1));
      });
      state.textContent = answered ? box.dataset.ordered : box.dataset.unordered;
      keep.hidden = answered;
    }

    function announce(li) {
      live.textContent = fill(box.dataset.moved, {
        item: li.querySelector(".reorder__text").textContent, position: position(li), count: count
      });
    }

    // A move answers the question: the positions go into the fields and autosave sends them.
    function commit(li) {
      answered = true;
      render();
      announce(li);
      box.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function move(li, step, focus) {
      var target = step < 0 ? li.previousElementSibling : li.nextElementSibling;
      if (!target) {  // already first or last: say where it is
        announce(li);
        return;
      }
      list.insertBefore(li, step < 0 ? target : target.nextElementSibling);
      focus.focus();
      commit(li);
    }

    keep.addEventListener("click", function () {
      answered = true;
      render();
      live.textContent = box.dataset.ordered;
      box.dispatchEvent(new Event("change", { bubbles: true }));
      var first = list.querySelector(".reorder__down");
      if (first) first.focus();
    });

    // Dragging: with a mouse anywhere on an item, with a finger or pen on its grip (so that
    // the page still scrolls under a finger elsewhere).
    function drag(li, event) {
      if (event.button !== 0 || event.target.closest("button")) return;
      if (event.pointerType !== "mouse" && !event.target.closest(".reorder__grip")) return;
      event.preventDefault();
      var start = position(li);
      li.classList.add("is-dragging");
      // Listened for on the document: moving the item in the list would end a pointer capture.
      function follow(e) {
        var others = Array.prototype.filter.call(list.children, function (other) { return other !== li; });
        var before = null;
        for (var i = 0; i < others.length; i += 1) {
          var rect = others[i].getBoundingClientRect();
          if (e.clientY < rect.top + rect.height / 2) { before = others[i]; break; }
        }
        if (before !== li.nextElementSibling) list.insertBefore(li, before);
      }
      function drop() {
        li.classList.remove("is-dragging");
        document.removeEventListener("pointermove", follow);
        document.removeEventListener("pointerup", drop);
        document.removeEventListener("pointercancel", drop);
        if (position(li) !== start) commit(li);
      }
      document.addEventListener("pointermove", follow);
      document.addEventListener("pointerup", drop);
      document.addEventListener("pointercancel", drop);
    }
  }
})();
