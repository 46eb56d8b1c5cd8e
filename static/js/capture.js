// The capture page, enhanced: photos shrunk on the phone before upload, a progress bar,
// no double submission, and a retry that sends the same observation (same client UUID)
// so a lost answer never makes a duplicate. Without this script the form posts as usual.
(function () {
  "use strict";
  var form = document.getElementById("capture-form");
  if (!form || !window.FormData || !window.XMLHttpRequest) return;

  var input = form.querySelector('input[type="file"][name="photos"]');
  var button = document.getElementById("capture-submit");
  var previews = document.getElementById("photo-previews");
  var progress = document.getElementById("upload-progress");
  var bar = document.getElementById("upload-bar");
  var statusLabel = document.getElementById("upload-status");
  var summary = document.getElementById("form-errors");
  var summaryList = document.getElementById("form-error-list");
  var maxSide = parseInt(form.dataset.maxSide, 10) || 2048;
  var quality = parseFloat(form.dataset.quality) || 0.85;
  var buttonText = button.textContent;
  var shrunk = null; // Promise of the files to send, made once per choice of photos.
  var busy = false;

  function jpegName(name) {
    return (name.replace(/\.[^.]*$/, "") || "photo") + ".jpg";
  }

  function shrink(file) {
    if (!window.createImageBitmap || !/^image\//.test(file.type)) return Promise.resolve(file);
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      bitmap.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          // Keep the original when the browser cannot do better (tiny or odd images).
          if (!blob || blob.size >= file.size) resolve(file);
          else resolve(new File([blob], jpegName(file.name), {
            type: "image/jpeg",
            lastModified: file.lastModified
          }));
        }, "image/jpeg", quality);
      });
    }).catch(function () {
      // A format this browser cannot draw (HEIC on some phones): the server checks it.
      return file;
    });
  }

  function showPreviews(files) {
    previews.textContent = "";
    files.forEach(function (file, index) {
      var img = document.createElement("img");
      img.alt = "Chosen photo " + (index + 1);
      img.src = URL.createObjectURL(file);
      img.addEventListener("load", function () { URL.revokeObjectURL(img.src); });
      img.addEventListener("error", function () {
        // Not something the browser can show: name it instead of a broken picture.
        var label = document.createElement("span");
        label.className = "preview-name";
        label.textContent = file.name;
        img.replaceWith(label);
      });
      previews.appendChild(img);
    });
  }

  input.addEventListener("change", function () {
    var files = Array.prototype.slice.call(input.files || []);
    showPreviews(files);
    shrunk = files.length ? Promise.all(files.map(shrink)) : null;
  });

  function setBusy(on, label) {
    busy = on;
    button.disabled = on;
    button.setAttribute("aria-disabled", on ? "true" : "false");
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

  function failed(message) {
    statusLabel.textContent = message;
    setBusy(false, "Retry upload");
  }

  function send(files) {
    var data = new FormData(form);
    data.delete("photos");
    files.forEach(function (file) {
      data.append("photos", file, file.name);
      // The canvas dropped the photo's EXIF; its file time stands in for when it was taken.
      data.append("photo_taken", String(file.lastModified));
    });
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("action") || window.location.pathname);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.timeout = 120000;
    xhr.upload.addEventListener("progress", function (event) {
      if (!event.lengthComputable) return;
      var percent = Math.round((event.loaded / event.total) * 100);
      bar.value = percent;
      bar.textContent = percent + "%";
      statusLabel.textContent = percent < 100 ? "Uploading… " + percent + "%" : "Saving…";
    });
    xhr.addEventListener("load", function () {
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
      if (xhr.status >= 200 && xhr.status < 300 && body && body.saved) {
        bar.value = 100;
        statusLabel.textContent = "Saved.";
        window.location.assign(body.next);
      } else if (body && body.errors) {
        progress.hidden = true;
        setBusy(false);
        showErrors(body.errors);
      } else {
        failed("The server could not save it (error " + xhr.status + "). Tap Retry upload: it will not be saved twice.");
      }
    });
    function lost() {
      failed("The upload did not get through. Check your signal and tap Retry upload: it will not be saved twice.");
    }
    xhr.addEventListener("error", lost);
    xhr.addEventListener("timeout", lost);
    xhr.send(data);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) return;
    setBusy(true, "Saving…");
    progress.hidden = false;
    bar.value = 0;
    statusLabel.textContent = shrunk ? "Preparing photos…" : "Uploading…";
    (shrunk || Promise.resolve([])).then(send, function () {
      failed("The photos could not be prepared. Choose them again.");
    });
  });
})();
