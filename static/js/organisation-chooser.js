// The dashboards' organisation filter (static/js/chooser.js): up to twenty organisations in the
// reader's scope, each with its country; choosing one fills in its name or slug.
(function () {
    "use strict";
    window.flightpathChooser("organisation-chooser", function (result, part) {
        part("span", "name", result.name);
        part("span", "country", result.country_name);
        return result.value;
    });
})();
