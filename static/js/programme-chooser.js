// The cohort form's programme chooser: the identifier field becomes an ARIA combobox (the
// WAI-ARIA 1.2 list autocomplete pattern) offering up to twenty programmes the person may
// deliver the cohort under, from the JSON endpoint named in data-programme-chooser. Without
// this script the field stays a text input in which the identifier is typed in full, and the
// server checks it either way.
(function () {
    "use strict";
    document.querySelectorAll("[data-programme-chooser-root]").forEach(function (root) {
        var input = root.querySelector("input[data-programme-chooser]");
        if (!input || !input.dataset.programmeChooser || !window.fetch) {
            return;
        }
        var url = input.dataset.programmeChooser;
        var status = root.querySelector(".programme-chooser__status");
        var list = document.createElement("ul");
        var options = [];
        var active = -1;
        var timer = null;
        var controller = null;
        list.id = input.id + "-suggestions";
        list.className = "programme-chooser__list";
        list.setAttribute("role", "listbox");
        list.setAttribute("aria-label", root.dataset.label);
        list.hidden = true;
        root.appendChild(list);
        input.setAttribute("role", "combobox");
        input.setAttribute("aria-autocomplete", "list");
        input.setAttribute("aria-expanded", "false");
        input.setAttribute("aria-controls", list.id);

        function say(text) {
            status.textContent = text || "";
        }
        function close() {
            list.hidden = true;
            input.setAttribute("aria-expanded", "false");
            input.removeAttribute("aria-activedescendant");
            active = -1;
        }
        function highlight(index) {
            active = index;
            options.forEach(function (option, i) {
                option.setAttribute("aria-selected", i === index ? "true" : "false");
            });
            if (index < 0) {
                input.removeAttribute("aria-activedescendant");
                return;
            }
            input.setAttribute("aria-activedescendant", options[index].id);
            options[index].scrollIntoView({ block: "nearest" });
        }
        function choose(index) {
            input.value = options[index].dataset.identifier;
            say(options[index].textContent);
            close();
        }
        function part(tag, className, text, lang) {
            var element = document.createElement(tag);
            element.className = className;
            element.textContent = text;
            element.dir = "auto";
            if (lang) {
                element.lang = lang;
            }
            return element;
        }
        function show(results) {
            list.textContent = "";
            options = results.map(function (result, i) {
                var option = document.createElement("li");
                option.id = list.id + "-" + i;
                option.className = "programme-chooser__option";
                option.setAttribute("role", "option");
                option.setAttribute("aria-selected", "false");
                option.dataset.identifier = result.identifier;
                option.appendChild(part("bdi", "programme-chooser__identifier", result.identifier));
                option.appendChild(part("span", "programme-chooser__title", result.title, result.language));
                option.appendChild(part("span", "programme-chooser__organisation", result.organisation));
                // A press on a suggestion keeps the focus in the input.
                option.addEventListener("mousedown", function (event) { event.preventDefault(); });
                option.addEventListener("click", function () { choose(i); });
                list.appendChild(option);
                return option;
            });
            if (!options.length) {
                close();
                say(root.dataset.none);
                return;
            }
            active = -1;
            list.hidden = false;
            input.setAttribute("aria-expanded", "true");
            say(root.dataset.count.replace("%(count)s", String(options.length)));
        }
        function load() {
            var query = input.value.trim();
            if (query.length < 2) {
                close();
                say(query ? root.dataset.shorter : "");
                return;
            }
            if (controller) {
                controller.abort();
            }
            controller = window.AbortController ? new AbortController() : null;
            fetch(url + "?q=" + encodeURIComponent(query), {
                headers: { Accept: "application/json" },
                credentials: "same-origin",
                signal: controller ? controller.signal : undefined,
            })
                .then(function (response) {
                    if (!response.ok) {
                        throw new Error(String(response.status));
                    }
                    return response.json();
                })
                .then(function (data) {
                    if (input.value.trim() === query) {
                        show(data.results);
                    }
                })
                .catch(function (error) {
                    if (error.name !== "AbortError") {
                        close();
                        say(root.dataset.failed);
                    }
                });
        }
        input.addEventListener("input", function () {
            clearTimeout(timer);
            timer = setTimeout(load, 200);
        });
        input.addEventListener("keydown", function (event) {
            var open = !list.hidden && options.length > 0;
            if (event.key === "ArrowDown" || event.key === "Down") {
                event.preventDefault();
                if (open) {
                    highlight(Math.min(active + 1, options.length - 1));
                } else {
                    load();
                }
            } else if (event.key === "ArrowUp" || event.key === "Up") {
                if (open) {
                    event.preventDefault();
                    highlight(active <= 0 ? options.length - 1 : active - 1);
                }
            } else if (event.key === "Enter") {
                if (open && active >= 0) {
                    event.preventDefault(); // chooses; a second Enter submits the form
                    choose(active);
                }
            } else if (event.key === "Escape" || event.key === "Esc") {
                if (open) {
                    event.preventDefault();
                    close();
                }
            }
        });
        input.addEventListener("blur", function () {
            close();
        });
    });
})();
