// The paste page: a CodeMirror editor over the code field (the plain textarea stays the form's
// field, and the page works without it), smart paste through /paste/analyze, library badges,
// and the proposed reproduction (kept once the person edits it).
(function () {
  "use strict";
  var holder = document.getElementById("editor");
  var field = document.getElementById("code");
  if (!holder || !field) { return; }
  var readOnly = holder.dataset.readonly === "1";
  var view = null;

  function code() { return view ? view.state.doc.toString() : field.value; }
  function setCode(text) {
    if (view) { view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }); }
    field.value = text;
  }

  var cm = window.TruthEditor;
  if (cm) {
    var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
    var extensions = [cm.basicSetup, cm.python(), cm.EditorView.lineWrapping];
    if (dark) { extensions.push(cm.oneDark); }
    if (readOnly) { extensions.push(cm.EditorState.readOnly.of(true)); }
    extensions.push(cm.EditorView.updateListener.of(function (update) {
      if (update.docChanged) { field.value = update.state.doc.toString(); }
    }));
    if (!readOnly) {
      extensions.push(cm.EditorView.domEventHandlers({
        paste: function () { setTimeout(function () { separate(true); }, 0); }
      }));
    }
    view = new cm.EditorView({ doc: field.value, extensions: extensions, parent: holder });
    field.hidden = true;
  }
  if (readOnly) { return; }

  var log = document.getElementById("log");
  var repro = document.getElementById("reproduction");
  var requirements = document.getElementById("requirements");
  var module = document.getElementById("module");
  var badges = document.getElementById("badges");
  var note = document.getElementById("paste-note");
  var reproEdited = repro.value.trim() !== "";
  var requirementsEdited = requirements.value.trim() !== "";
  repro.addEventListener("input", function () { reproEdited = repro.value.trim() !== ""; });
  requirements.addEventListener("input", function () { requirementsEdited = true; showBadges([]); });

  function showBadges(detected) {
    var lines = requirements.value.split("\n").map(function (l) { return l.trim(); }).filter(Boolean);
    var named = {};
    lines.forEach(function (line) {
      var m = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*(.*)$/.exec(line);
      if (m) { named[m[1].toLowerCase()] = m[3] || ""; }
    });
    detected.forEach(function (name) { if (!(name in named)) { named[name] = ""; } });
    badges.textContent = "";
    var names = Object.keys(named).sort();
    if (!names.length) {
      var none = document.createElement("span");
      none.className = "muted";
      none.textContent = "none detected";
      badges.appendChild(none);
    }
    names.forEach(function (name) {
      var badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = name + " " + (named[name] || "(latest)");
      badges.appendChild(badge);
    });
  }

  function separate(quiet) {
    return fetch("/paste/analyze", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ code: code(), log: log.value })
    }).then(function (answer) { return answer.json(); }).then(function (parts) {
      if (parts.error) { note.textContent = parts.error; return; }
      var moved = parts.code !== code();
      if (moved) { setCode(parts.code); }
      if (parts.log !== log.value) { log.value = parts.log; }
      if (parts.module && (module.value === "snippet.py" || !module.value)) { module.value = parts.module; }
      if (!requirementsEdited) { requirements.value = parts.libraries.join("\n"); }
      showBadges(parts.libraries);
      document.getElementById("expected").value = (parts.exception || "").split(":")[0];
      if (!reproEdited && parts.reproduction) {
        repro.value = parts.reproduction;
        document.getElementById("how").value = parts.how;
      }
      document.getElementById("how-note").textContent = parts.reproduction
        ? "Proposed: " + parts.how + ". Edit it if it does not fail the way the bug does."
        : parts.how;
      note.textContent = moved ? "Smart paste moved the traceback to the error log."
        : (quiet ? "" : "Nothing to move: no traceback in the code.");
    }, function () { note.textContent = "Could not analyse the paste; fill in the fields by hand."; });
  }

  if (!view) { field.addEventListener("paste", function () { setTimeout(function () { separate(true); }, 0); }); }
  log.addEventListener("paste", function () { setTimeout(function () { separate(true); }, 0); });
  document.getElementById("separate").addEventListener("click", function () { separate(false); });
  document.getElementById("paste-form").addEventListener("submit", function () {
    field.value = code();
    var button = document.getElementById("verify");
    button.disabled = true;
    button.textContent = "Starting the sandbox…";
  });
  showBadges([]);
})();
