// The service worker, served at /sw.js after a line of settings (OFFLINE_CONFIG: version,
// app shell, the pages worth keeping, the outbox scripts).
//
// Static files: from the shell cache, fetched once per version. Kept pages (Today, the
// user's sessions and their capture pages): network first, kept in a cache named after
// the user's scope, served from it only when the network fails and only while that same
// user is the one signed in. Any page from the network that shows another user, or nobody,
// drops every other user's kept pages.
/* global OFFLINE_CONFIG, ImmersionOutbox */
"use strict";

importScripts.apply(self, OFFLINE_CONFIG.scripts);

var SHELL_CACHE = "shell-" + OFFLINE_CONFIG.version;
var PAGES_PREFIX = "pages-";
var KEPT = OFFLINE_CONFIG.keptPages.map(function (pattern) { return new RegExp(pattern); });
var SCOPE_META = /<meta name="user-scope" content="([^"]*)">/;
var activeScope = null;

function scope() {
  if (activeScope !== null) return Promise.resolve(activeScope);
  return ImmersionOutbox.getMeta("scope").then(function (value) {
    activeScope = value || "";
    return activeScope;
  });
}

// The phone now belongs to this scope: other users' pages go.
function becomes(newScope) {
  return scope().then(function (current) {
    activeScope = newScope;
    var saved = current === newScope ? Promise.resolve() : ImmersionOutbox.setMeta("scope", newScope);
    return saved.then(function () { return caches.keys(); }).then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(PAGES_PREFIX) === 0 && name !== PAGES_PREFIX + newScope;
      }).map(function (name) { return caches.delete(name); }));
    });
  });
}

function isKept(url) {
  return url.origin === self.location.origin && !url.search &&
    KEPT.some(function (pattern) { return pattern.test(url.pathname); });
}

function isPage(response) {
  return response && response.type === "basic" && response.ok && !response.redirected &&
    (response.headers.get("Content-Type") || "").indexOf("text/html") === 0;
}

// Read whose page a network answer is; keep it if it is worth keeping for that user.
function remember(request, response) {
  if (!isPage(response)) return Promise.resolve();
  return response.clone().text().then(function (html) {
    var match = SCOPE_META.exec(html);
    if (!match) return null;
    var pageScope = match[1];
    return becomes(pageScope).then(function () {
      if (!pageScope || !isKept(new URL(request.url))) return null;
      return caches.open(PAGES_PREFIX + pageScope).then(function (cache) {
        return cache.put(request.url, response);
      });
    });
  });
}

function offlinePage() {
  var html = '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    "<title>Offline</title></head><body><main>" +
    "<h1>No signal, and this page is not kept on this phone</h1>" +
    "<p>Today, your sessions and their capture pages open without signal once you have " +
    'opened them with signal. <a href="/today/">Open Today</a></p></main></body></html>';
  return new Response(html, {
    status: 503, headers: { "Content-Type": "text/html; charset=utf-8" }
  });
}

function fromKept(request) {
  return scope().then(function (current) {
    if (!current) return null;
    return caches.open(PAGES_PREFIX + current).then(function (cache) {
      return cache.match(request.url, { ignoreSearch: true });
    });
  });
}

function navigate(event) {
  var request = event.request;
  return fetch(request).then(function (response) {
    event.waitUntil(remember(request, response.clone()));
    return response;
  }, function () {
    return fromKept(request).then(function (kept) { return kept || offlinePage(); });
  });
}

function staticFile(request) {
  return caches.open(SHELL_CACHE).then(function (cache) {
    return cache.match(request).then(function (hit) {
      return hit || fetch(request).then(function (response) {
        if (response.ok) cache.put(request, response.clone());
        return response;
      });
    });
  });
}

// Keep the pages a signed-in page asked for, each checked to belong to that same user.
function warm(pageScope, urls) {
  return scope().then(function (current) {
    if (!pageScope || current !== pageScope) return null;
    return Promise.all(urls.map(function (url) {
      var request = new Request(url, { credentials: "same-origin", redirect: "manual" });
      return fetch(request).then(function (response) {
        return remember(request, response);
      }).catch(function () { return null; });
    }));
  });
}

// One file that fails to arrive must not stop the worker from installing: whatever is
// missing is kept the first time a page asks for it.
self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL_CACHE).then(function (cache) {
    return Promise.all(OFFLINE_CONFIG.shell.map(function (url) {
      return cache.add(url).catch(function () { return null; });
    }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("shell-") === 0 && name !== SHELL_CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(navigate(event));
  } else if (url.pathname.indexOf("/static/") === 0 || url.pathname.indexOf("/jsi18n/") === 0) {
    // The translated strings change only with a release, like the static files.
    event.respondWith(staticFile(request));
  }
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var work = null;
  if (data.type === "scope") work = becomes(data.scope || "");
  else if (data.type === "warm") work = warm(data.scope, data.pages || []);
  else if (data.type === "forget") work = becomes("");
  if (!work) return;
  var port = event.ports && event.ports[0];
  event.waitUntil(work.then(function () {
    if (port) port.postMessage({ done: true });
  }));
});

self.addEventListener("sync", function (event) {
  if (event.tag === "outbox") event.waitUntil(ImmersionOutbox.flush());
});
