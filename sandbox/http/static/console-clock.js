/* The tenant's virtual clock: shown live, frozen or not, moved by the buttons or set to a time. */
(function (C) {
  "use strict";

  var nowEl = document.getElementById("clock-now");
  var stateEl = document.getElementById("clock-state");
  var freezeBtn = document.getElementById("clock-freeze");
  var setInput = document.getElementById("clock-set");
  var clock = null;  // {now (ms), frozen, seenAt (performance.now())}

  function show(data) {
    clock = { now: Date.parse(data.now), frozen: data.frozen, seenAt: performance.now() };
    stateEl.textContent = data.frozen ? "frozen" : "running";
    freezeBtn.textContent = data.frozen ? "Unfreeze" : "Freeze";
    freezeBtn.setAttribute("aria-pressed", data.frozen ? "true" : "false");
    tick();
  }

  function tick() {
    if (!clock) return;
    var ms = clock.frozen ? clock.now : clock.now + (performance.now() - clock.seenAt);
    nowEl.textContent = new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
    nowEl.setAttribute("data-iso", new Date(ms).toISOString());
  }

  function load() { return C.api("GET", "/_sandbox/clock").then(show).catch(function () {}); }

  function change(body, what) {
    return C.api("POST", "/_sandbox/clock", body).then(function (data) {
      show(data);
      C.notice(what + ": virtual now is " + data.now + ".");
    }).catch(C.fail);
  }

  freezeBtn.addEventListener("click", function () {
    change({ frozen: !(clock && clock.frozen) }, clock && clock.frozen ? "Unfrozen" : "Frozen");
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-advance]"), function (btn) {
    btn.addEventListener("click", function () {
      change({ advance_seconds: Number(btn.getAttribute("data-advance")) }, "Advanced " + btn.textContent);
    });
  });
  document.getElementById("clock-set-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var value = setInput.value;
    if (value.length === 16) value += ":00";
    change({ now: value + "Z" }, "Set");
  });

  C.clock = { reload: load };
  C.on("tenant", load);
  setInterval(load, 5000);  // re-sync (another client may move it); the display ticks in between
  setInterval(tick, 250);
})(window.Console);
