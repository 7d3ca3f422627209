// The site's choosers: a text field that becomes an ARIA combobox (the WAI-ARIA 1.2 list
// autocomplete pattern) offering up to twenty suggestions from the JSON endpoint its
// data-<name> attribute names, as the person types. Without this script the field stays a text
// input in which the value is typed in full, and the server checks it either way. Used by
// static/js/programme-chooser.js (the cohort form) and static/js/organisation-chooser.js (the
// dashboards' organisation filter), each saying how a suggestion reads.
(function () {
    "use strict";
    // Make the input of each `[data-<name>-root]` on the page a chooser: `name` is also the
    // prefix of its classes; `suggest(result, part)` returns an option's value and appends its
    // parts (`part(tag, suffix, text, lang)` makes one).
    window.flightpathChooser = function (name, suggest) {
        var key = name.replace(/-([a-z])/g, function (_match, letter) { return letter.toUpperCase(); });
        document.querySelectorAll("[data-" + name + "-root]").forEach(function (root) {
            var input = root.querySelector("input[data-" + name + "]");
            if (!input || !input.dataset[key] || !window.fetch) {
                return;
            }
            attach(name, suggest, root, input, input.dataset[key]);
        });
    };

    function attach(name, suggest, root, input, url) {
        var status = root.querySelector("." + name + "__status");
        var list = document.createElement("ul");
        var options = [];
        var active = -1;
        var timer = null;
        var controller = null;
        list.id = input.id + "-suggestions";
        list.className = name + "__list";
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
            input.value = options[index].dataset.value;
            say(options[index].textContent);
            close();
        }
        function part(tag, suffix, text, lang) {
            var element = document.createElement(tag);
            element.className = name + "__" + suffix;
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
                option.className = name + "__option";
                option.setAttribute("role", "option");
                option.setAttribute("aria-selected", "false");
                option.dataset.value = suggest(result, function (tag, suffix, text, lang) {
                    var element = part(tag, suffix, text, lang);
                    option.appendChild(element);
                    return element;
                });
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
            fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(query), {
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
    }
})();
