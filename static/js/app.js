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
  //   <button data-print>                opens the browser's print dialog;
  //   <tr data-href="/x/">               a click on the row opens /x/.
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
      var target = event.target instanceof Element ? event.target : null;
      var button = target ? target.closest("[data-print]") : null;
      if (button) {
        window.print();
      }
      // <tr data-href>: a click anywhere on the row opens the record (links and controls in it keep
      // their own behaviour; selecting text does not navigate).
      var row = target ? target.closest("tr[data-href]") : null;
      if (row && !target.closest("a, button, input, select, textarea, label") && !String(window.getSelection())) {
        if (event.ctrlKey || event.metaKey) {
          window.open(row.getAttribute("data-href"), "_blank");
        } else {
          window.location.assign(row.getAttribute("data-href"));
        }
      }
    });
  }

  // Searchable selects (Tom Select, vendored in static/vendor/tom-select): every multiple select and
  // every select with more than SEARCHABLE_MIN options becomes a search box with tags for the chosen
  // values. Typing matches the option text and the pinyin keys the server puts in each option's
  // data-pinyin ("tys" finds 谭咏诗). <select data-native> opts out, <select data-searchable> opts in.
  // Without JavaScript (or without the library) the native control stays, sized to show its options.
  var SEARCHABLE_MIN = 10;

  function searchableSelect(select) {
    if (select.tomselect || select.hasAttribute("data-native") || select.closest("template")) {
      return;
    }
    if (!select.multiple && select.options.length <= SEARCHABLE_MIN && !select.hasAttribute("data-searchable")) {
      return;
    }
    var labels = document.body.dataset;
    var plugins = {};
    if (select.multiple) {
      plugins.remove_button = { title: labels.selectRemove || "Remove" };
    } else if (!select.required && select.querySelector('option[value=""]')) {
      plugins.clear_button = { title: labels.selectClear || "Clear" };
    }
    var tom = new window.TomSelect(select, {
      plugins: plugins,
      searchField: ["text", "pinyin"],
      maxOptions: null,
      hidePlaceholder: select.multiple,
      closeAfterSelect: !select.multiple,
      // After a value is chosen the search starts afresh for the next one.
      onItemAdd: function () {
        this.setTextboxValue("");
        this.refreshOptions(false);
      },
      render: {
        no_results: function () {
          var box = document.createElement("div");
          box.className = "no-results";
          box.textContent = labels.selectNoResults || "No match";
          return box;
        },
      },
    });
    tom.wrapper.classList.add("searchable-select");
  }

  function enhanceSelects(root) {
    if (typeof window.TomSelect !== "function") {
      return;
    }
    (root || document).querySelectorAll("select").forEach(searchableSelect);
  }

  window.LiaisonSelects = { enhance: enhanceSelects };

  // Confirmations and errors (Django messages) are a banner above the page without JavaScript; with it
  // they float as toasts in the corner, each with a close button, and a success fades after a while.
  // Only the messages list marked data-toasts floats: a page's own notices (class "messages" too) stay put.
  var TOAST_SECONDS = 10;

  function setUpToasts() {
    var box = document.querySelector("ul.messages[data-toasts]");
    if (!box) {
      return;
    }
    box.classList.add("toasts");
    box.querySelectorAll(".message").forEach(function (message) {
      var close = document.createElement("button");
      close.type = "button";
      close.className = "toast-close";
      close.setAttribute("aria-label", document.body.dataset.toastClose || "Close");
      close.textContent = "×";
      close.addEventListener("click", function () {
        message.remove();
      });
      message.appendChild(close);
      if (message.classList.contains("message-success")) {
        window.setTimeout(function () {
          if (!message.matches(":hover")) {
            message.remove();
          }
        }, TOAST_SECONDS * 1000);
      }
    });
  }

  setUpDeclaredBehaviours();
  document.addEventListener("DOMContentLoaded", function () {
    setUpNavToggle();
    setUpToasts();
    enhanceSelects(document);
  });
})();
