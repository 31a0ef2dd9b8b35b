/* The DOM helper the widget page and the console share: h(tag, attrs, ...children).
 * attrs: "on" → event listeners, "text" → textContent, anything else an attribute (true → present,
 * null/undefined/false → absent). Children: nodes, strings or numbers (as text), arrays of them. */
window.mxDom = (function () {
  "use strict";

  function h(tag, attrs) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === "on") Object.keys(value).forEach(function (ev) { el.addEventListener(ev, value[ev]); });
      else if (key === "text") el.textContent = value;
      else el.setAttribute(key, value === true ? "" : String(value));
    });
    function add(child) {
      if (child === null || child === undefined || child === false) return;
      if (Array.isArray(child)) child.forEach(add);
      else el.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
    }
    for (var i = 2; i < arguments.length; i++) add(arguments[i]);
    return el;
  }

  return { h: h };
})();
