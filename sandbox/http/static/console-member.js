/* One member's drill-down: its fields, accounts and latest transactions. */
(function (C) {
  "use strict";

  var section = document.getElementById("member-detail");
  var heading = document.getElementById("member-detail-h");
  var body = document.getElementById("member-detail-body");

  function table(caption, columns, rows) {
    return C.h("div", { "class": "table-wrap" }, C.h("table", null, C.h("caption", { "class": "sr-only" }, caption),
      C.h("thead", null, C.h("tr", null, columns.map(function (c) { return C.h("th", { scope: "col" }, c); }))),
      C.h("tbody", null, rows.map(function (cells) {
        return C.h("tr", null, cells.map(function (c) { return C.h("td", { "class": /^-?\d+(\.\d+)?$/.test(String(c)) ? "num" : null }, c); }));
      }))));
  }

  function open(user, m) {
    var base = "/users/" + C.enc(user.guid) + "/members/" + C.enc(m.guid);
    section.hidden = false;
    heading.textContent = m.name + " · " + m.guid;
    C.clear(body).appendChild(C.h("p", { "class": "muted" }, "Loading…"));
    heading.focus();
    Promise.all([
      C.api("GET", base),
      C.api("GET", base + "/accounts?per_page=100"),
      C.api("GET", base + "/transactions?per_page=25&from_date=2000-01-01")
    ]).then(function (r) {
      var member = r[0].member;
      var accounts = r[1].accounts;
      var txns = r[2].transactions.slice().sort(function (a, b) { return (b.transacted_at || "").localeCompare(a.transacted_at || ""); });
      C.clear(body);
      body.appendChild(C.h("p", null, C.badge(member.connection_status, member.is_being_aggregated), " ",
        member.connection_status_message || "", C.h("br"),
        C.h("span", { "class": "muted" }, "Aggregated " + C.time(member.successfully_aggregated_at) + " · user " + user.guid)));
      body.appendChild(C.h("h4", null, "Accounts (" + r[1].pagination.total_entries + ")"));
      body.appendChild(accounts.length ? table("Accounts of " + member.guid, ["Name", "Type", "Balance", "Guid"], accounts.map(function (a) {
        return [a.name, a.type || "", a.balance === null || a.balance === undefined ? "" : Number(a.balance).toFixed(2), C.short(a.guid)];
      })) : C.h("p", { "class": "muted" }, "No accounts yet: they arrive with the first aggregation."));
      body.appendChild(C.h("h4", null, "Transactions (" + r[2].pagination.total_entries + "; latest 25 shown)"));
      if (txns.length) body.appendChild(table("Transactions of " + member.guid, ["Date", "Description", "Amount", "Category"], txns.map(function (t) {
        return [C.time(t.transacted_at).slice(0, 10), t.description || "", (t.type === "DEBIT" ? "-" : "") + Number(t.amount).toFixed(2), t.category || ""];
      })));
      C.timeline.filterMember(m.guid);
    }).catch(C.fail);
  }

  document.getElementById("member-detail-close").addEventListener("click", function () {
    section.hidden = true;
    C.timeline.filterMember("");
  });

  C.member = { open: open };
  C.on("tenant", function () { section.hidden = true; });
})(window.Console);
