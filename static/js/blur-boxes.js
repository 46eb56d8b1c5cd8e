// Boxes to blur, drawn by dragging across the photo (finger, pen or mouse). The boxes live
// in the form's text field, in pixels of the original photo, so the same form works
// without this script and a keyboard user can type or correct them there; this script
// only draws them over the preview and writes what is dragged into the field. "Preview"
// then asks the server for the blurred copy: what is published is made the same way.
(function () {
  "use strict";
  var MIN_SIDE = 8; // pixels of the original, as the server checks
  var MAX_BOXES = 30;

  function parse(text) {
    if (!text.trim()) return [];
    try {
      var value = JSON.parse(text);
      return Array.isArray(value) ? value : null;
    } catch (error) {
      return null;
    }
  }

  function enhance(editor) {
    var field = document.getElementById(editor.dataset.boxesField);
    var stage = editor.querySelector(".blur-stage");
    if (!field || !stage) return;
    var width = Number(editor.dataset.width);
    var height = Number(editor.dataset.height);
    var detected = parse(editor.dataset.detected || "") || [];
    var drawn = parse(field.value) || [];

    var layer = document.createElement("div");
    layer.className = "blur-layer";
    layer.setAttribute("aria-hidden", "true");
    stage.appendChild(layer);

    var tools = document.createElement("div");
    tools.className = "d-flex flex-wrap gap-2 mt-2";
    var undo = button("Undo the last box");
    var clear = button("Clear the boxes drawn");
    tools.appendChild(undo);
    tools.appendChild(clear);
    var status = document.createElement("p");
    status.className = "small mt-1 mb-0";
    status.setAttribute("role", "status");
    editor.appendChild(tools);
    editor.appendChild(status);

    function button(label) {
      var made = document.createElement("button");
      made.type = "button";
      made.className = "btn btn-outline-secondary btn-sm";
      made.textContent = label;
      return made;
    }

    function place(element, box) {
      element.style.left = (box[0] / width) * 100 + "%";
      element.style.top = (box[1] / height) * 100 + "%";
      element.style.width = (box[2] / width) * 100 + "%";
      element.style.height = (box[3] / height) * 100 + "%";
    }

    function outline(box, kind) {
      var element = document.createElement("div");
      element.className = "blur-box blur-box-" + kind;
      place(element, box);
      layer.appendChild(element);
      return element;
    }

    function draw() {
      layer.textContent = "";
      detected.forEach(function (box) { outline(box, "detected"); });
      drawn.forEach(function (box) { outline(box, "drawn"); });
      undo.disabled = clear.disabled = drawn.length === 0;
    }

    function save(message) {
      field.value = drawn.length ? JSON.stringify(drawn) : "";
      draw();
      status.textContent = message;
    }

    function point(event) {
      var rect = layer.getBoundingClientRect();
      var x = ((event.clientX - rect.left) / rect.width) * width;
      var y = ((event.clientY - rect.top) / rect.height) * height;
      return [Math.min(Math.max(x, 0), width), Math.min(Math.max(y, 0), height)];
    }

    function boxBetween(a, b) {
      var left = Math.round(Math.min(a[0], b[0]));
      var top = Math.round(Math.min(a[1], b[1]));
      var right = Math.round(Math.max(a[0], b[0]));
      var bottom = Math.round(Math.max(a[1], b[1]));
      return [left, top, right - left, bottom - top];
    }

    var start = null;
    var pending = null;
    layer.addEventListener("pointerdown", function (event) {
      if (event.button !== 0 || drawn.length >= MAX_BOXES) return;
      event.preventDefault();
      layer.setPointerCapture(event.pointerId);
      start = point(event);
      pending = outline(boxBetween(start, start), "drawn");
    });
    layer.addEventListener("pointermove", function (event) {
      if (!start) return;
      place(pending, boxBetween(start, point(event)));
    });
    function finish(event) {
      if (!start) return;
      var box = boxBetween(start, point(event));
      start = null;
      if (box[2] >= MIN_SIDE && box[3] >= MIN_SIDE) {
        drawn.push(box);
        save("Box " + drawn.length + " added. Press Preview to see it blurred.");
      } else {
        draw();
      }
    }
    layer.addEventListener("pointerup", finish);
    layer.addEventListener("pointercancel", function () {
      start = null;
      draw();
    });

    undo.addEventListener("click", function () {
      drawn.pop();
      save("Last box removed. Press Preview to see the change.");
    });
    clear.addEventListener("click", function () {
      drawn = [];
      save("Boxes drawn cleared. Press Preview to see the change.");
    });
    // Typed boxes are drawn as soon as they read as a list; the server checks them all.
    field.addEventListener("input", function () {
      var typed = parse(field.value);
      if (typed) {
        drawn = typed.filter(function (box) { return Array.isArray(box) && box.length === 4; });
        draw();
      }
    });
    draw();
  }

  document.querySelectorAll(".blur-editor").forEach(enhance);
})();
