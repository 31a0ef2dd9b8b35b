/* mx-sandbox QA console: the shared parts (API calls, DOM helper, badges, views, tenant picker).
 * Plain JS, no build step. Each view lives in its own console-*.js and registers on `Console`.
 * Everything shown is set with textContent or attributes, never parsed as HTML.
 */
window.Console = (function () {
  "use strict";

  var boot = JSON.parse(document.getElementById("console-boot").textContent);
  var listeners = {};
  var C = { boot: boot, tenant: boot.client_id, auth: null };

  // ---- a tiny event bus: "timeline" (new events), "users" (the user list), "tenant" (switched) ----
  C.on = function (name, fn) { (listeners[name] = listeners[name] || []).push(fn); };
  C.emit = function (name, value) { (listeners[name] || []).forEach(function (fn) { fn(value); }); };

  // ---- the API: MX paths speak v20250224; /_sandbox/* needs no version ----
  C.api = function (method, path, body) {
    var headers = { "Accept": "application/json" };
    if (path.indexOf("/_sandbox/") !== 0) headers["Accept-Version"] = "v20250224";
    if (C.auth) headers["Authorization"] = C.auth;  // a tenant picked in the menu; else the browser's sign-in
    var init = { method: method, headers: headers, credentials: "same-origin" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    // location.origin, not a relative URL: a page opened as http://id:key@host/ has those credentials in
    // its base URL, and fetch refuses URLs with credentials.
    return fetch(location.origin + path, init).then(function (r) {
      if (r.status === 204) return null;
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (!r.ok) {
          var err = new Error((data.error && data.error.message) || ("HTTP " + r.status));
          err.status = r.status;
          throw err;
        }
        return data;
      });
    });
  };

  C.enc = encodeURIComponent;

  // ---- DOM ----
  C.h = window.mxDom.h;  // dom.js, shared with the widget page

  C.clear = function (el) { while (el.firstChild) el.removeChild(el.firstChild); return el; };

  C.button = function (label, onClick, attrs) {
    return C.h("button", Object.assign({ type: "button", on: { click: onClick } }, attrs || {}), label);
  };

  C.short = function (guid) { return guid ? String(guid).replace(/^([A-Z]{3,4}-[0-9a-f]{8})-[0-9a-f-]{27}$/, "$1…") : ""; };

  C.shortAll = function (text) { return String(text).replace(/\b([A-Z]{3,4}-[0-9a-f]{8})-[0-9a-f-]{27}\b/g, "$1…"); };

  C.time = function (iso) { return iso ? String(iso).replace("T", " ").replace(/(\.\d+)?Z$/, "") : "—"; };

  var TONES = { CONNECTED: "ok", CREATED: "info", RESUMED: "info", RECONNECTED: "info", UPDATED: "info", PENDING: "info",
    CHALLENGED: "warn", DEGRADED: "warn", DELAYED: "warn", EXPIRED: "warn", IMPAIRED: "warn",
    DENIED: "bad", PREVENTED: "bad", REJECTED: "bad", LOCKED: "bad", FAILED: "bad", IMPEDED: "bad",
    DISCONNECTED: "bad", DISCONTINUED: "bad", CLOSED: "bad", DISABLED: "bad" };

  C.badge = function (status, aggregating) {
    var label = (status || "none") + (aggregating ? ", aggregating" : "");
    return C.h("span", { "class": "badge", "data-tone": TONES[status] || "", "data-status": status || "",
      "aria-label": "Status " + label, title: label },
      aggregating ? C.h("span", { "class": "spinner", "aria-hidden": "true" }) : null, status || "—");
  };

  var noticeEl = document.getElementById("notice");
  C.notice = function (message, isError) {
    noticeEl.textContent = message || "";
    noticeEl.className = "notice" + (isError ? " error" : "");
  };
  C.fail = function (err) { C.notice(err.message || String(err), true); };

  // ---- views: #members, #widget, #scenarios ----
  var tabs = Array.prototype.slice.call(document.querySelectorAll(".tabs a"));
  C.show = function (name) {
    if (!document.getElementById(name)) name = "members";
    tabs.forEach(function (tab) {
      var on = tab.getAttribute("data-view") === name;
      if (on) tab.setAttribute("aria-current", "page"); else tab.removeAttribute("aria-current");
      document.getElementById(tab.getAttribute("data-view")).hidden = !on;
    });
    if (location.hash !== "#" + name) history.replaceState(null, "", "#" + name);
  };
  window.addEventListener("hashchange", function () { C.show(location.hash.slice(1)); });
  tabs.forEach(function (tab) {
    tab.addEventListener("click", function (e) { e.preventDefault(); C.show(tab.getAttribute("data-view")); });
  });

  // ---- tenant picker: every tenant only when any key is accepted; else just the signed-in one ----
  var picker = document.getElementById("tenant-picker");
  function loadTenants() {
    C.api("GET", "/_sandbox/console/tenants").then(function (data) {
      var names = data.tenants.indexOf(C.tenant) < 0 ? [C.tenant].concat(data.tenants) : data.tenants;
      C.clear(picker);
      names.forEach(function (name) { picker.appendChild(C.h("option", { value: name, selected: name === C.tenant }, name)); });
      picker.disabled = !data.picker;
    }).catch(C.fail);
  }
  picker.addEventListener("focus", function () { if (!picker.disabled) loadTenants(); });
  picker.addEventListener("change", function () {
    C.tenant = picker.value;
    // Any api_key is accepted when the picker is on (no --credentials); the signed-in tenant keeps the browser's.
    C.auth = C.tenant === boot.client_id ? null : "Basic " + btoa(unescape(C.enc(C.tenant + ":console")));
    C.notice("Showing tenant " + C.tenant + ".");
    C.emit("tenant", C.tenant);
  });

  C.start = function () {
    loadTenants();
    C.show(location.hash.slice(1) || "members");
    C.emit("tenant", C.tenant);
  };
  document.addEventListener("DOMContentLoaded", C.start);  // after every view's script has registered
  return C;
})();
