// Photos shrunk on the phone and forms posted with upload progress: shared by the capture
// page, the outbox and an action's evidence, so every photo leaves the phone the same way.
(function (global) {
  "use strict";

  var MAX_SIDE = 2048;
  var QUALITY = 0.85;

  function jpegName(name) {
    return (String(name || "").replace(/\.[^.]*$/, "") || "photo") + ".jpg";
  }

  // A JPEG no longer than maxSide on its longest side, or the file itself when the browser
  // cannot draw it (HEIC on some phones: the server checks it) or cannot make it smaller.
  function shrink(file, maxSide, quality) {
    maxSide = maxSide || MAX_SIDE;
    quality = quality || QUALITY;
    if (!global.createImageBitmap || !/^image\//.test(file.type)) return Promise.resolve(file);
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      bitmap.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) resolve(file);
          else resolve(new File([blob], jpegName(file.name), {
            type: "image/jpeg",
            lastModified: file.lastModified
          }));
        }, "image/jpeg", quality);
      });
    }).catch(function () {
      return file;
    });
  }

  function parse(text) {
    try { return JSON.parse(text); } catch (e) { return null; }
  }

  // POST a FormData, asking for JSON. Resolves with {status, body (the JSON, if it was),
  // text, url (after redirects)} whatever the status;
  // rejects only when no answer came (no signal, timeout), which says nothing about whether
  // the server stored it.
  function post(url, data, options) {
    options = options || {};
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      xhr.setRequestHeader("Accept", "application/json");
      Object.keys(options.headers || {}).forEach(function (name) {
        xhr.setRequestHeader(name, options.headers[name]);
      });
      xhr.timeout = options.timeout || 120000;
      if (options.onProgress) {
        xhr.upload.addEventListener("progress", function (event) {
          if (event.lengthComputable) options.onProgress(event.loaded, event.total);
        });
      }
      xhr.addEventListener("load", function () {
        resolve({
          status: xhr.status, body: parse(xhr.responseText), text: xhr.responseText,
          url: xhr.responseURL
        });
      });
      function lost(event) {
        reject(new Error(event.type === "timeout" ? "timeout" : "network"));
      }
      xhr.addEventListener("error", lost);
      xhr.addEventListener("timeout", lost);
      xhr.addEventListener("abort", lost);
      xhr.send(data);
    });
  }

  // Every message of a Django form's get_json_data(), the whole form's first.
  function errorMessages(body) {
    var errors = (body && body.errors) || {};
    var names = Object.keys(errors).sort(function (a, b) {
      return (a === "__all__" ? 0 : 1) - (b === "__all__" ? 0 : 1);
    });
    var messages = [];
    names.forEach(function (name) {
      (errors[name] || []).forEach(function (error) { messages.push(error.message); });
    });
    return messages;
  }

  global.ImmersionUpload = {
    shrink: shrink,
    post: post,
    errorMessages: errorMessages,
    jpegName: jpegName
  };
})(self);
