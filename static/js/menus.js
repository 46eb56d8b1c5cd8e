// The little the site asked of Bootstrap's 80 KB script: the menus that drop down (the
// account menu, the phone bar's "More") and the close button of a message.
//
// A menu is a button with data-bs-toggle="dropdown" followed by its .dropdown-menu. The
// button says whether it is open (aria-expanded); Escape closes it and gives the button
// its focus back; the arrow keys walk its entries; a tap or a click elsewhere, or the
// focus leaving it, closes it. data-bs-popper="static" lets the stylesheet place it under
// (or, in a .dropup, over) its button without measuring anything.
(function () {
  "use strict";

  var ITEMS = ".dropdown-item:not(.disabled):not(:disabled)";

  function menuOf(toggle) {
    return toggle.parentElement.querySelector(".dropdown-menu");
  }

  function isOpen(toggle) {
    return toggle.getAttribute("aria-expanded") === "true";
  }

  function setOpen(toggle, open) {
    var menu = menuOf(toggle);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    toggle.classList.toggle("show", open);
    menu.classList.toggle("show", open);
  }

  function closeAll(except) {
    document.querySelectorAll('[data-bs-toggle="dropdown"][aria-expanded="true"]').forEach(
      function (toggle) {
        if (toggle !== except) {
          setOpen(toggle, false);
        }
      }
    );
  }

  function open(toggle) {
    closeAll(toggle);
    setOpen(toggle, true);
  }

  function focusItem(toggle, step) {
    var items = Array.prototype.slice.call(menuOf(toggle).querySelectorAll(ITEMS));
    if (!items.length) {
      return;
    }
    var at = items.indexOf(document.activeElement);
    var next = at === -1 ? (step > 0 ? 0 : items.length - 1) : at + step;
    items[Math.max(0, Math.min(items.length - 1, next))].focus();
  }

  function toggleOf(element) {
    var holder = element.closest && element.closest(".dropdown, .dropup");
    return holder && holder.querySelector('[data-bs-toggle="dropdown"]');
  }

  document.querySelectorAll('[data-bs-toggle="dropdown"]').forEach(function (toggle) {
    var menu = menuOf(toggle);
    if (!menu) {
      return;
    }
    menu.setAttribute("data-bs-popper", "static");
    toggle.addEventListener("click", function () {
      if (isOpen(toggle)) {
        setOpen(toggle, false);
      } else {
        open(toggle);
      }
    });
    // An entry chosen, the menu has done its job (the page may stay, as for a download).
    menu.addEventListener("click", function (event) {
      if (event.target.closest(ITEMS)) {
        setOpen(toggle, false);
      }
    });
  });

  document.addEventListener("keydown", function (event) {
    var toggle = toggleOf(event.target);
    if (!toggle) {
      return;
    }
    if (event.key === "Escape" && isOpen(toggle)) {
      event.preventDefault();
      setOpen(toggle, false);
      toggle.focus();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!isOpen(toggle)) {
        open(toggle);
      }
      focusItem(toggle, event.key === "ArrowDown" ? 1 : -1);
    }
  });

  document.addEventListener("click", function (event) {
    closeAll(toggleOf(event.target));
  });

  // Tabbing past the last entry (or back before the button) leaves the menu closed behind.
  document.addEventListener("focusin", function (event) {
    closeAll(toggleOf(event.target));
  });

  // A message's close button: the message fades out, then leaves the page, and the focus,
  // which was on the button that went with it, moves to the next message or to the content.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest('[data-bs-dismiss="alert"]');
    var alert = button && button.closest(".alert");
    if (!alert) {
      return;
    }
    var next = alert.nextElementSibling || alert.previousElementSibling;
    var landing = (next && next.querySelector('[data-bs-dismiss="alert"]')) ||
      document.getElementById("main");
    var fades = alert.classList.contains("fade") &&
      !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    var removed = false;
    function remove() {
      if (removed) {
        return;
      }
      removed = true;
      alert.remove();
      if (landing) {
        landing.focus();
      }
    }
    alert.classList.remove("show");
    if (fades) {
      alert.addEventListener("transitionend", remove);
      // In case no transition runs (a hidden tab, a style that has none).
      window.setTimeout(remove, 300);
    } else {
      remove();
    }
  });
})();
