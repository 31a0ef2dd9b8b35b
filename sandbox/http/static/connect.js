/* mx-sandbox Connect widget page. Plain JS, no build step.
 *
 * The server owns the session and its events; this page only renders the session's current step,
 * sends the user's actions, and delivers each event the server returns exactly once:
 * browser mode → window.parent.postMessage(obj, "*") (and window.opener), as an object;
 * WebView mode → navigate to <scheme>://connect/<event>?metadata=<encodeURIComponent(JSON)>.
 * Everything shown is set with textContent or attributes, never parsed as HTML.
 */
(function () {
  "use strict";

  var boot = JSON.parse(document.getElementById("mx-boot").textContent);
  var root = document.getElementById("app");
  var view = boot.session;
  var cursor = 0;
  var queue = Promise.resolve();
  var pollTimer = null;
  var navQueue = [];
  var navigating = false;

  // ---- event delivery ----------------------------------------------------------------------
  function webviewUrl(evt) {
    var scheme = view.config.ui_message_webview_url_scheme;
    var name = evt.type.replace(/^mx\//, "");
    return scheme + "://" + name + "?metadata=" + encodeURIComponent(JSON.stringify(evt.metadata));
  }

  function drainNavigation() {
    if (navigating || !navQueue.length) return;
    navigating = true;
    window.location.href = navQueue.shift();
    setTimeout(function () { navigating = false; drainNavigation(); }, 40);
  }

  function deliver(events) {
    events.forEach(function (evt) {
      if (evt.seq <= cursor) return;
      cursor = evt.seq;
      var message = { mx: true, type: evt.type, metadata: evt.metadata };
      if (view.config.is_mobile_webview) {
        navQueue.push(webviewUrl(evt));
        drainNavigation();
        return;
      }
      if (window.parent && window.parent !== window) window.parent.postMessage(message, "*");
      if (window.opener) window.opener.postMessage(message, "*");
    });
  }

  // ---- talking to the session --------------------------------------------------------------
  function call(method, path, body) {
    var init = { method: method, headers: { "Accept": "application/json" } };
    if (body) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(boot.api + path, init).then(function (r) {
      return r.json().then(function (data) {
        if (!r.ok) throw new Error((data.error && data.error.message) || "Something went wrong.");
        return data;
      });
    });
  }

  function accept(data, rerender) {
    var mdStatus = function (v) { return v.microdeposit ? v.microdeposit.status : ""; };
    var stepChanged = data.widget_session.step !== view.step || mdStatus(data.widget_session) !== mdStatus(view);
    view = data.widget_session;
    deliver(data.events);
    if (stepChanged || rerender) render();
    else refreshStatus();
    schedulePoll();
  }

  // Actions run one after another, in the order the user made them.
  function act(action, extra) {
    var quiet = action.action === "ping";
    function send() {
      return call("POST", "/actions", Object.assign({}, action, { since: cursor }))
        .then(function (data) { accept(data, !quiet && !(extra && extra.keep)); })
        .catch(function (err) { showError(err.message); });
    }
    queue = queue.then(send, send);
    return queue;
  }

  function poll() {
    pollTimer = null;
    call("GET", "?since=" + cursor).then(function (data) { accept(data, false); })
      .catch(function () { schedulePoll(); });
  }

  function schedulePoll() {
    var md = view.microdeposit;
    var waiting = view.step === "connecting" || (view.step === "oauth" && view.member) ||
      (view.step === "microdeposits" && md && (md.status === "INITIATED" || md.status === "REQUESTED"));
    if (waiting && !pollTimer) pollTimer = setTimeout(poll, boot.poll_ms);
  }

  // ---- DOM helpers -------------------------------------------------------------------------
  var h = window.mxDom.h;  // dom.js

  function button(label, onClick, kind) {
    return h("button", { type: "button", "class": "btn " + (kind || "primary"), on: { click: onClick } }, label);
  }

  function heading(text) {
    return h("h1", { tabindex: "-1", id: "step-heading" }, text);
  }

  function errorBox(message) {
    return h("p", { "class": "error", role: "alert", id: "step-error" }, message || "");
  }

  function showError(message) {
    var box = document.getElementById("step-error");
    if (box) box.textContent = message;
  }

  function safeImage(src, alt) {
    return /^data:image\/(png|jpeg|gif|webp);base64,/.test(src || "") ? h("img", { src: src, alt: alt }) : null;
  }

  function institutionLine(inst) {
    var initials = (inst.name || "?").replace(/[^A-Za-z0-9]/g, "").slice(0, 2).toUpperCase();
    return h("span", { "class": "inst" }, h("span", { "class": "logo", "aria-hidden": "true" }, initials),
      h("span", { "class": "inst-text" }, h("strong", null, inst.name), h("small", null, inst.url)));
  }

  function backLink() {
    return button("Back", function () { act({ action: "back_to_search" }); }, "link");
  }

  // ---- steps -------------------------------------------------------------------------------
  var searchTimer = null;

  function results() {
    var list = h("ul", { "class": "results", id: "results", "aria-label": "Institutions" });
    (view.institutions || []).forEach(function (inst) {
      list.appendChild(h("li", null, h("button", {
        type: "button", "class": "result", "data-code": inst.code,
        on: { click: function () { act({ action: "select_institution", code: inst.code }); } }
      }, institutionLine(inst))));
    });
    var box = h("div", { id: "results-box" });
    if (view.query) box.appendChild(h("p", { "class": "muted", id: "results-for" }, "Results for “" + view.query + "”"));
    box.appendChild(view.institutions && view.institutions.length ? list : h("p", { "class": "muted" }, "No institutions match your search."));
    return box;
  }

  function searchStep() {
    var input = h("input", { type: "search", id: "search", name: "query", value: view.query,
      "aria-label": "Search for your institution", placeholder: "Search", autocomplete: "off" });
    function run() {
      act({ action: "search", query: input.value }, { keep: true }).then(function () {
        var old = document.getElementById("results-box");
        if (old) old.replaceWith(results());
      });
    }
    input.addEventListener("input", function () {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(run, 300);
    });
    var form = h("form", { role: "search", on: { submit: function (e) { e.preventDefault(); clearTimeout(searchTimer); run(); } } },
      input, h("button", { type: "submit", "class": "btn secondary" }, "Search"));
    var parts = [heading("Select your institution"), form, errorBox(), results()];
    if (view.config.products.indexOf("account_verification") >= 0) parts.push(button(
      "Connect with account and routing numbers", function () { act({ action: "microdeposits" }); }, "link"));
    return parts;
  }

  function credentialsStep() {
    var inst = view.institution;
    var fields = inst.credentials.map(function (c) {
      var id = "cred-" + c.guid;
      return h("div", { "class": "field" }, h("label", { "for": id }, c.label),
        h("input", { id: id, name: c.guid, type: c.field_type === "PASSWORD" ? "password" : "text",
          required: true, autocomplete: "off", "data-guid": c.guid }));
    });
    var form = h("form", { on: { submit: function (e) {
      e.preventDefault();
      var creds = inst.credentials.map(function (c) {
        return { guid: c.guid, value: document.getElementById("cred-" + c.guid).value };
      });
      act({ action: "submit_credentials", credentials: creds });
    } } });
    fields.forEach(function (f) { form.appendChild(f); });
    form.appendChild(h("button", { type: "submit", "class": "btn primary" }, "Continue"));
    return [institutionLine(inst), heading(view.updating_credentials ? "Update your credentials" : "Enter your credentials"),
      errorBox(view.error), form, backLink()];
  }

  function connectingStep() {
    var name = view.institution ? view.institution.name : "your institution";
    return [h("div", { "class": "spinner", "aria-hidden": "true" }), heading("Connecting to " + name),
      h("p", { "class": "muted", id: "status", role: "status" }, statusText())];
  }

  function statusText() {
    return view.member && view.member.connection_status_message ? view.member.connection_status_message : "Please wait…";
  }

  function refreshStatus() {
    var status = document.getElementById("status");
    if (status) status.textContent = statusText();
  }

  function challengeField(ch) {
    var id = "mfa-" + ch.guid;
    if (ch.type === "OPTIONS" || ch.type === "IMAGE_OPTIONS") {
      var set = h("fieldset", { "class": "field choices", "data-guid": ch.guid }, h("legend", null, ch.label));
      (ch.type === "OPTIONS" ? ch.options : ch.image_options).forEach(function (opt, i) {
        var optId = id + "-" + i;
        set.appendChild(h("div", { "class": "choice" },
          h("input", { type: "radio", id: optId, name: id, value: opt.value, required: true }),
          h("label", { "for": optId }, safeImage(opt.data_uri, opt.label), ch.type === "OPTIONS" ? opt.label : null)));
      });
      return set;
    }
    return h("div", { "class": "field" }, safeImage(ch.image_data, "Challenge image"),
      h("label", { "for": id }, ch.label),
      h("input", { id: id, type: "text", required: true, autocomplete: "one-time-code", "data-guid": ch.guid }));
  }

  function mfaStep() {
    var form = h("form", { on: { submit: function (e) {
      e.preventDefault();
      var answers = view.challenges.map(function (ch) {
        var picked = form.querySelector('input[name="mfa-' + ch.guid + '"]:checked');
        var typed = document.getElementById("mfa-" + ch.guid);
        return { guid: ch.guid, value: picked ? picked.value : (typed ? typed.value : "") };
      });
      act({ action: "answer_mfa", challenges: answers });
    } } });
    view.challenges.forEach(function (ch) { form.appendChild(challengeField(ch)); });
    form.appendChild(h("button", { type: "submit", "class": "btn primary" }, "Continue"));
    return [institutionLine(view.institution), heading("Verify your identity"), errorBox(view.error), form, backLink()];
  }

  function oauthStep() {
    var inst = view.institution;
    var requested = view.oauth_requested;
    var parts = [institutionLine(inst), heading("Sign in with " + inst.name),
      h("p", null, "You will be sent to " + inst.name + " to sign in and share your data securely."), errorBox(view.error)];
    if (!requested) parts.push(button("Go to " + inst.name, function () {
      // Browser referral: the widget opens the bank itself (a WebView host opens it on oauthRequested).
      var uri = view.member && view.member.oauth_window_uri;
      if (!view.config.is_mobile_webview && view.config.oauth_referral_source === "BROWSER" && /^https?:\/\//.test(uri || "")) {
        window.open(uri, "_blank");  // with an opener, so the bank's completion page can message back
      }
      act({ action: "oauth" });
    }));
    parts.push(h("div", { "class": "sandbox-note" },
      h("p", null, "Sandbox: choose what the user does at the bank."),
      button("Authorize", function () { act({ action: "oauth", decision: "authorize" }); }, "secondary"),
      button("Deny", function () { act({ action: "oauth", decision: "deny" }); }, "secondary"),
      button("Cancel", function () { act({ action: "oauth", decision: "cancel" }); }, "secondary")));
    parts.push(backLink());
    return parts;
  }

  // Microdeposits: the form, then (status by status) waiting, the amounts form, or the outcome.
  function labelled(id, label, input) {
    input.id = id;
    return h("div", { "class": "field" }, h("label", { "for": id }, label), input);
  }

  function detailsForm() {
    var fields = [["md-routing_number", "Routing number", "routing_number"], ["md-account_number", "Account number", "account_number"],
      ["md-first_name", "First name", "first_name"], ["md-last_name", "Last name", "last_name"], ["md-email", "Email", "email"]];
    var type = h("select", { name: "account_type" }, h("option", { value: "CHECKING" }, "Checking"), h("option", { value: "SAVINGS" }, "Savings"));
    var form = h("form", { on: { submit: function (e) {
      e.preventDefault();
      var details = { account_type: type.value };
      fields.forEach(function (f) { details[f[2]] = document.getElementById(f[0]).value.trim(); });
      // keep what was typed when the server answers with an error (e.g. a blocked routing number)
      act({ action: "microdeposits", details: details }, { keep: true }).then(function () { showError(view.error || ""); });
    } } }, labelled("md-account_type", "Account type", type));
    fields.forEach(function (f) {
      form.appendChild(labelled(f[0], f[1], h("input", { type: f[2] === "email" ? "email" : "text", required: true, autocomplete: "off" })));
    });
    form.appendChild(h("button", { type: "submit", "class": "btn primary" }, "Continue"));
    return form;
  }

  function amountsForm() {
    var form = h("form", { on: { submit: function (e) {
      e.preventDefault();
      var amounts = ["md-amount-1", "md-amount-2"].map(function (id) { return parseFloat(document.getElementById(id).value); });
      act({ action: "verify_microdeposits", amounts: amounts }, { keep: true }).then(function () { showError(view.error || ""); });
    } } });
    [["md-amount-1", "First amount"], ["md-amount-2", "Second amount"]].forEach(function (f) {
      form.appendChild(labelled(f[0], f[1], h("input", { type: "number", step: "0.01", min: "0.01", max: "0.99", required: true })));
    });
    form.appendChild(h("button", { type: "submit", "class": "btn primary" }, "Verify"));
    return form;
  }

  function microdepositsStep() {
    var md = view.microdeposit;
    var status = md ? md.status : "PREINITIATED";
    var texts = {
      INITIATED: "Two small deposits are on their way to the account ending " + (md && md.account_number_last4) + ". Come back when they arrive.",
      REQUESTED: "Two small deposits are on their way to the account ending " + (md && md.account_number_last4) + ". Come back when they arrive.",
      DEPOSITED: "Enter the two amounts deposited into your account.",
      VERIFIED: "Your account is verified.",
      ERRORED: (md && md.error_message) || "The deposits could not be sent.",
      PREVENTED: (md && md.error_message) || "This account can no longer be verified."
    };
    var parts = [heading(status === "PREINITIATED" ? "Enter your account details" : "Verify with microdeposits"),
      h("p", { id: "md-status", "data-status": status }, texts[status] || "Enter your routing and account numbers."),
      errorBox(view.error)];
    if (status === "PREINITIATED") parts.push(detailsForm());
    if (status === "DEPOSITED") parts.push(amountsForm());
    if (!view.config.disable_institution_search) parts.push(backLink());
    return parts;
  }

  function endStep(title, text, primaryLabel, ok) {
    var parts = [h("div", { "class": ok ? "badge ok" : "badge bad", "aria-hidden": "true" }, ok ? "✓" : "!"),
      heading(title), h("p", null, text), errorBox()];
    parts.push(button(primaryLabel, function () { act({ action: "primary_action" }); }));
    if (!ok && !view.config.disable_institution_search) parts.push(backLink());
    return parts;
  }

  function render() {
    var name = view.institution ? view.institution.name : "your institution";
    var steps = {
      search: searchStep,
      enterCreds: credentialsStep,
      connecting: connectingStep,
      mfa: mfaStep,
      oauth: oauthStep,
      microdeposits: microdepositsStep,
      connected: function () { return endStep("Connected", "You have successfully connected to " + name + ".", "Done", true); },
      loginError: function () { return endStep("Check your credentials", view.error || "We could not sign in.", "Try again", false); },
      actionableError: function () { return endStep("Something went wrong", view.error || "We could not connect.", "Start over", false); },
      oauthError: function () { return endStep("Authorization failed", view.error || "Access was not granted.", "Try again", false); },
      verifyError: function () { return endStep("No eligible accounts", view.error || "Nothing to verify.", "Start over", false); },
      deleteMemberSuccess: function () { return endStep("Connection removed", "Your connection to " + name + " was removed.", "Done", true); }
    };
    var make = steps[view.step] || function () { return [heading("Connect"), h("p", null, "Step: " + view.step)]; };
    while (root.firstChild) root.removeChild(root.firstChild);
    root.setAttribute("data-step", view.step);
    make().forEach(function (node) { if (node) root.appendChild(node); });
    var focus = root.querySelector("input:not([type=radio]), input[type=radio]") || document.getElementById("step-heading");
    if (focus) focus.focus();
  }

  // ---- start -------------------------------------------------------------------------------
  // The OAuth completion page posts oauthComplete/* to its opener (this page): look at once.
  window.addEventListener("message", function (e) {
    var type = e.data && e.data.mx && String(e.data.type || "");
    if (type && type.indexOf("oauthComplete/") === 0 && !pollTimer) poll();
  });
  render();
  deliver(boot.events);
  schedulePoll();
  setInterval(function () { act({ action: "ping" }); }, boot.ping_ms);
})();
