// Evidence photos for a finished action leave the phone as capture photos do: shrunk to
// 2048 px JPEG, with a progress bar, and a retry that sends the same photos again. The
// completion carries the action's version, so a retry after a lost answer cannot complete
// it twice: the server refuses the second and the page says why.
(function () {
  "use strict";
  var Upload = window.ImmersionUpload;
  if (!Upload || !window.FormData || !window.DOMParser) return;

  function enhance(form) {
    var input = form.querySelector('input[type="file"][name="photos"]');
    var button = form.querySelector('button[type="submit"]');
    var progress = form.querySelector(".upload-progress");
    var bar = progress.querySelector("progress");
    var statusLabel = progress.querySelector(".upload-status");
    var buttonText = button.textContent;
    var shrunk = Promise.resolve([]);
    var busy = false;

    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files || []);
      shrunk = Promise.all(files.map(function (file) { return Upload.shrink(file); }));
    });

    function setBusy(on, label) {
      busy = on;
      button.disabled = on;
      button.textContent = label || buttonText;
    }

    // A refusal comes back as this page with its errors: its form takes this one's place.
    function refused(html) {
      var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(form.id);
      if (!fresh) {
        statusLabel.textContent = "The server could not save it. Tap Retry upload.";
        progress.hidden = false;
        setBusy(false, "Retry upload");
        return;
      }
      var note = document.createElement("p");
      note.className = "alert alert-warning";
      note.textContent = "Nothing was saved. Choose any photos again before sending.";
      fresh.prepend(note);
      form.replaceWith(fresh);
      enhance(fresh);
      var summary = fresh.querySelector(".alert-danger") || note;
      summary.tabIndex = -1;
      summary.focus();
    }

    function send(files) {
      var data = new FormData(form);
      data.delete("photos");
      files.forEach(function (file) { data.append("photos", file, file.name); });
      Upload.post(form.action, data, {
        onProgress: function (loaded, total) {
          var percent = Math.round((loaded / total) * 100);
          bar.value = percent;
          bar.textContent = percent + "%";
          statusLabel.textContent = percent < 100 ? "Uploading… " + percent + "%" : "Saving…";
        }
      }).then(function (answer) {
        // Done answers with a redirect to the action, which the upload has followed. That
        // page carries the one-time "done" message, so it is shown as received rather than
        // fetched again without it.
        var moved = answer.url && new URL(answer.url).pathname !== new URL(form.action).pathname;
        if (answer.status === 200 && moved) {
          window.history.replaceState(null, "", answer.url);
          document.open();
          document.write(answer.text);
          document.close();
          return;
        }
        progress.hidden = true;
        setBusy(false);
        refused(answer.text || "");
      }, function () {
        statusLabel.textContent = "The upload did not get through. Check your signal and " +
          "tap Retry upload: it will not be done twice.";
        setBusy(false, "Retry upload");
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (busy) return;
      setBusy(true, "Sending…");
      progress.hidden = false;
      bar.value = 0;
      statusLabel.textContent = "Preparing photos…";
      shrunk.then(send, function () {
        statusLabel.textContent = "The photos could not be prepared. Choose them again.";
        setBusy(false);
      });
    });
  }

  var form = document.getElementById("complete-form");
  if (form) enhance(form);
})();
