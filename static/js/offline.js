// Every page's part of the offline app: registers the service worker, shows where the
// outbox stands in the header, sends it (on page open, when the signal returns, on a timer,
// and through Background Sync where the browser has it), keeps the user's pages for
// offline, queues a session start made without signal, and cleans up on sign-out.
(function () {
  "use strict";
  var Outbox = window.ImmersionOutbox;
  var script = document.getElementById("offline-script");
  var scopeMeta = document.querySelector('meta[name="user-scope"]');
  var scope = scopeMeta ? scopeMeta.content : "";
  if (!Outbox || !window.indexedDB || !script) return;

  var TIMER = 30000;
  var WARM_EVERY = 10 * 60 * 1000;
  var region = document.getElementById("sync-state");
  var text = document.getElementById("sync-state-text");
  var sending = null; // {index, total} while an upload runs.
  var lastSummary = null;
  var flushing = null;

  function worker() {
    if (!("serviceWorker" in navigator)) return Promise.resolve(null);
    return navigator.serviceWorker.ready;
  }

  function tellWorker(message) {
    if (!("serviceWorker" in navigator)) return Promise.resolve();
    return worker().then(function (registration) {
      var target = navigator.serviceWorker.controller || registration.active;
      if (!target) return null;
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function () { resolve(); };
        target.postMessage(message, [channel.port2]);
        setTimeout(resolve, 15000);
      });
    });
  }

  function describe(summary) {
    if (sending) {
      return interpolate(gettext("Uploading %(number)s of %(total)s"),
        { number: sending.index + 1, total: sending.total }, true);
    }
    if (summary.stuck.length) {
      return interpolate(gettext("Could not upload: %s"), [summary.stuck[0].message]);
    }
    if (summary.waiting) {
      var line = interpolate(ngettext("%s observation waiting to upload",
        "%s observations waiting to upload", summary.waiting), [summary.waiting]);
      if (summary.photos) {
        line += " " + interpolate(ngettext("(%s photo)", "(%s photos)", summary.photos), [summary.photos]);
      }
      return line;
    }
    return gettext("All saved");
  }

  function render() {
    if (!region || !scope) return Promise.resolve();
    return Outbox.list(scope).then(function (entries) {
      var summary = Outbox.summary(entries);
      lastSummary = summary;
      var line = describe(summary);
      var quiet = region.hasAttribute("data-quiet-when-empty") && !summary.total && !sending;
      region.classList.toggle("is-waiting", !!summary.waiting || !!sending);
      region.classList.toggle("is-stuck", !!summary.stuck.length && !sending);
      region.classList.toggle("is-quiet", quiet);
      if (text.textContent !== line && !quiet) text.textContent = line;
      var link = region.querySelector(".sync-state-action");
      if (summary.total && !link) {
        link = document.createElement("a");
        link.className = "sync-state-action";
        link.href = region.dataset.outboxUrl;
        region.appendChild(link);
      }
      if (link && !summary.total) link.remove();
      else if (link) link.textContent = summary.stuck.length ? "Retry" : "Details";
    });
  }

  // One send at a time from this page; a send asked for during another runs after it,
  // so what was just added is never missed.
  function flush(force, onProgress) {
    if (!scope) return Promise.resolve(null);
    if (flushing) {
      return flushing.catch(function () { return null; }).then(function () {
        return flush(force, onProgress);
      });
    }
    flushing = Outbox.flush({
      force: force,
      onProgress: function (entry, index, total, loaded, size) {
        if (!sending || sending.index !== index) {
          sending = { index: index, total: total };
          render();
        }
        if (onProgress) onProgress(entry, index, total, loaded, size);
      }
    }).then(function (report) {
      sending = null;
      flushing = null;
      render();
      return report;
    }, function (error) {
      sending = null;
      flushing = null;
      render();
      throw error;
    });
    return flushing;
  }

  function askForSync() {
    return worker().then(function (registration) {
      if (registration && registration.sync) return registration.sync.register("outbox");
      return null;
    }).catch(function () { return null; });
  }

  function warm() {
    var key = "immersion-warmed-" + scope;
    var last = parseInt(localStorage.getItem(key) || "0", 10);
    if (!scope || !navigator.onLine) return Promise.resolve();
    if (Date.now() - last < WARM_EVERY) {
      // Kept by an earlier page a moment ago: as ready as a fresh warm-up would make it.
      document.documentElement.dataset.offlineReady = "true";
      return Promise.resolve();
    }
    return fetch(Outbox.STATE_URL, {
      credentials: "same-origin", headers: { Accept: "application/json" }
    }).then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state || state.scope !== scope) return null;
        return tellWorker({ type: "warm", scope: scope, pages: state.pages }).then(function () {
          localStorage.setItem(key, String(Date.now()));
          document.documentElement.dataset.offlineReady = "true";
        });
      }).catch(function () { return null; });
  }

  // Sign-out clears this user's kept pages, outbox and drafts. Unsent entries would be lost
  // with it, so the user is asked first, and may stay signed in until they have gone. The
  // sign-out itself posts at once; the page after it (signed out) does the clearing.
  var FORGET = "immersion-forget-scope";

  function hookSignOut(form) {
    form.addEventListener("submit", function (event) {
      var unsent = lastSummary ? lastSummary.total : null;
      if (unsent === null) {
        // Not counted yet: count first, then sign out the same way.
        event.preventDefault();
        Outbox.list(scope).then(function (entries) {
          lastSummary = Outbox.summary(entries);
          if (mayForget(lastSummary.total)) form.submit();
        });
        return;
      }
      if (!mayForget(unsent)) event.preventDefault();
    });
  }

  function mayForget(unsent) {
    if (unsent) {
      var question = interpolate(ngettext(
        "%s observation is still on this phone, not uploaded. Signing out deletes it from this phone. Sign out anyway?",
        "%s observations are still on this phone, not uploaded. Signing out deletes them from this phone. Sign out anyway?",
        unsent), [unsent]);
      if (!window.confirm(question)) return false;
    }
    sessionStorage.setItem(FORGET, scope);
    return true;
  }

  function forgetSignedOut() {
    var gone = sessionStorage.getItem(FORGET);
    if (!gone || gone === scope) return;
    Outbox.clearScope(gone)
      .then(function () { return tellWorker({ type: "forget" }); })
      .then(function () {
        localStorage.removeItem("immersion-warmed-" + gone);
        sessionStorage.removeItem(FORGET);
      });
  }

  // A start tapped without signal waits in the outbox, ahead of that session's observations.
  // With signal the form posts as usual, as it does without this script.
  function hookStart(form) {
    var match = /\/sessions\/(\d+)\/start\/$/.exec(form.getAttribute("action") || "");
    if (!match) return;
    form.addEventListener("submit", function (event) {
      if (navigator.onLine) return;
      event.preventDefault();
      var sessionId = match[1];
      var captureUrl = script.dataset.captureUrl.replace("/0/", "/" + sessionId + "/");
      Outbox.add({
        key: Outbox.uuid4(),
        scope: scope,
        type: "start",
        url: form.action,
        sessionId: sessionId,
        label: gettext("Start of the session"),
        fields: [],
        photos: []
      }).then(askForSync).then(function () {
        // The capture page, kept on the phone, opens its form for a start waiting here.
        window.location.assign(captureUrl);
      });
    });
  }

  forgetSignedOut();
  if (scope) {
    document.querySelectorAll('form[action="' + script.dataset.signOutUrl + '"]').forEach(hookSignOut);
    document.querySelectorAll('form[method="post"][action*="/start/"]').forEach(hookStart);
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(script.dataset.serviceWorker, { scope: "/" })
      .then(function () { return tellWorker({ type: "scope", scope: scope }); })
      .then(warm)
      .catch(function () { return null; });
  }
  if (!scope) return;

  window.ImmersionOffline = { flush: flush, render: render, askForSync: askForSync };
  if (Outbox.channel) Outbox.channel.addEventListener("message", render);
  window.addEventListener("outbox:changed", render);
  // Nothing waiting, nothing to ask the server.
  function flushIfWaiting(force) {
    return lastSummary && lastSummary.waiting ? flush(force) : Promise.resolve(null);
  }

  window.addEventListener("online", function () { flushIfWaiting(true); });
  setInterval(function () { if (navigator.onLine) flushIfWaiting(false); }, TIMER);
  render().then(function () { return flushIfWaiting(false); });
})();
