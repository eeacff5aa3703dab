/*
 * The visit-logging page: add opinion and constituent rows without a reload, save the visit in
 * the background, show what was saved and clear the form for the next visitor.
 * Plain JavaScript, no library; without it the form still posts normally.
 * Keyboard: Alt+N adds an opinion, Ctrl+Enter (⌘+Enter) saves.
 */
(function () {
  "use strict";

  var form = document.getElementById("visit-form");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var text = JSON.parse(document.getElementById("visit-form-text").textContent);
  var statusBox = document.getElementById("visit-status");
  var saved = document.getElementById("saved-visits");
  var saveButton = document.getElementById("save-visit");

  function total(kind) {
    return form.querySelector("#id_" + kind + "-TOTAL_FORMS");
  }

  function rows(kind) {
    return document.getElementById(kind + "-rows").querySelectorAll('[data-row="' + kind + '"]');
  }

  // Form fields are numbered 0..n-1 without gaps; renumber after adding or removing a row.
  function renumber(kind) {
    var pattern = new RegExp("^(id_)?" + kind + "-(\\d+|__prefix__)-");
    Array.prototype.forEach.call(rows(kind), function (row, index) {
      row.querySelectorAll("[name], [id], label[for]").forEach(function (el) {
        ["name", "id", "for"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value && pattern.test(value)) {
            el.setAttribute(attr, value.replace(pattern, function (match, idPrefix) {
              return (idPrefix || "") + kind + "-" + index + "-";
            }));
          }
        });
      });
      var number = row.querySelector("[data-row-number]");
      if (number) {
        number.textContent = String(index + 1);
      }
    });
    total(kind).value = String(rows(kind).length);
  }

  function toggleReferral(row) {
    var outcome = row.querySelector('select[name$="-outcome"]');
    var referral = row.querySelector(".rc-referral");
    if (outcome && referral) {
      referral.hidden = outcome.value !== "referred";
    }
    // 形成意见建议: the deputy whose draft suggestion the opinion becomes.
    var escalate = row.querySelector(".rc-escalate");
    if (outcome && escalate) {
      escalate.hidden = outcome.value !== "escalated";
    }
  }

  function wire(row) {
    toggleReferral(row);
    if (window.LiaisonSelects) {
      window.LiaisonSelects.enhance(row);
    }
  }

  function addRow(kind, focus) {
    var template = document.getElementById(kind + "-template");
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(rows(kind).length)).trim();
    var row = holder.firstElementChild;
    document.getElementById(kind + "-rows").appendChild(row);
    renumber(kind);
    wire(row);
    if (focus !== false) {
      var first = row.querySelector("select, input, textarea");
      if (first) {
        first.focus();
      }
    }
    return row;
  }

  function removeRow(button) {
    var kind = button.getAttribute("data-remove-row");
    var row = button.closest('[data-row="' + kind + '"]');
    row.parentNode.removeChild(row);
    renumber(kind);
  }

  function clearErrors() {
    form.querySelectorAll(".errorlist.rc-js").forEach(function (el) {
      el.parentNode.removeChild(el);
    });
    form.querySelectorAll('[aria-invalid="true"]').forEach(function (el) {
      el.removeAttribute("aria-invalid");
    });
  }

  function showStatus(message, kind) {
    statusBox.textContent = message;
    statusBox.className = "rc-status " + (kind || "");
  }

  function showErrors(errors) {
    var first = null;
    var general = [];
    Object.keys(errors).forEach(function (key) {
      var field = key === "__all__" ? null : form.querySelector('[name="' + key + '"]');
      if (!field) {
        general.push(errors[key].join("；"));
        return;
      }
      field.setAttribute("aria-invalid", "true");
      var list = document.createElement("ul");
      list.className = "errorlist rc-js";
      errors[key].forEach(function (message) {
        var item = document.createElement("li");
        item.textContent = message;
        list.appendChild(item);
      });
      var box = field.closest(".form-field") || field.parentNode;
      box.appendChild(list);
      first = first || field;
    });
    showStatus(text.failed + (general.length ? " " + general.join("；") : ""), "error");
    if (first) {
      first.focus();
    }
  }

  function link(href, label) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = label;
    return a;
  }

  function addSaved(visit) {
    var item = document.createElement("li");
    item.appendChild(link(visit.url, visit.date + " · " + visit.station + " · " + visit.channel + " · " + visit.headcount));
    if (visit.opinions.length) {
      var list = document.createElement("ul");
      visit.opinions.forEach(function (opinion) {
        var li = document.createElement("li");
        li.setAttribute("data-opinion-id", String(opinion.id));
        li.appendChild(link(opinion.url, opinion.category));
        li.appendChild(document.createTextNode("：" + opinion.content + " — " + opinion.outcome));
        list.appendChild(li);
      });
      item.appendChild(list);
    }
    saved.insertBefore(item, saved.firstChild);
  }

  // Keep the visit header (station, date, channel, deputies, grid) for the next visitor of the day.
  function resetForNext() {
    ["o", "c"].forEach(function (kind) {
      Array.prototype.forEach.call(rows(kind), function (row) {
        row.parentNode.removeChild(row);
      });
      addRow(kind, false);
    });
    var headcount = form.querySelector('[name="headcount"]');
    headcount.value = "1";
    var note = form.querySelector('[name="note"]');
    if (note) {
      note.value = "";
    }
    headcount.focus();
    headcount.select();
  }

  function submit(event) {
    event.preventDefault();
    clearErrors();
    saveButton.disabled = true;
    showStatus(text.saving, "");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(
          function (body) {
            return { status: response.status, body: body };
          },
          function () {
            return { status: response.status, body: {} };
          }
        );
      })
      .then(function (result) {
        if (result.status === 201) {
          addSaved(result.body.visit);
          resetForNext();
          showStatus(text.saved, "ok");
        } else {
          showErrors(result.body.errors || { __all__: [text.network] });
        }
      })
      .catch(function () {
        showStatus(text.network, "error");
      })
      .then(function () {
        saveButton.disabled = false;
      });
  }

  form.addEventListener("submit", submit);
  form.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-row]");
    if (add) {
      addRow(add.getAttribute("data-add-row"));
      return;
    }
    var remove = event.target.closest("[data-remove-row]");
    if (remove) {
      removeRow(remove);
    }
  });
  form.addEventListener("change", function (event) {
    if (event.target.matches('select[name$="-outcome"]')) {
      toggleReferral(event.target.closest('[data-row="o"]'));
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.altKey && (event.key === "n" || event.key === "N" || event.code === "KeyN")) {
      event.preventDefault();
      addRow("o");
    } else if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      event.preventDefault();
      if (form.requestSubmit) {
        form.requestSubmit();
      } else {
        form.dispatchEvent(new Event("submit", { cancelable: true }));
      }
    }
  });
  Array.prototype.forEach.call(rows("o"), wire);
})();
