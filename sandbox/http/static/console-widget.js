/* Widget host: mint a Connect widget URL with the chosen options and embed it as a partner's page
 * would. Browser mode: the widget's postMessage events land in the side panel as MX's web SDK hands
 * them over. WebView mode: a browser cannot catch the iframe's mx:// navigations, so the panel shows
 * the URLs a native SDK would intercept, read from the timeline. */
(function (C) {
  "use strict";

  var form = document.getElementById("widget-form");
  var userSelect = document.getElementById("widget-user");
  var productsBox = document.getElementById("widget-products");
  var frameBox = document.getElementById("widget-frame-box");
  var panel = document.getElementById("widget-events");
  var memberInput = document.getElementById("widget-member");
  var frame = null;
  var origin = null;
  var webview = null;  // {user_guid, after seq} while a WebView-mode widget is open

  C.boot.products.forEach(function (p) {
    var id = "product-" + p;
    productsBox.appendChild(C.h("span", null, C.h("input", { type: "checkbox", id: id, value: p, checked: p === "transactions" }),
      C.h("label", { "for": id }, p)));
  });

  function fillUsers(users) {
    var keep = userSelect.value;
    C.clear(userSelect);
    users.forEach(function (u) {
      userSelect.appendChild(C.h("option", { value: u.guid, selected: u.guid === keep }, (u.id ? u.id + " · " : "") + C.short(u.guid)));
    });
  }

  function show(type, metadata, note) {
    var text = C.shortAll(JSON.stringify(metadata || {}));
    panel.appendChild(C.h("li", { "data-type": type },
      C.h("span", { "class": "at" }, String(panel.children.length + 1)),
      C.h("span", { "class": "what" }, C.h("strong", null, type), note ? " " + note : "", C.h("br"), C.h("code", null, text))));
    panel.scrollTop = panel.scrollHeight;
  }

  window.addEventListener("message", function (e) {
    if (!frame || e.source !== frame.contentWindow || e.origin !== origin) return;
    var data = e.data;
    if (!data || data.mx !== true || typeof data.type !== "string") return;
    show(data.type, data.metadata);
  });

  C.on("timeline", function (events) {
    if (!webview) return;
    events.forEach(function (e) {
      if (e.kind === "widget" && e.seq > webview.after && e.data.webview_url && e.data.user_guid === webview.user) {
        show(e.type, e.data.message && e.data.message.metadata, "← " + e.data.webview_url.split("?")[0]);
      }
    });
  });

  function mint() {
    var user = userSelect.value;
    if (!user) { C.notice("Create a user first.", true); return; }
    var products = Array.prototype.filter.call(productsBox.querySelectorAll("input"), function (i) { return i.checked; })
      .map(function (i) { return i.value; });
    var isWebview = document.getElementById("widget-webview").checked;
    var body = { widget_type: "connect_widget", mode: document.getElementById("widget-mode").value,
      color_scheme: document.getElementById("widget-scheme").value, is_mobile_webview: isWebview,
      data_request: { products: products.length ? products : ["transactions"] } };
    if (isWebview) body.ui_message_webview_url_scheme = "mx";
    if (memberInput.value) body.current_member_guid = memberInput.value;
    memberInput.value = "";
    return C.api("GET", "/_sandbox/events?limit=1").then(function (cur) {
      return C.api("POST", "/users/" + C.enc(user) + "/widget_urls", { widget_url: body }).then(function (d) {
        embed(d.widget_url.url, isWebview ? { user: user, after: cur.cursor } : null);
      });
    }).catch(C.fail);
  }

  function embed(url, webviewWatch) {
    origin = new URL(url, location.href).origin;
    webview = webviewWatch;
    C.clear(panel);
    // WebView mode: a sandboxed frame may not launch mx:// (Chromium blocks external protocols from
    // sandboxed frames), so the widget stays on screen while its navigations are recorded.
    frame = C.h("iframe", { src: url, title: "Connect widget", id: "widget-frame",
      sandbox: webviewWatch ? "allow-scripts allow-same-origin allow-forms" : null });
    C.clear(frameBox).appendChild(frame);
    C.notice("Widget opened" + (webviewWatch ? " in WebView mode." : "."));
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); mint(); });
  C.on("users", fillUsers);

  C.widget = {
    openFor: function (user, member) {
      C.show("widget");
      fillUsers(C.members.users());
      userSelect.value = user.guid;
      memberInput.value = member ? member.guid : "";
      return mint();
    }
  };
  C.on("tenant", function () {
    frame = null;
    webview = null;
    C.clear(panel);
    C.clear(frameBox).appendChild(C.h("p", { "class": "muted" }, "Mint a widget URL to embed it here."));
  });
})(window.Console);
