// The capture page, enhanced. Photos are added one shot or pick at a time, shrunk on the
// phone, and can be removed; what is typed is kept as a draft on the phone; Save puts the
// observation in the outbox first and then sends it, so no signal loses nothing. The kind
// follows the feeling until the manager picks one. Without this script the form posts as
// usual.
(function () {
  "use strict";
  var form = document.getElementById("capture-form");
  var Outbox = window.ImmersionOutbox;
  var Upload = window.ImmersionUpload;
  var scopeMeta = document.querySelector('meta[name="user-scope"]');
  var scope = scopeMeta ? scopeMeta.content : "";
  if (!form || !Outbox || !Upload || !window.indexedDB || !window.FormData || !scope) return;

  var sessionId = form.dataset.session;
  var maxPhotos = parseInt(form.dataset.maxPhotos, 10) || 10;
  var maxSide = parseInt(form.dataset.maxSide, 10) || 2048;
  var quality = parseFloat(form.dataset.quality) || 0.85;
  var uuidInput = form.querySelector('input[name="client_uuid"]');
  var button = document.getElementById("capture-submit");
  var buttonText = button.textContent;
  var previews = document.getElementById("photo-previews");
  var photoCount = document.getElementById("photo-count");
  var progress = document.getElementById("upload-progress");
  var bar = document.getElementById("upload-bar");
  var statusLabel = document.getElementById("upload-status");
  var summary = document.getElementById("form-errors");
  var summaryList = document.getElementById("form-error-list");
  var draftState = document.getElementById("draft-state");
  var keptBanner = document.getElementById("kept-banner");
  var storageWarning = document.getElementById("storage-warning");
  var moreDetail = document.getElementById("more-detail");
  var KIND_FOR_TONE = { good: "delight", bad: "pain_point" };
  var LOW_SPACE = 25 * 1024 * 1024;

  var photos = []; // {blob, name, lastModified}
  var pending = Promise.resolve(); // photos still being shrunk
  var kindByHand = false;
  var busy = false;
  var draftTimer = null;
  var kindNote = document.createElement("p");
  kindNote.className = "form-text kind-note";
  kindNote.id = "kind-note";
  kindNote.setAttribute("aria-live", "polite");
  var feelings = form.querySelector('input[name="emotion"]').closest("fieldset");
  feelings.appendChild(kindNote);

  // Photos

  function renderPhotos() {
    previews.textContent = "";
    photos.forEach(function (photo, index) {
      var item = document.createElement("li");
      item.className = "preview";
      var img = document.createElement("img");
      img.alt = interpolate(gettext("Photo %s"), [index + 1]);
      img.src = URL.createObjectURL(photo.blob);
      img.addEventListener("load", function () { URL.revokeObjectURL(img.src); });
      img.addEventListener("error", function () {
        var label = document.createElement("span");
        label.className = "preview-name";
        label.textContent = photo.name;
        img.replaceWith(label);
      });
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn btn-sm btn-outline-danger preview-remove";
      remove.textContent = gettext("Remove");
      remove.setAttribute("aria-label", "Remove photo " + (index + 1));
      remove.addEventListener("click", function () {
        photos.splice(index, 1);
        renderPhotos();
        saveDraft();
        form.querySelector(".photo-button").focus();
      });
      item.appendChild(img);
      item.appendChild(remove);
      previews.appendChild(item);
    });
    photoCount.textContent = photos.length
      ? interpolate(gettext("%(added)s of %(most)s photos added."),
        { added: photos.length, most: maxPhotos }, true) : "";
    form.querySelectorAll(".photo-input").forEach(function (input) {
      input.disabled = photos.length >= maxPhotos;
    });
    form.querySelectorAll(".photo-button").forEach(function (label) {
      label.classList.toggle("disabled", photos.length >= maxPhotos);
    });
  }

  function addFiles(files) {
    var room = maxPhotos - photos.length;
    var chosen = files.slice(0, Math.max(0, room));
    if (files.length > room) {
      photoCount.textContent = interpolate(gettext("Only %s photos fit in one observation."), [maxPhotos]);
    }
    pending = pending.then(function () {
      return Promise.all(chosen.map(function (file) {
        return Upload.shrink(file, maxSide, quality);
      }));
    }).then(function (shrunk) {
      shrunk.forEach(function (file) {
        if (photos.length < maxPhotos) {
          photos.push({ blob: file, name: file.name, lastModified: file.lastModified });
        }
      });
      renderPhotos();
      saveDraft();
    });
  }

  form.querySelectorAll(".photo-input").forEach(function (input) {
    input.addEventListener("change", function () {
      addFiles(Array.prototype.slice.call(input.files || []));
      // The next shot or pick adds to these rather than replacing them.
      input.value = "";
    });
  });

  // Kind follows feeling

  function checked(name) {
    var input = form.querySelector('input[name="' + name + '"]:checked');
    return input ? input.value : "";
  }

  function labelOf(name, value) {
    var input = form.querySelector('input[name="' + name + '"][value="' + value + '"]');
    var label = input && form.querySelector('label[for="' + input.id + '"]');
    return label ? label.textContent.trim() : "";
  }

  function followFeeling() {
    var feeling = form.querySelector('input[name="emotion"]:checked');
    if (!feeling || kindByHand) return describeKind();
    var tile = feeling.closest(".tile");
    var tone = ["good", "neutral", "bad"].filter(function (t) {
      return tile.classList.contains("feel-" + t);
    })[0];
    var kind = KIND_FOR_TONE[tone];
    form.querySelectorAll('input[name="kind"]').forEach(function (input) {
      input.checked = input.value === kind;
    });
    describeKind();
  }

  function describeKind() {
    var kind = checked("kind");
    if (kind) {
      kindNote.textContent = interpolate(kindByHand ? gettext("Kind: %s.")
        : gettext("Kind: %s, from the feeling. Change it under More detail."), [labelOf("kind", kind)]);
    } else if (checked("emotion")) {
      kindNote.textContent = gettext("Choose the kind under More detail: this feeling does not say.");
    } else {
      kindNote.textContent = "";
    }
  }

  form.querySelectorAll('input[name="emotion"]').forEach(function (input) {
    input.addEventListener("change", followFeeling);
  });
  // A re-visit asks about one touchpoint: choosing it taps that touchpoint too.
  form.querySelectorAll("input[data-touchpoint]").forEach(function (input) {
    input.addEventListener("change", function () {
      var touchpoint = form.querySelector('input[name="touchpoint"][value="' + input.dataset.touchpoint + '"]');
      if (input.checked && touchpoint) touchpoint.checked = true;
    });
  });
  form.querySelectorAll('input[name="kind"]').forEach(function (input) {
    input.addEventListener("change", function () {
      kindByHand = true;
      describeKind();
    });
  });

  // Drafts

  function fields() {
    var data = new FormData(form);
    var pairs = [];
    data.forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || name === "photos" || typeof value !== "string") return;
      pairs.push([name, value]);
    });
    return pairs;
  }

  function hasContent() {
    return photos.length > 0 || fields().some(function (pair) {
      return pair[0] !== "client_uuid" && pair[0] !== "intensity" && pair[1] !== "" &&
        !(pair[0] === "kind" && !kindByHand);
    });
  }

  function saveDraft() {
    clearTimeout(draftTimer);
    draftTimer = setTimeout(function () {
      if (!hasContent()) {
        Outbox.removeDraft(scope, sessionId);
        draftState.hidden = true;
        return;
      }
      Outbox.putDraft({
        scope: scope,
        sessionId: sessionId,
        fields: fields(),
        photos: photos.slice(),
        kindByHand: kindByHand,
        savedAt: Date.now()
      }).then(function () {
        draftState.hidden = false;
      }, function (error) {
        showStorageProblem(error);
      });
    }, 300);
  }

  function fill(pairs) {
    form.querySelectorAll('input[type="radio"]').forEach(function (input) { input.checked = false; });
    form.querySelectorAll("textarea").forEach(function (input) { input.value = ""; });
    pairs.forEach(function (pair) {
      var name = pair[0];
      var value = pair[1];
      var radio = form.querySelector('input[type="radio"][name="' + name + '"][value="' + value + '"]');
      if (radio) { radio.checked = true; return; }
      var field = form.elements[name];
      if (field && field.tagName) field.value = value;
    });
    var details = ["intensity", "quote", "kind", "impact", "journey_stage"];
    if (kindByHand || pairs.some(function (pair) {
      return details.indexOf(pair[0]) !== -1 && pair[1] && pair[0] !== "intensity" &&
        pair[0] !== "kind";
    })) moreDetail.open = true;
  }

  function reset() {
    form.reset();
    form.querySelectorAll('input[type="radio"]').forEach(function (input) {
      input.checked = input.defaultChecked;
    });
    photos = [];
    kindByHand = false;
    uuidInput.value = Outbox.uuid4();
    renderPhotos();
    describeKind();
    draftState.hidden = true;
  }

  document.getElementById("discard-draft").addEventListener("click", function () {
    Outbox.removeDraft(scope, sessionId).then(function () {
      reset();
      form.querySelector('input[name="touchpoint"]').focus();
    });
  });

  form.addEventListener("input", saveDraft);
  form.addEventListener("change", saveDraft);

  // Sending

  function setBusy(on, label) {
    busy = on;
    button.disabled = on;
    button.textContent = label || buttonText;
  }

  function clearErrors() {
    summary.hidden = true;
    summaryList.textContent = "";
    form.querySelectorAll(".field-error").forEach(function (el) { el.textContent = ""; });
    form.querySelectorAll(".is-invalid-group").forEach(function (el) {
      el.classList.remove("is-invalid-group");
    });
  }

  function showErrors(errors) {
    clearErrors();
    Object.keys(errors).forEach(function (field) {
      var messages = errors[field].map(function (e) { return e.message; });
      var slot = document.getElementById("err-" + field);
      if (slot) {
        slot.textContent = messages.join(" ");
        var group = slot.closest("fieldset");
        if (group) group.classList.add("is-invalid-group");
        if (moreDetail.contains(slot)) moreDetail.open = true;
      }
      messages.forEach(function (message) {
        var li = document.createElement("li");
        li.textContent = message;
        summaryList.appendChild(li);
      });
    });
    summary.hidden = false;
    summary.focus();
  }

  function showStorageProblem(error) {
    var full = error && (error.name === "QuotaExceededError" || /quota/i.test(error.message));
    storageWarning.textContent = full
      ? gettext("This phone has no room left to keep observations offline. Free some space, or save only with signal.")
      : interpolate(gettext("This phone would not keep the observation offline (%s)."), [error && error.name]);
    storageWarning.hidden = false;
  }

  function entryLabel() {
    var text = (form.elements.what_happened.value || "").trim();
    return [labelOf("touchpoint", checked("touchpoint")), labelOf("emotion", checked("emotion"))]
      .filter(Boolean).join(" · ") + (text ? ": " + text.slice(0, 80) : "");
  }

  function kept(waiting) {
    // An answered re-visit is not asked again on this page while it waits to upload.
    var answered = form.querySelector("input[data-touchpoint]:checked");
    if (answered) {
      var group = answered.closest("fieldset");
      answered.closest(".tile").remove();
      if (!group.querySelector("input[data-touchpoint]")) group.remove();
    }
    reset();
    Outbox.removeDraft(scope, sessionId);
    keptBanner.textContent = waiting > 1
      ? interpolate(gettext("Kept on this phone. It will upload when there is signal (%s waiting)."), [waiting])
      : gettext("Kept on this phone. It will upload when there is signal.");
    keptBanner.hidden = false;
    keptBanner.scrollIntoView({ block: "center" });
  }

  function flushWithProgress(key) {
    var offline = window.ImmersionOffline;
    var onProgress = function (entry, index, total, loaded, size) {
      if (entry.key !== key) return;
      var percent = Math.round((loaded / size) * 100);
      bar.value = percent;
      bar.textContent = percent + "%";
      statusLabel.textContent = percent < 100 ? gettext("Uploading…") + " " + percent + "%" : gettext("Saving…");
    };
    if (offline) return offline.flush(true, onProgress);
    return Outbox.flush({ force: true, onProgress: onProgress });
  }

  function afterSend(entry, report) {
    var result = report && report.results[entry.key];
    progress.hidden = true;
    setBusy(false);
    if (result && result.outcome === "saved") {
      Outbox.removeDraft(scope, sessionId).then(function () {
        window.location.assign(result.body.next);
      });
      return;
    }
    if (result && result.outcome === "refused" && result.body && result.body.errors) {
      // Refused at once: it goes back to the form to be fixed, not to the outbox.
      Outbox.remove(entry.key);
      saveDraft();
      showErrors(result.body.errors);
      return;
    }
    Outbox.list(scope).then(function (entries) {
      kept(Outbox.summary(entries).waiting);
      if (window.ImmersionOffline) window.ImmersionOffline.askForSync();
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) return;
    clearErrors();
    keptBanner.hidden = true;
    setBusy(true, gettext("Saving…"));
    progress.hidden = false;
    bar.value = 0;
    statusLabel.textContent = gettext("Keeping it on this phone…");
    var entry;
    pending.then(function () {
      entry = {
        key: uuidInput.value,
        scope: scope,
        type: "observation",
        url: form.getAttribute("action") || window.location.pathname,
        sessionId: sessionId,
        label: entryLabel(),
        fields: fields(),
        photos: photos.slice()
      };
      return Outbox.add(entry);
    }).then(function () {
      clearTimeout(draftTimer);
      statusLabel.textContent = gettext("Uploading…");
      return flushWithProgress(entry.key);
    }, function (error) {
      showStorageProblem(error);
      throw error;
    }).then(function (report) {
      afterSend(entry, report);
    }, function () {
      progress.hidden = true;
      setBusy(false);
    });
  });

  // Start-up: an observation to fix, or the draft, and whether the phone has room.

  function restore() {
    var fix = new URLSearchParams(window.location.search).get("fix");
    var source = fix ? Outbox.get(fix).then(function (entry) {
      if (!entry || entry.scope !== scope || entry.sessionId !== sessionId) return null;
      return { fields: entry.fields, photos: entry.photos, kindByHand: true, message: entry.message };
    }) : Outbox.getDraft(scope, sessionId);
    return source.then(function (saved) {
      if (!saved) {
        uuidInput.value = Outbox.uuid4();
        return;
      }
      kindByHand = !!saved.kindByHand;
      fill(saved.fields || []);
      photos = (saved.photos || []).slice();
      renderPhotos();
      describeKind();
      if (!(saved.fields || []).some(function (p) { return p[0] === "client_uuid"; })) {
        uuidInput.value = Outbox.uuid4();
      }
      if (fix) window.history.replaceState(null, "", window.location.pathname);
      if (saved.message) {
        showErrors({ __all__: [{ message: saved.message }] });
      } else {
        draftState.hidden = false;
      }
    });
  }

  function startedOnThisPhone() {
    if (!form.hidden) return Promise.resolve();
    return Outbox.list(scope).then(function (entries) {
      var queued = entries.some(function (entry) {
        return entry.type === "start" && entry.sessionId === sessionId;
      });
      if (!queued) return;
      form.hidden = false;
      var notice = document.getElementById("start-first");
      notice.querySelector("form").hidden = true;
      document.getElementById("start-first-text").textContent =
        gettext("Started on this phone. The start is sent before your observations when there is signal.");
    });
  }

  function checkSpace() {
    if (!navigator.storage) return;
    if (navigator.storage.persist) navigator.storage.persist().catch(function () { return false; });
    if (!navigator.storage.estimate) return;
    navigator.storage.estimate().then(function (estimate) {
      var free = (estimate.quota || 0) - (estimate.usage || 0);
      if (estimate.quota && free < LOW_SPACE) {
        storageWarning.textContent = interpolate(gettext("This phone has only %s MB left for this app: observations with photos may not fit while offline. Free some space before you start."), [Math.max(0, Math.floor(free / 1048576))]);
        storageWarning.hidden = false;
      }
    });
  }

  // "Kept on this phone" holds only while something waits; the header says the rest.
  function keptStillTrue() {
    if (keptBanner.hidden) return;
    Outbox.list(scope).then(function (entries) {
      if (!Outbox.summary(entries).waiting) keptBanner.hidden = true;
    });
  }
  window.addEventListener("outbox:changed", keptStillTrue);
  if (Outbox.channel) Outbox.channel.addEventListener("message", keptStillTrue);

  renderPhotos();
  checkSpace();
  Promise.all([restore(), startedOnThisPhone()]).then(function () {
    describeKind();
    form.dataset.ready = "true";
  });
})();
