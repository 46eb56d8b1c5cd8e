// Triage at keyboard speed. Without this script every part of the decision form is
// shown, each with its own submit button; with it, one choice shows at a time and
// single keys act: n, l, d, x choose a decision and put the cursor in its first field,
// j and k open the next and previous observation, ? opens the help. Keys typed in a
// field stay in the field; Esc leaves it. A search box narrows a long list of people.
(function () {
  "use strict";

  var CHOICE_KEYS = { n: "new", l: "link", d: "duplicate", x: "none" };
  var form = document.querySelector(".triage-decision");
  var help = document.getElementById("triage-help");

  function isTyping(target) {
    if (!target || !target.closest) {
      return false;
    }
    return Boolean(
      target.isContentEditable || target.closest("input, textarea, select, [contenteditable]")
    );
  }

  function fieldsets() {
    return form ? Array.prototype.slice.call(form.querySelectorAll("[data-choice]")) : [];
  }

  function chosenFieldset() {
    return form && form.querySelector("[data-choice]:not([hidden])");
  }

  function choose(name, focus) {
    var found = false;
    fieldsets().forEach(function (set) {
      var match = set.dataset.choice === name;
      found = found || match;
      set.hidden = !match;
    });
    if (!found) {
      return false;
    }
    form.dataset.chosen = name;
    form.querySelectorAll("[data-choose]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.choose === name));
    });
    if (focus) {
      var first = chosenFieldset().querySelector("input:not([type=hidden]):not([hidden]), select, textarea");
      if (first) {
        first.focus();
      }
    }
    return true;
  }

  function submitChosen() {
    var set = chosenFieldset();
    var button = set && set.querySelector("[data-decide]");
    if (button) {
      form.requestSubmit(button);
    }
  }

  function follow(key) {
    var link = document.querySelector("a[data-key='" + key + "']");
    if (link) {
      window.location.assign(link.href);
      return true;
    }
    return false;
  }

  // On the queue, j and k walk through the list; Enter opens the focused observation.
  function moveInQueue(step) {
    var links = Array.prototype.slice.call(document.querySelectorAll(".triage-row-link"));
    if (!links.length) {
      return false;
    }
    var at = links.indexOf(document.activeElement);
    var next = at === -1 ? (step > 0 ? 0 : links.length - 1) : at + step;
    next = Math.max(0, Math.min(links.length - 1, next));
    links[next].focus();
    return true;
  }

  function openHelp() {
    if (help && !help.open) {
      help.showModal();
      return true;
    }
    return false;
  }

  if (form) {
    form.querySelector("[data-triage-choices]").hidden = false;
    form.addEventListener("click", function (event) {
      var button = event.target.closest("[data-choose]");
      if (button) {
        choose(button.dataset.choose, true);
      }
    });
    // Enter records the decision on show, not the form's first button; Ctrl+Enter
    // does the same from a text box, where Enter starts a new line.
    form.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.target.closest("button, a")) {
        return;
      }
      var inTextBox = event.target.tagName === "TEXTAREA";
      if (inTextBox && !(event.ctrlKey || event.metaKey)) {
        return;
      }
      if (event.target.type === "search") {
        return;
      }
      event.preventDefault();
      submitChosen();
    });
    choose(form.dataset.chosen || "new", false);
  }

  document.querySelectorAll("[data-triage-help]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", openHelp);
  });

  // Narrows a select to the options whose text holds every word typed, keeping the chosen one.
  document.querySelectorAll("[data-filters-select]").forEach(function (box) {
    var select = document.getElementById(box.dataset.filtersSelect);
    if (!select) {
      return;
    }
    box.hidden = false;
    box.addEventListener("input", function () {
      var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      select.querySelectorAll("optgroup").forEach(function (group) {
        var shown = 0;
        group.querySelectorAll("option").forEach(function (option) {
          var text = (option.textContent + " " + group.label).toLowerCase();
          var match = option.selected || words.every(function (word) { return text.indexOf(word) !== -1; });
          option.hidden = !match;
          shown += match ? 1 : 0;
        });
        group.hidden = shown === 0;
      });
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        // Enter takes the first person left in the list.
        event.preventDefault();
        var first = select.querySelector("optgroup:not([hidden]) option:not([hidden])");
        if (first) {
          select.value = first.value;
          select.focus();
        }
      }
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && isTyping(event.target)) {
      event.target.blur();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) {
      return;
    }
    if (help && help.open) {
      return;
    }
    var acted = false;
    if (event.key === "?") {
      acted = openHelp();
    } else if (CHOICE_KEYS[event.key] && form) {
      acted = choose(CHOICE_KEYS[event.key], true);
    } else if (event.key === "j") {
      acted = follow("j") || moveInQueue(1);
    } else if (event.key === "k") {
      acted = follow("k") || moveInQueue(-1);
    }
    if (acted) {
      // Keeps the key from being typed into the field it just focused.
      event.preventDefault();
    }
  });
})();
