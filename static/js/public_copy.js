// The public confirmation page: a button copying the tracking code. Without JavaScript the button
// stays hidden and the code is written down or screenshotted.
(function () {
  "use strict";
  var button = document.getElementById("copy-code");
  if (!button) {
    return;
  }
  var label = button.textContent;

  function done() {
    button.textContent = button.getAttribute("data-copied");
    button.setAttribute("data-done", "1");
    window.setTimeout(function () {
      button.textContent = label;
    }, 3000);
  }

  function fallback(text) {
    // Older phone browsers: copy through a selected, off-screen text field.
    var field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.className = "offscreen";
    document.body.appendChild(field);
    field.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (error) {
      ok = false;
    }
    document.body.removeChild(field);
    if (ok) {
      done();
    }
  }

  button.hidden = false;
  button.addEventListener("click", function () {
    var text = button.getAttribute("data-copy");
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () {
        fallback(text);
      });
    } else {
      fallback(text);
    }
  });
})();
