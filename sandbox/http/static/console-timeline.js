/* The live timeline: polls /_sandbox/events with its `after` cursor, newest first, filtered by kind and
 * member; a run of identical API calls (status polling) is folded into one row with a count. */
(function (C) {
  "use strict";

  var POLL_MS = 1000;
  var KEEP = 2000;  // events kept in the page; older ones drop off
  var list = document.getElementById("timeline-list");
  var kindsBox = document.getElementById("timeline-kinds");
  var memberSelect = document.getElementById("timeline-member");
  var pauseBtn = document.getElementById("timeline-pause");
  var events = [];
  var cursor = 0;
  var primed = false;  // the first answer is history; later ones are news for the other views
  var kinds = {};  // kind → shown?
  var members = {};
  var paused = false;
  var timer = null;
  var generation = 0;

  function addKind(kind) {
    if (kind in kinds) return;
    kinds[kind] = true;
    var id = "kind-" + kind;
    var box = C.h("input", { type: "checkbox", id: id, checked: true, "data-kind": kind,
      on: { change: function () { kinds[kind] = box.checked; render(); } } });
    kindsBox.appendChild(C.h("span", { "class": "kind-toggle" }, box, C.h("label", { "for": id }, kind)));
  }
  ["member", "widget", "api", "webhook", "microdeposit", "user"].forEach(addKind);

  function addMember(guid) {
    if (!guid || members[guid]) return;
    members[guid] = true;
    memberSelect.appendChild(C.h("option", { value: guid }, C.short(guid)));
  }

  function describe(e) {
    var d = e.data || {};
    if (e.kind === "member" && e.type === "connection_status") {
      return (d.old || "—") + " → " + d.new + (d.is_being_aggregated ? " (aggregating)" : "") + (d.forced ? " (forced)" : "");
    }
    if (e.kind === "member" && (e.type === "job_started" || e.type === "job_completed")) {
      return e.type + " " + d.job_type + (d.is_background ? " (background)" : "");
    }
    if (e.kind === "api") return e.type + " → " + d.status;
    if (e.kind === "widget") return e.type + (d.message && d.message.metadata && d.message.metadata.connection_status !== undefined
      ? " (status " + d.message.metadata.connection_status + ")" : "");
    if (e.kind === "webhook") return e.type + " attempt " + d.attempt + " → " + (d.status || d.error || "") + " " + (d.outcome || "");
    return e.type + (d.new ? " → " + d.new : "");
  }

  function fold(shown) {
    var rows = [];
    shown.forEach(function (e) {
      var last = rows[rows.length - 1];
      if (last && e.kind === "api" && last.e.kind === "api" && last.e.type === e.type && last.e.data.status === e.data.status) {
        last.count += 1;
        last.last = e;
      } else {
        rows.push({ e: e, count: 1, last: e });
      }
    });
    return rows;
  }

  function render() {
    var member = memberSelect.value;
    var shown = events.filter(function (e) {
      return kinds[e.kind] !== false && (!member || (e.data && e.data.member_guid === member));
    });
    C.clear(list);
    fold(shown).reverse().slice(0, 400).forEach(function (row) {
      var e = row.last;
      list.appendChild(C.h("li", { "data-kind": e.kind, "data-type": e.type, "data-seq": e.seq },
        C.h("span", { "class": "at", title: e.at }, String(e.at).slice(11, 19)),
        C.h("span", { "class": "kind kind-" + e.kind }, e.kind),
        C.h("span", { "class": "what", title: e.type }, C.shortAll(describe(e)),
          row.count > 1 ? C.h("span", { "class": "count", "data-count": row.count }, " ×" + row.count) : null)));
    });
  }

  function poll() {
    timer = null;
    var mine = generation;
    var first = !primed;
    C.api("GET", "/_sandbox/events?after=" + cursor + "&limit=" + (first ? 300 : KEEP)).then(function (data) {
      if (mine !== generation) return;
      cursor = data.cursor;
      primed = true;
      if (data.events.length) {
        data.events.forEach(function (e) { addKind(e.kind); addMember(e.data && e.data.member_guid); });
        events = events.concat(data.events).slice(-KEEP);
        if (!paused) render();
        if (!first) C.emit("timeline", data.events);
      }
    }).catch(function () {}).then(function () { if (mine === generation) schedule(); });
  }

  function schedule() { if (!timer) timer = setTimeout(poll, POLL_MS); }

  memberSelect.addEventListener("change", render);
  pauseBtn.addEventListener("click", function () {
    paused = !paused;
    pauseBtn.setAttribute("aria-pressed", paused ? "true" : "false");
    pauseBtn.textContent = paused ? "Resume" : "Pause";
    if (!paused) render();
  });

  C.timeline = { poll: function () { clearTimeout(timer); poll(); }, filterMember: function (guid) {
    addMember(guid); memberSelect.value = guid; render();
  } };

  C.on("tenant", function () {
    generation += 1;
    clearTimeout(timer);
    timer = null;
    events = [];
    cursor = 0;
    primed = false;
    members = {};
    C.clear(memberSelect).appendChild(C.h("option", { value: "" }, "all members"));
    render();
    poll();
  });
})(window.Console);
