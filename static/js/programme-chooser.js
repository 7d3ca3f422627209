// The cohort form's programme chooser (static/js/chooser.js): up to twenty programmes the
// person may deliver the cohort under, each with its title and reporting organisation;
// choosing one fills in its identifier.
(function () {
    "use strict";
    window.flightpathChooser("programme-chooser", function (result, part) {
        part("bdi", "identifier", result.identifier);
        part("span", "title", result.title, result.language);
        part("span", "organisation", result.organisation);
        return result.identifier;
    });
})();
