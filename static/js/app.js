// Small progressive enhancements for the web shell; every page works without this file.
(function () {
  "use strict";

  function setUpNavToggle() {
    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("site-nav");
    if (!toggle || !nav) {
      return;
    }
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("open")) {
        nav.classList.remove("open");
        toggle.setAttribute("aria-expanded", "false");
        toggle.focus();
      }
    });
  }

  // Behaviours declared in the markup with data attributes (the Content-Security-Policy allows no
  // inline event handlers):
  //   <form data-confirm="Remove this?">  asks before submitting; "Cancel" keeps the page as it is;
  //   <select data-autosubmit>           submits its form when the choice changes;
  //   <button data-print>                opens the browser's print dialog.
  function setUpDeclaredBehaviours() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (form instanceof HTMLFormElement && form.hasAttribute("data-confirm")) {
        if (!window.confirm(form.getAttribute("data-confirm"))) {
          event.preventDefault();
        }
      }
    });
    document.addEventListener("change", function (event) {
      var field = event.target;
      if (field instanceof HTMLSelectElement && field.hasAttribute("data-autosubmit") && field.form) {
        field.form.submit();
      }
    });
    document.addEventListener("click", function (event) {
      var button = event.target instanceof Element ? event.target.closest("[data-print]") : null;
      if (button) {
        window.print();
      }
    });
  }

  setUpDeclaredBehaviours();
  document.addEventListener("DOMContentLoaded", function () {
    setUpNavToggle();
  });
})();
