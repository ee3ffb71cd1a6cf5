/* The call-taker console: the live queue (Server-Sent Events), taking a caller, the browser
   phone (Twilio Voice SDK: window.Twilio.Device) and keyboard shortcuts. Without JavaScript
   the page still works as forms; only the phone needs this. */
(function () {
  "use strict";

  var queue = document.getElementById("queue");
  var phone = document.getElementById("phone");
  var state = document.getElementById("phone-state");
  var buttons = phone.querySelector(".phone-buttons");
  var muteButton = document.getElementById("phone-mute");
  var holdButton = document.getElementById("phone-hold");
  var hangupButton = document.getElementById("phone-hangup");
  var panel = document.getElementById("caller-panel");

  var device = null;
  var active = null; // the Twilio Call in progress
  var current = null; // {call: id, panel: url} of the caller this console took
  var held = false;
  var simulated = phone.dataset.simulated === "yes"; // make run: js/simulated_phone.js

  /* The server just moved the caller's call: to this browser phone, or away from it (hold,
     transfer). Twilio's SDK learns that from Twilio; the simulated phone from this event. */
  function callMoved(to) {
    document.dispatchEvent(new CustomEvent("console:call-moved", { detail: { call: current.call, to: to } }));
  }

  function text(template, key) {
    var found = document.getElementById(template).content.querySelector('[data-key="' + key + '"]');
    return found ? found.textContent : "";
  }

  function setState(key) {
    state.dataset.state = key;
    state.textContent = text("phone-texts", key);
    var inCall = key === "in-call" || key === "on-hold";
    buttons.hidden = !inCall;
    holdButton.setAttribute("aria-pressed", String(key === "on-hold"));
    holdButton.textContent = key === "on-hold" ? holdButton.dataset.resume : holdButton.dataset.hold;
    muteButton.disabled = key !== "in-call";
  }
  holdButton.dataset.hold = holdButton.textContent;
  holdButton.dataset.resume = phone.dataset.resumeLabel;

  /* --- The live queue ------------------------------------------------------------------ */

  function clock(seconds) {
    var s = Math.max(0, Math.floor(seconds));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function tick() {
    queue.querySelectorAll("[data-since]").forEach(function (el) {
      el.textContent = clock((Date.now() - Date.parse(el.dataset.since)) / 1000);
    });
  }

  function render(rows) {
    var body = document.getElementById("queue-rows");
    var template = document.getElementById("queue-row-template");
    body.replaceChildren();
    rows.forEach(function (row) {
      var tr = template.content.firstElementChild.cloneNode(true);
      tr.dataset.call = row.id;
      tr.querySelector('[data-field="caller"]').textContent = row.caller || text("queue-texts", "hidden");
      tr.querySelector('[data-field="name"]').textContent = row.name || text("queue-texts", "unknown");
      tr.querySelector('[data-field="topic"]').textContent =
        (row.topic && text("queue-texts", "topic-" + row.topic)) || row.topic || "–";
      var waited = tr.querySelector('[data-field="waited"]');
      waited.dataset.since = row.since;
      tr.querySelector("form").action = queue.dataset.takeUrl.replace("/calls/0/", "/calls/" + row.id + "/");
      body.appendChild(tr);
    });
    if (!rows.length) {
      var empty = document.createElement("tr");
      var cell = document.createElement("td");
      empty.className = "queue-empty";
      cell.colSpan = 5;
      cell.textContent = text("queue-texts", "empty");
      empty.appendChild(cell);
      body.appendChild(empty);
    }
    document.getElementById("queue-count").textContent = "(" + rows.length + ")";
    tick();
  }

  if (window.EventSource) {
    var source = new EventSource(queue.dataset.eventsUrl);
    source.addEventListener("queue", function (event) {
      render(JSON.parse(event.data));
    });
  }
  window.setInterval(tick, 1000);

  /* --- Taking a caller and the caller panel ---------------------------------------------- */

  function loadPanel(url, focus) {
    return fetch(url, { headers: { "X-Console-Panel": "1" }, credentials: "same-origin" })
      .then(function (answer) { return answer.text(); })
      .then(function (html) {
        panel.innerHTML = html;
        var heading = panel.querySelector("h1, h2");
        if (focus && heading) { heading.tabIndex = -1; heading.focus(); }
      });
  }

  function take(form) {
    if (current) { return; }
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    }).then(function (answer) {
      return answer.json().then(function (body) {
        if (!answer.ok) { setState("taken"); return; }
        current = body;
        setState("ringing");
        callMoved("browser");
        return loadPanel(body.panel, true);
      });
    }).catch(function () { setState("error"); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("data-take")) {
      event.preventDefault();
      take(form);
    } else if (panel.contains(form) && !form.hasAttribute("data-navigate") && current) {
      // Inside the caller panel the page must stay: the call lives in it.
      event.preventDefault();
      var moves = form.hasAttribute("data-moves-call"); // a transfer: the caller leaves this phone
      // The pressed button may send elsewhere ("Show free moments") or carry a value ("More days").
      var button = event.submitter;
      var data = new FormData(form);
      if (button && button.name) { data.append(button.name, button.value); }
      fetch(button && button.hasAttribute("formaction") ? button.formAction : form.action, {
        method: "POST",
        body: data,
        headers: { "X-Console-Panel": "1" },
        credentials: "same-origin",
      }).then(function (answer) {
        if (moves && answer.ok) { held = false; callMoved("elsewhere"); }
        return answer.text();
      }).then(function (html) { panel.innerHTML = html; });
    }
  });

  /* --- The browser phone ------------------------------------------------------------- */

  var TOKEN_ERRORS = [20101, 20103, 20104, 20105, 20106, 20107, 20157, 31204, 31205, 31206];
  var MICROPHONE_ERRORS = [31401, 31402, 31208];

  function failed(error) {
    var code = error && error.code;
    if (MICROPHONE_ERRORS.indexOf(code) >= 0 || (error && error.name === "NotAllowedError")) {
      setState("microphone-failed");
    } else if (TOKEN_ERRORS.indexOf(code) >= 0) {
      setState("token-failed");
    } else {
      setState("error");
    }
  }

  function token() {
    return fetch(phone.dataset.tokenUrl, { credentials: "same-origin" }).then(function (answer) {
      if (!answer.ok) { throw { code: 20101 }; }
      return answer.json();
    });
  }

  function follow(call) {
    active = call;
    call.on("accept", function () { held = false; setState("in-call"); });
    call.on("disconnect", function () {
      active = null;
      if (!held) { setState("ended"); }
    });
    call.on("cancel", function () { active = null; if (!held) { setState("ended"); } });
    call.on("error", failed);
  }

  function start() {
    if (phone.dataset.configured !== "yes") { return; }
    if (!window.Twilio || !window.Twilio.Device) { setState("error"); return; }
    (simulated ? Promise.resolve({ token: "simulated" }) : token()).then(function (answer) {
      device = new window.Twilio.Device(answer.token, { closeProtection: true });
      device.on("registered", function () { if (!active && !held) { setState("ready"); } });
      device.on("error", failed);
      device.on("tokenWillExpire", function () {
        token().then(function (fresh) { device.updateToken(fresh.token); })
          .catch(function () { setState("token-failed"); });
      });
      device.on("incoming", function (call) {
        var id = call.customParameters && call.customParameters.get("call");
        if (!current || String(current.call) !== String(id)) { call.reject(); return; }
        follow(call);
        call.accept();
      });
      return device.register();
    }).catch(failed);
  }

  function post(action) {
    var data = new FormData();
    data.append("csrf_token", queue.dataset.csrf);
    return fetch("/console/calls/" + current.call + "/" + action, {
      method: "POST", body: data, headers: { Accept: "application/json" }, credentials: "same-origin",
    });
  }

  function toggleMute() {
    if (!active) { return; }
    var muted = !active.isMuted();
    active.mute(muted);
    muteButton.setAttribute("aria-pressed", String(muted));
  }

  function toggleHold() {
    if (!current) { return; }
    var holding = !held;
    post(holding ? "hold" : "resume").then(function (answer) {
      if (!answer.ok) { setState("error"); return; }
      held = holding;
      if (holding) { setState("on-hold"); } else { setState("ringing"); }
      callMoved(holding ? "elsewhere" : "browser");
    });
  }

  /* The call-taker's hang-up ends the caller's call too (also while on hold, when this phone's
     leg is gone already); the panel then no longer offers hold or transfer. */
  function hangUp() {
    held = false;
    if (active) { active.disconnect(); } else if (device) { device.disconnectAll(); }
    setState("ended");
    if (!current) { return; } // calling a citizen back: no caller of the queue to end
    var taken = current;
    post("hang-up").then(function () { return loadPanel(taken.panel, false); })
      .catch(function () { setState("error"); });
  }

  /* Calling a citizen back: the browser calls out through the TwiML App (POST /console/voice). */
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-dial]");
    if (!button) { return; }
    if (!device || active) { setState(device ? "in-call" : "error"); return; }
    setState("ringing");
    Promise.resolve(device.connect({ params: { To: button.dataset.dial } }))
      .then(follow)
      .catch(failed);
  });

  muteButton.addEventListener("click", toggleMute);
  holdButton.addEventListener("click", toggleHold);
  hangupButton.addEventListener("click", hangUp);

  /* --- Keyboard shortcuts --------------------------------------------------------------- */

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) { return; }
    var key = event.key.toLowerCase();
    var status = document.querySelector('.status-buttons [data-shortcut="' + key + '"]');
    if (status) { event.preventDefault(); status.click(); return; }
    if (key === "n") {
      var first = document.querySelector("#queue-rows form[data-take]");
      if (first) { event.preventDefault(); take(first); }
    } else if (key === "m") { event.preventDefault(); toggleMute(); }
    else if (key === "h") { event.preventDefault(); toggleHold(); }
    else if (key === "x") { event.preventDefault(); hangUp(); }
    else if (key === "c") { event.preventDefault(); document.querySelector('[data-shortcut="c"]').click(); }
  });

  setState(phone.dataset.configured === "yes" ? "idle" : "not-configured");
  if (phone.dataset.configured !== "yes") { state.textContent = phone.dataset.notConfigured; }
  start();
})();
