// A cross-site frame whose browser blocks third-party storage throws on localStorage, and H5P
// core then stops half-way. This in-memory stand-in keeps it going (nothing is kept on purpose).
(function () {
  "use strict";
  var works = false;
  try {
    window.localStorage.setItem("flightpath-probe", "1");
    window.localStorage.removeItem("flightpath-probe");
    works = true;
  } catch (e) {
    works = false;
  }
  if (works) return;
  var data = {};
  var standIn = {
    getItem: function (key) { return Object.prototype.hasOwnProperty.call(data, key) ? data[key] : null; },
    setItem: function (key, value) { data[key] = String(value); },
    removeItem: function (key) { delete data[key]; },
    clear: function () { data = {}; },
    key: function (i) { return Object.keys(data)[i] || null; },
    get length() { return Object.keys(data).length; }
  };
  try {
    Object.defineProperty(window, "localStorage", { value: standIn, configurable: true });
  } catch (e) { /* nothing more can be done */ }
})();
