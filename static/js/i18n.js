// English stand-ins for Django's JavaScript catalogue, for when it could not be loaded (or
// in the service worker, which has none): the pages must work in any case.
(function (global) {
  "use strict";
  if (!global.gettext) global.gettext = function (text) { return text; };
  if (!global.ngettext) {
    global.ngettext = function (one, many, count) { return count === 1 ? one : many; };
  }
  if (!global.interpolate) {
    global.interpolate = function (format, values, named) {
      if (named) {
        return format.replace(/%\((\w+)\)s/g, function (_match, name) { return String(values[name]); });
      }
      var rest = values.slice();
      return format.replace(/%s/g, function () { return String(rest.shift()); });
    };
  }
}(self));
