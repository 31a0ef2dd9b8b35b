/* Scenarios: the shipped list, a Run button each (the run uses this tenant, so the timeline shows it),
 * and this tenant's runs with their state and HTML report. */
(function (C) {
  "use strict";

  var tbody = document.querySelector("#scenario-table tbody");
  var runsBox = document.getElementById("scenario-runs");
  var timer = null;
  var loaded = false;

  function renderRuns(runs) {
    C.clear(runsBox);
    if (!runs.length) return;
    var list = C.h("ul", { "class": "runs" });
    runs.slice(0, 10).forEach(function (r) {
      list.appendChild(C.h("li", { "data-run": r.name, "data-state": r.state },
        C.h("strong", null, r.name), " ",
        C.h("span", { "class": "state-" + r.state }, r.state), " · " + r.steps_done + "/" + r.steps + " steps",
        r.seconds ? " · " + r.seconds.toFixed(2) + " s" : "",
        r.report_url ? C.h("span", null, " · ", C.h("a", { href: r.report_url, target: "_blank", rel: "noopener" }, "HTML report")) : null,
        r.state === "failed" || r.state === "error" ? C.h("pre", null, r.message) : null));
    });
    runsBox.appendChild(C.h("h3", null, "Runs in this tenant"));
    runsBox.appendChild(list);
  }

  function pollRuns() {
    timer = null;
    C.api("GET", "/_sandbox/scenarios/runs").then(function (d) {
      renderRuns(d.runs);
      if (d.runs.some(function (r) { return r.state === "running"; })) timer = setTimeout(pollRuns, 1000);
      else C.clock.reload();
    }).catch(C.fail);
  }

  function run(name) {
    C.api("POST", "/_sandbox/scenarios/runs", { name: name }).then(function () {
      C.notice("Running " + name + " in this tenant; watch the timeline.");
      clearTimeout(timer);
      pollRuns();
    }).catch(C.fail);
  }

  function load() {
    C.api("GET", "/_sandbox/scenarios").then(function (d) {
      loaded = true;
      C.clear(tbody);
      d.scenarios.forEach(function (s) {
        tbody.appendChild(C.h("tr", { "data-scenario": s.name },
          C.h("td", null, C.h("code", null, s.name)), C.h("td", { "class": "num" }, s.steps),
          C.h("td", null, s.description),
          C.h("td", null, C.button("Run", function () { run(s.name); }, { "aria-label": "Run " + s.name }))));
      });
    }).catch(C.fail);
  }

  C.on("tenant", function () {
    if (!loaded) load();
    clearTimeout(timer);
    pollRuns();
  });
})(window.Console);
