/* Users and their members: status badges, aggregating spinners, counts; create, connect MX Bank with
 * a row of its credential table, aggregate, force a status, delete. Refreshed when the timeline shows
 * a member or user change (never on API events, which the refresh itself makes). */
(function (C) {
  "use strict";

  var box = document.getElementById("users");
  var users = [];
  var membersOf = {};  // user guid → members
  var counts = {};  // member guid → {accounts, transactions}
  var products = {};  // member guid → products asked for
  var mxbankFields = null;  // MX Bank's credential field guids: [login, password]
  var refreshTimer = null;
  var generation = 0;
  var creds = C.boot.credentials;

  function passwordMenu(id) {
    var select = C.h("select", { id: id });
    creds.rows.forEach(function (row) {
      var value = row.password === null ? "password" : row.password;
      var label = (row.password === null ? "any other password" : row.password) + " → " + row.outcome;
      select.appendChild(C.h("option", { value: value }, label));
    });
    return select;
  }

  function mxbankCredentials(password) {
    var fields = mxbankFields ? Promise.resolve(mxbankFields) : C.api("GET", "/institutions/mxbank/credentials").then(function (d) {
      mxbankFields = d.credentials;
      return mxbankFields;
    });
    return fields.then(function (list) {
      return list.map(function (f) {
        return { guid: f.guid, value: f.field_name === "PASSWORD" ? password : (creds.username || "mxuser") };
      });
    });
  }

  function act(promise, done) {
    return promise.then(function (result) {
      if (done) C.notice(done);
      refresh();
      return result;
    }).catch(C.fail);
  }

  function connect(user, password) {
    act(mxbankCredentials(password).then(function (credentials) {
      return C.api("POST", "/users/" + C.enc(user.guid) + "/members",
        { member: { institution_code: "mxbank", credentials: credentials } });
    }), "Connecting MX Bank for " + (user.id || C.short(user.guid)) + " with password “" + password + "”.");
  }

  function memberRow(user, m) {
    var path = "/users/" + C.enc(user.guid) + "/members/" + C.enc(m.guid);
    var n = counts[m.guid];
    var forceId = "force-" + m.guid;
    var force = C.h("select", { id: forceId, "aria-label": "Status to force on " + C.short(m.guid) });
    C.boot.statuses.forEach(function (s) { force.appendChild(C.h("option", { value: s, selected: s === "DEGRADED" }, s)); });
    var actions = C.h("div", { "class": "actions" },
      C.button("Details", function () { C.member.open(user, m); }, { "aria-label": "Details " + C.short(m.guid) }),
      C.button("Aggregate", function () { act(C.api("POST", path + "/aggregate"), "Aggregating " + C.short(m.guid) + "."); },
        { "aria-label": "Aggregate " + C.short(m.guid) }),
      force,
      C.button("Force", function () {
        act(C.api("PUT", "/_sandbox/members/" + C.enc(m.guid), { connection_status: force.value }),
          "Forced " + force.value + " on " + C.short(m.guid) + ".");
      }, { "aria-label": "Force " + C.short(m.guid) }),
      m.connection_status === "CHALLENGED" ? C.button("Answer in widget", function () { C.widget.openFor(user, m); },
        { "class": "primary", "aria-label": "Answer in widget " + C.short(m.guid) }) : null,
      C.button("Delete", function () { act(C.api("DELETE", path), "Deleted member " + C.short(m.guid) + "."); },
        { "class": "danger", "aria-label": "Delete " + C.short(m.guid) }));
    // data-label: the column's name, shown beside each cell when a phone stacks the row
    return C.h("tr", { "data-member": m.guid, "data-status": m.connection_status },
      C.h("td", { "data-label": "Member" }, m.name, C.h("br"), C.h("code", { title: m.guid }, C.short(m.guid))),
      C.h("td", { "data-label": "Status" }, C.badge(m.connection_status, m.is_being_aggregated)),
      C.h("td", { "class": "mono", "data-label": "Aggregated" }, C.time(m.successfully_aggregated_at)),
      C.h("td", { "data-label": "Products" }, (products[m.guid] || []).join(", ") || "—"),
      C.h("td", { "class": "num", "data-count": "accounts", "data-label": "Accounts" }, n ? n.accounts : "…"),
      C.h("td", { "class": "num", "data-count": "transactions", "data-label": "Transactions" }, n ? n.transactions : "…"),
      C.h("td", { "data-label": "Actions" }, actions));
  }

  function userCard(user) {
    var members = membersOf[user.guid] || [];
    var pw = passwordMenu("pw-" + user.guid);
    var head = C.h("h3", null, C.h("span", null, "User ", C.h("code", { title: user.guid }, C.short(user.guid))),
      user.id ? C.h("span", { "class": "muted" }, "id " + user.id) : null,
      user.email ? C.h("span", { "class": "muted" }, user.email) : null);
    var connectRow = C.h("div", { "class": "row" },
      C.h("label", { "for": "pw-" + user.guid }, "MX Bank password"), pw,
      C.button("Connect MX Bank", function () { connect(user, pw.value); }, { "class": "primary" }),
      C.button("Open widget", function () { C.widget.openFor(user, null); }),
      C.button("Delete user", function () {
        act(C.api("DELETE", "/users/" + C.enc(user.guid)), "Deleted user " + C.short(user.guid) + ".");
      }, { "class": "danger" }));
    var table = C.h("table", { "class": "members" },
      C.h("caption", { "class": "sr-only" }, "Members of user " + user.guid),
      C.h("thead", null, C.h("tr", null, ["Member", "Status", "Aggregated", "Products", "Accounts", "Transactions", "Actions"]
        .map(function (t) { return C.h("th", { scope: "col" }, t); }))),
      C.h("tbody", null, members.map(function (m) { return memberRow(user, m); })));
    return C.h("section", { "class": "card user", "data-user": user.guid, "aria-label": "User " + (user.id || user.guid) },
      head, connectRow, members.length ? C.h("div", { "class": "table-wrap" }, table) : C.h("p", { "class": "muted" }, "No members yet."));
  }

  function render() {
    C.clear(box);
    if (!users.length) box.appendChild(C.h("p", { "class": "muted", id: "no-users" }, "No users in this tenant yet."));
    users.forEach(function (u) { box.appendChild(userCard(u)); });
  }

  function total(path) {
    return C.api("GET", path).then(function (d) { return d.pagination ? d.pagination.total_entries : 0; });
  }

  function loadCounts(user, m, mine) {
    if (m.connection_status !== "CONNECTED" || m.is_being_aggregated) {
      if (!counts[m.guid]) counts[m.guid] = { accounts: 0, transactions: 0, stale: true };
      return Promise.resolve();
    }
    var base = "/users/" + C.enc(user.guid) + "/members/" + C.enc(m.guid);
    return Promise.all([total(base + "/accounts?per_page=1"),
      total(base + "/transactions?per_page=1&from_date=2000-01-01")]).then(function (n) {
      if (mine === generation) counts[m.guid] = { accounts: n[0], transactions: n[1] };
    }).catch(function () {});
  }

  function refresh() {
    clearTimeout(refreshTimer);
    refreshTimer = null;
    var mine = generation;
    return C.api("GET", "/users?per_page=100").then(function (d) {
      var list = d.users;
      return Promise.all(list.map(function (u) {
        return C.api("GET", "/users/" + C.enc(u.guid) + "/members?per_page=100").then(function (md) {
          if (mine !== generation) return;
          membersOf[u.guid] = md.members;
          return Promise.all(md.members.filter(function (m) { return !counts[m.guid] || counts[m.guid].stale; })
            .map(function (m) { return loadCounts(u, m, mine); }));
        });
      })).then(function () {
        var guids = [].concat.apply([], list.map(function (u) { return (membersOf[u.guid] || []).map(function (m) { return m.guid; }); }));
        if (!guids.length) return;
        return C.api("GET", "/_sandbox/console/products?" + guids.slice(0, 100).map(function (g) { return "member_guid=" + C.enc(g); }).join("&"))
          .then(function (d) { if (mine === generation) products = d.products; });
      }).then(function () {
        if (mine !== generation) return;
        users = list;
        render();
        C.emit("users", users);
      });
    }).catch(C.fail);
  }

  function later() { if (!refreshTimer) refreshTimer = setTimeout(refresh, 250); }

  C.on("timeline", function (events) {
    events.forEach(function (e) {
      if (e.kind === "member" && (e.type === "job_completed" || e.type === "connection_status") && e.data.member_guid) {
        delete counts[e.data.member_guid];  // the data may have changed: count again
      }
    });
    if (events.some(function (e) { return e.kind !== "api" && e.kind !== "webhook"; })) later();
  });

  document.getElementById("create-user").addEventListener("submit", function (e) {
    e.preventDefault();
    var form = e.target;
    var fields = {};
    var id = document.getElementById("new-user-id").value.trim();
    var email = document.getElementById("new-user-email").value.trim();
    if (id) fields.id = id;
    if (email) fields.email = email;
    if (!Object.keys(fields).length) fields.metadata = "created in the console";
    act(C.api("POST", "/users", { user: fields }).then(function (d) {
      form.reset();
      return d;
    }), "Created a user.");
  });

  C.members = { refresh: refresh, users: function () { return users; } };
  C.on("tenant", function () {
    generation += 1;
    users = [];
    membersOf = {};
    counts = {};
    render();
    refresh();
  });
})(window.Console);
