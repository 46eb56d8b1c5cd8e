// `make css`'s second step: keep only the Bootstrap rules that something of ours can put
// on a page. The inputs are listed in purge.json, which the unit tests check against the
// template folders Django reads; VENV_PYTHON is the project's interpreter, which knows
// where the form template packs are installed.
"use strict";

const { execFileSync } = require("node:child_process");
const path = require("node:path");
const inputs = require("./purge.json");

const root = path.resolve(__dirname, "..", "..");

function packageTemplates(name) {
  const python = process.env.VENV_PYTHON;
  if (!python) throw new Error("VENV_PYTHON must name the project's Python (make css sets it)");
  const code = `import importlib, pathlib; print(pathlib.Path(importlib.import_module("${name}").__file__).parent / "templates")`;
  const folder = execFileSync(python, ["-c", code], { encoding: "utf8" }).trim();
  return path.join(folder, "**", "*.html");
}

module.exports = {
  content: [
    ...inputs.content.map((glob) => path.join(root, glob)),
    ...inputs.template_packages.map(packageTemplates),
  ],
  // Classes put on elements at run time (menus.js, a closing message's fade) or built from
  // data in a template ("alert-" and a message's level): kept even where no file names them.
  safelist: inputs.safelist,
  keyframes: true,
  fontFace: true,
};
