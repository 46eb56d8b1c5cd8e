// The outbox page: every entry still on this phone, where it stands, and what can be done
// with it. A refused one shows the server's reason and stays until fixed or discarded.
(function () {
  "use strict";
  var Outbox = window.ImmersionOutbox;
  var list = document.getElementById("outbox-list");
  var scopeMeta = document.querySelector('meta[name="user-scope"]');
  var scope = scopeMeta ? scopeMeta.content : "";
  if (!Outbox || !list || !scope) return;
  var empty = document.getElementById("outbox-empty");
  var actions = document.getElementById("outbox-actions");

  function flush() {
    return window.ImmersionOffline ? window.ImmersionOffline.flush(true) : Outbox.flush({ force: true });
  }

  function actionButton(label, name, handler) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary btn-touch";
    button.textContent = label;
    button.setAttribute("aria-label", label + ": " + name);
    button.addEventListener("click", handler);
    return button;
  }

  function describe(entry) {
    if (entry.state === "refused") return interpolate(gettext("Refused: %s"), [entry.message]);
    if (entry.state === "failed") return interpolate(gettext("Could not upload: %s"), [entry.message]);
    var photos = (entry.photos || []).length;
    var line = photos
      ? interpolate(ngettext("Waiting to upload with %s photo", "Waiting to upload with %s photos", photos), [photos])
      : gettext("Waiting to upload");
    return line + (entry.message ? ". " + entry.message : ".");
  }

  function item(entry) {
    var li = document.createElement("li");
    li.className = "card outbox-entry mb-2 is-" + entry.state;
    li.dataset.key = entry.key;
    var body = document.createElement("div");
    body.className = "card-body py-2";
    var title = document.createElement("p");
    title.className = "fw-semibold mb-1";
    title.textContent = entry.label || gettext("Observation");
    var state = document.createElement("p");
    state.className = "mb-2 outbox-state";
    state.textContent = describe(entry);
    var buttons = document.createElement("div");
    buttons.className = "d-flex flex-wrap gap-2";
    if (entry.state !== "waiting") {
      buttons.appendChild(actionButton(gettext("Retry"), entry.label, function () {
        Outbox.retry(entry.key).then(flush);
      }));
    }
    if (entry.type === "observation" && entry.state === "refused") {
      var fix = document.createElement("a");
      fix.className = "btn btn-outline-primary btn-touch";
      fix.textContent = gettext("Fix it");
      fix.setAttribute("aria-label", interpolate(gettext("Fix it: %s"), [entry.label]));
      fix.href = list.dataset.captureUrl.replace("/0/", "/" + entry.sessionId + "/") +
        "?fix=" + encodeURIComponent(entry.key);
      buttons.appendChild(fix);
    }
    buttons.appendChild(actionButton(gettext("Discard"), entry.label, function () {
      var question = interpolate(gettext("Discard “%s”? It has not reached the server and will be gone from this phone."),
        [entry.label || gettext("this observation")]);
      if (window.confirm(question)) Outbox.remove(entry.key);
    }));
    body.appendChild(title);
    body.appendChild(state);
    body.appendChild(buttons);
    li.appendChild(body);
    return li;
  }

  function render() {
    return Outbox.list(scope).then(function (entries) {
      list.textContent = "";
      entries.forEach(function (entry) { list.appendChild(item(entry)); });
      empty.hidden = entries.length > 0;
      actions.hidden = !entries.some(function (entry) { return entry.state === "waiting"; });
    });
  }

  document.getElementById("outbox-send").addEventListener("click", flush);
  if (Outbox.channel) Outbox.channel.addEventListener("message", render);
  window.addEventListener("outbox:changed", render);
  render();
})();
