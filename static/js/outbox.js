// The outbox: everything saved on the phone waits here (IndexedDB) until the server has
// confirmed it, and only then is removed. Loaded by pages and by the service worker, so
// either can send it; a Web Lock keeps two of them from sending at the same time, and the
// client UUID keeps a repeated post from being stored twice anyway.
//
// Entry: {key, scope, seq, type: "observation" | "start", url, sessionId, label,
//         fields: [[name, value]], photos: [{blob, name, lastModified}],
//         state: "waiting" | "refused" | "failed", attempts, nextAttemptAt, message}
(function (global) {
  "use strict";

  var DB_NAME = "immersion-offline";
  var DB_VERSION = 1;
  var BASE_DELAY = 5000;
  var MAX_DELAY = 5 * 60 * 1000;
  // A server error (5xx) is retried this often, then waits for someone to tap Retry.
  var MAX_SERVER_ATTEMPTS = 5;
  var STATE_URL = "/journal/offline/state/";
  var channel = global.BroadcastChannel ? new BroadcastChannel("immersion-outbox") : null;
  var dbPromise = null;

  function open() {
    if (dbPromise) return dbPromise;
    dbPromise = new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = function () {
        var db = request.result;
        var entries = db.createObjectStore("entries", { keyPath: "key" });
        entries.createIndex("scope", "scope");
        db.createObjectStore("drafts", { keyPath: "id" });
        db.createObjectStore("meta");
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { dbPromise = null; reject(request.error); };
    });
    return dbPromise;
  }

  function run(storeName, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        // "strict": a write is on disk before it counts as done, so a browser closed right
        // after "Kept on this phone" still has it when it opens again.
        var tx = db.transaction(storeName, mode, mode === "readwrite" ? { durability: "strict" } : {});
        var result;
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
        var request = work(tx.objectStore(storeName));
        if (request) request.onsuccess = function () { result = request.result; };
      });
    });
  }

  function changed() {
    if (channel) channel.postMessage({ type: "changed" });
    if (global.dispatchEvent && global.CustomEvent) {
      global.dispatchEvent(new CustomEvent("outbox:changed"));
    }
  }

  function list(scope) {
    return run("entries", "readonly", function (store) {
      return store.index("scope").getAll(scope);
    }).then(function (entries) {
      return (entries || []).sort(function (a, b) { return a.seq - b.seq; });
    });
  }

  function get(key) {
    return run("entries", "readonly", function (store) { return store.get(key); });
  }

  function put(entry) {
    return run("entries", "readwrite", function (store) { return store.put(entry); })
      .then(function () { changed(); return entry; });
  }

  // A new entry keeps the place in the queue of the one it replaces (a fixed refusal).
  function add(entry) {
    return get(entry.key).then(function (previous) {
      entry.seq = previous ? previous.seq : Date.now() + Math.random();
      entry.state = "waiting";
      entry.attempts = 0;
      entry.nextAttemptAt = 0;
      entry.message = "";
      entry.createdAt = previous ? previous.createdAt : Date.now();
      return put(entry);
    });
  }

  function remove(key) {
    return run("entries", "readwrite", function (store) { return store.delete(key); })
      .then(changed);
  }

  function clearScope(scope) {
    return list(scope).then(function (entries) {
      return run("entries", "readwrite", function (store) {
        entries.forEach(function (entry) { store.delete(entry.key); });
      });
    }).then(function () {
      return run("drafts", "readwrite", function (store) {
        return store.delete(IDBKeyRange.bound([scope], [scope, []]));
      });
    }).then(changed);
  }

  function getDraft(scope, sessionId) {
    return run("drafts", "readonly", function (store) { return store.get([scope, sessionId]); });
  }

  function putDraft(draft) {
    draft.id = [draft.scope, draft.sessionId];
    return run("drafts", "readwrite", function (store) { return store.put(draft); });
  }

  function removeDraft(scope, sessionId) {
    return run("drafts", "readwrite", function (store) {
      return store.delete([scope, sessionId]);
    });
  }

  function getMeta(name) {
    return run("meta", "readonly", function (store) { return store.get(name); });
  }

  function setMeta(name, value) {
    return run("meta", "readwrite", function (store) { return store.put(value, name); });
  }

  // 5 s, 10 s, 20 s… up to 5 minutes between tries while the signal stays away.
  function backoff(attempts) {
    return Math.min(MAX_DELAY, BASE_DELAY * Math.pow(2, Math.max(0, attempts - 1)));
  }

  function formData(entry) {
    var data = new FormData();
    entry.fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
    (entry.photos || []).forEach(function (photo) {
      data.append("photos", photo.blob, photo.name);
      // The canvas dropped the photo's EXIF; its file time stands in for when it was taken.
      data.append("photo_taken", String(photo.lastModified || ""));
    });
    return data;
  }

  function fetchTransport(url, data, options) {
    var headers = Object.assign({ Accept: "application/json" }, options.headers || {});
    return fetch(url, {
      method: "POST", body: data, headers: headers, credentials: "same-origin"
    }).then(function (response) {
      return response.text().then(function (text) {
        var body = null;
        try { body = JSON.parse(text); } catch (e) { body = null; }
        return { status: response.status, body: body, url: response.url };
      });
    });
  }

  function defaultTransport() {
    if (global.ImmersionUpload && global.XMLHttpRequest) return global.ImmersionUpload.post;
    return fetchTransport;
  }

  function confirmed(entry, answer) {
    var body = answer.body || {};
    if (answer.status < 200 || answer.status >= 300) return false;
    return entry.type === "start" ? body.started === true : body.saved === true && !!body.observation;
  }

  function refusal(answer) {
    var messages = global.ImmersionUpload ? global.ImmersionUpload.errorMessages(answer.body)
      : [];
    if (messages.length) return messages.join(" ");
    if (answer.status === 403) return gettext("You may not add to this session any more.");
    if (answer.status === 404) return gettext("This session no longer exists, or you cannot see it.");
    if (answer.status === 413) return gettext("The photos are too large to send together.");
    return interpolate(gettext("The server refused it (error %s)."), [answer.status]);
  }

  // What one answer means for its entry: "saved", "refused", "failed" or "retry".
  function outcome(entry, answer) {
    if (confirmed(entry, answer)) return "saved";
    if (answer.status >= 400 && answer.status < 500 && answer.status !== 408 &&
        answer.status !== 429) return "refused";
    if (answer.status >= 500 || answer.status === 429 || answer.status === 408) {
      return entry.attempts + 1 >= MAX_SERVER_ATTEMPTS ? "failed" : "retry";
    }
    // A 2xx without the confirmation (a sign-in page after a redirect): not stored.
    return "failed";
  }

  function fetchState() {
    return fetch(STATE_URL, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("json") !== -1;
        if (!response.ok || !json) return { scope: "" };
        return response.json();
      });
  }

  function withLock(work) {
    if (global.navigator && navigator.locks) {
      return navigator.locks.request("immersion-outbox", work);
    }
    return work();
  }

  // Send what waits, oldest first, for whoever the server says is signed in now.
  // options: {force: ignore the backoff, onProgress(entry, index, total, loaded, size),
  //           transport, state}. Resolves with {scope, results: {key: outcome}, offline}.
  function flush(options) {
    options = options || {};
    var transport = options.transport || defaultTransport();
    var report = { scope: null, results: {}, offline: false, signedOut: false };
    return withLock(function () {
      return (options.state ? Promise.resolve(options.state) : fetchState())
        .then(function (state) {
          report.scope = state.scope;
          if (!state.scope) { report.signedOut = true; return report; }
          return list(state.scope).then(function (entries) {
            var now = Date.now();
            var due = entries.filter(function (entry) {
              if (entry.state !== "waiting") return false;
              return options.force || !entry.nextAttemptAt || entry.nextAttemptAt <= now;
            });
            return sendInOrder(due, state, transport, options, report);
          });
        }, function () {
          report.offline = true;
          return report;
        });
    });
  }

  function sendInOrder(due, state, transport, options, report) {
    var index = 0;
    function next() {
      if (index >= due.length) return Promise.resolve(report);
      var entry = due[index];
      var position = index;
      index += 1;
      var headers = { "X-CSRFToken": state.csrf };
      return transport(entry.url, formData(entry), {
        headers: headers,
        onProgress: function (loaded, size) {
          if (options.onProgress) options.onProgress(entry, position, due.length, loaded, size);
        }
      }).then(function (answer) {
        var result = outcome(entry, answer);
        report.results[entry.key] = { outcome: result, body: answer.body, status: answer.status };
        if (result === "saved") return remove(entry.key).then(next);
        entry.attempts += 1;
        entry.status = answer.status;
        if (result === "retry") {
          entry.nextAttemptAt = Date.now() + backoff(entry.attempts);
          entry.message = interpolate(gettext("The server could not save it (error %s)."), [answer.status]);
          return put(entry).then(function () { return report; });
        }
        entry.state = result;
        entry.message = result === "refused" ? refusal(answer)
          : interpolate(gettext("The server did not confirm it (error %s). Tap Retry."), [answer.status]);
        return put(entry).then(next);
      }, function () {
        // No answer: it may or may not be stored. Keep it; the client UUID makes the next
        // try safe. Later entries wait behind it so the order holds.
        report.offline = true;
        report.results[entry.key] = { outcome: "retry" };
        entry.attempts += 1;
        entry.nextAttemptAt = Date.now() + backoff(entry.attempts);
        entry.message = "";
        return put(entry).then(function () { return report; });
      });
    }
    return next();
  }

  // A refused or failed entry goes back in the queue when someone taps Retry.
  function retry(key) {
    return get(key).then(function (entry) {
      if (!entry) return null;
      entry.state = "waiting";
      entry.nextAttemptAt = 0;
      entry.attempts = 0;
      entry.message = "";
      return put(entry);
    });
  }

  function summary(entries) {
    var waiting = entries.filter(function (e) { return e.state === "waiting"; });
    var stuck = entries.filter(function (e) { return e.state !== "waiting"; });
    var photos = waiting.reduce(function (n, e) { return n + (e.photos || []).length; }, 0);
    return { waiting: waiting.length, photos: photos, stuck: stuck, total: entries.length };
  }

  function uuid4() {
    if (global.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" +
      hex.slice(16, 20) + "-" + hex.slice(20);
  }

  global.ImmersionOutbox = {
    add: add,
    get: get,
    list: list,
    remove: remove,
    retry: retry,
    clearScope: clearScope,
    flush: flush,
    backoff: backoff,
    summary: summary,
    getDraft: getDraft,
    putDraft: putDraft,
    removeDraft: removeDraft,
    getMeta: getMeta,
    setMeta: setMeta,
    uuid4: uuid4,
    channel: channel,
    STATE_URL: STATE_URL,
    MAX_SERVER_ATTEMPTS: MAX_SERVER_ATTEMPTS
  };
})(self);
