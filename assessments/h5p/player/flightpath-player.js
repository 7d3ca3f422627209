// Runs on the H5P content origin: plays the package and passes its xAPI statements and its
// height to the lesson page, and only to the site's own origin.
(function () {
  "use strict";
  var body = document.body;
  var site = body.dataset.siteOrigin;
  var container = document.getElementById("h5p-container");
  var options = {
    h5pJsonPath: body.dataset.package,
    frameJs: "/h5p/assets/frame.bundle.js",
    frameCss: "/h5p/assets/styles/h5p.css",
    xAPIObjectIRI: body.dataset.activity,
    customJs: ["/h5p/assets/flightpath-storage.js"]
  };
  function tellHeight() {
    window.parent.postMessage({ type: "flightpath:h5p-height", height: document.documentElement.scrollHeight }, site);
  }
  new window.H5PStandalone.H5P(container, options).then(function () {
    window.H5P.externalDispatcher.on("xAPI", function (event) {
      window.parent.postMessage({ type: "flightpath:xapi", statement: event.data.statement }, site);
    });
    if (window.ResizeObserver) new ResizeObserver(tellHeight).observe(document.body);
    tellHeight();
  });
})();
