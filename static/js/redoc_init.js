// Starts ReDoc on the API documentation page under the Content-Security-Policy. ReDoc writes its styles
// into <style> elements, some while its bundle loads, which the policy accepts only with this response's
// nonce. So this file runs before the bundle (with the nonce on its own script element): it gives that
// nonce to every <style> element created on this page, then starts ReDoc once the bundle has loaded.
(function () {
  "use strict";
  var nonce = document.currentScript ? document.currentScript.nonce : "";
  if (nonce) {
    var createElement = document.createElement;
    document.createElement = function (name) {
      var element = createElement.apply(document, arguments);
      if (String(name).toLowerCase() === "style") {
        element.setAttribute("nonce", nonce);
      }
      return element;
    };
  }
  document.addEventListener("DOMContentLoaded", function () {
    var container = document.getElementById("redoc-container");
    if (container && typeof Redoc !== "undefined") {
      Redoc.init(container.dataset.schemaUrl, { nonce: nonce }, container);
    }
  });
})();
