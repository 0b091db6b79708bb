// The session page: live console and candidate table from one event stream, the finished
// page swapped in without a reload, diffs shown in place, keyboard moves, "copy diff".
(function () {
  "use strict";
  var STATUS_WORDS = {
    running: "running", verified: "verified fix", no_fix: "no verified fix",
    nothing_to_fix: "nothing to fix", environment_error: "tests cannot run",
    flaky: "flaky failure", error: "stopped on an error"
  };
  var list = document.getElementById("console");

  function scrollConsoleToEnd() {
    if (list) { list.scrollTop = list.scrollHeight; }
  }

  function cell(row, text, className) {
    var td = document.createElement("td");
    if (className) { td.className = className; }
    if (text !== undefined) { td.textContent = text; }
    row.appendChild(td);
    return td;
  }

  function link(parent, href, text, className, download) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    if (className) { a.className = className; }
    if (download) { a.setAttribute("download", ""); }
    parent.appendChild(a);
    return a;
  }

  // One row as _candidates.html renders it, from the stream's JSON.
  function candidateRow(table, c) {
    var session = table.dataset.session;
    var row = document.createElement("tr");
    row.tabIndex = 0;
    row.dataset.candidate = c.id;
    var diffHref = "/sessions/" + session + "?diff=" + encodeURIComponent(c.id) + "#diff";
    if (c.has_diff) { row.dataset.diff = diffHref; }
    if (c.winner) { row.className = "winner"; }
    cell(row, c.number);
    cell(row, c.engine, "hide-narrow");
    cell(row, c.edit, "outcome");
    var outcome = cell(row, undefined, "outcome");
    var badge = document.createElement("span");
    badge.className = "verdict verdict-" + c.status;
    badge.textContent = c.verdict;
    outcome.appendChild(badge);
    outcome.appendChild(document.createTextNode(" " + c.outcome));
    cell(row, c.duration, "hide-narrow");
    if (table.querySelector("th.votes")) { cell(row, c.engines_agreeing + (c.engines_agreeing === 1 ? " engine" : " engines"), "hide-narrow"); }
    var diff = cell(row);
    if (c.has_diff) { link(diff, diffHref, "show", "show-diff"); }
    var proof = cell(row, undefined, "hide-narrow");
    if (c.status !== "rejected") {
      var base = "/sessions/" + session + "/proof/" + encodeURIComponent(c.id);
      link(proof, base + ".json", "JSON", "", true);
      proof.appendChild(document.createTextNode(" · "));
      link(proof, base + ".txt", "text", "", true);
    }
    return row;
  }

  function upsertCandidate(c) {
    var table = document.getElementById("candidates");
    if (!table) { return; }
    var body = table.tBodies[0];
    var fresh = candidateRow(table, c);
    var old = body.querySelector('tr[data-candidate="' + CSS.escape(c.id) + '"]');
    if (old) { body.replaceChild(fresh, old); } else { body.appendChild(fresh); }
    var box = document.getElementById("candidates-box");
    if (box) { box.hidden = false; }
    var none = document.getElementById("no-candidates");
    if (none) { none.remove(); }
  }

  // The finished page, rendered by the server, replaces what the stream drew.
  function swapFinished(url, ids) {
    return fetch(url || window.location.href, { credentials: "same-origin" })
      .then(function (answer) { return answer.ok ? answer.text() : Promise.reject(answer.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        (ids || ["summary", "candidates-section", "diff"]).forEach(function (id) {
          var now = document.getElementById(id), next = fresh.getElementById(id);
          if (now && next) { now.replaceWith(next); }
        });
        bindPage();
      });
  }

  function showStatus(status) {
    var badge = document.getElementById("status");
    if (badge) { badge.textContent = STATUS_WORDS[status] || status; badge.className = "status status-" + status; }
  }

  if (list && list.dataset.stream && window.EventSource) {
    var source = new EventSource(list.dataset.stream + "?after=" + (list.dataset.after || "0"));
    source.addEventListener("line", function (event) {
      var line = JSON.parse(event.data);
      if (list.querySelector('li[data-seq="' + line.seq + '"]')) { return; }
      var item = document.createElement("li");
      item.dataset.seq = String(line.seq);
      item.className = "stage-" + line.stage;
      var stage = document.createElement("span");
      stage.className = "stage";
      stage.textContent = line.stage;
      item.appendChild(stage);
      item.appendChild(document.createTextNode(" " + line.message));
      list.appendChild(item);
      scrollConsoleToEnd();
    });
    source.addEventListener("candidate", function (event) { upsertCandidate(JSON.parse(event.data)); });
    source.addEventListener("end", function (event) {
      // Without close() EventSource would reconnect to a stream that has already ended.
      source.close();
      var status = JSON.parse(event.data).status;
      showStatus(status);
      list.dataset.status = status;
      var note = document.getElementById("console-note");
      swapFinished().then(function () {
        if (note) { note.textContent = "Session finished: " + (STATUS_WORDS[status] || status) + "."; }
        scrollConsoleToEnd();
        var outcome = document.getElementById("outcome");
        if (outcome) { outcome.scrollIntoView({ block: "nearest" }); }
      }, function () {
        if (note) { note.textContent = "Session finished (" + status + "); reload for the diff."; }
      });
    });
  }

  function copyDiff(button) {
    var text = document.getElementById(button.dataset.target).textContent;
    var note = document.getElementById("copy-note");
    var done = function () { note.textContent = "Diff copied to the clipboard."; };
    var fail = function () { note.textContent = "Could not copy; open 'Unified diff' and copy it by hand."; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, fail);
    } else {
      var area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      try { if (document.execCommand("copy")) { done(); } else { fail(); } } catch (e) { fail(); }
      document.body.removeChild(area);
    }
  }

  function showDiff(href) {
    swapFinished(href, ["diff"]).then(function () {
      history.replaceState(null, "", href);
      var diff = document.getElementById("diff");
      if (diff) { diff.scrollIntoView({ block: "start" }); }
    }, function () { window.location.href = href; });
  }

  function bindPage() {
    var copy = document.getElementById("copy-diff");
    if (copy) { copy.addEventListener("click", function () { copyDiff(copy); }); }
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest && event.target.closest("a.show-diff");
    if (target && list && list.dataset.status !== "running") {
      event.preventDefault();
      showDiff(target.href);
    }
  });

  // Keyboard: arrows or j/k move between candidate rows, Enter shows the row's diff.
  document.addEventListener("keydown", function (event) {
    var row = event.target.closest && event.target.closest("#candidates tbody tr");
    if (!row || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var next = null;
    if (event.key === "ArrowDown" || event.key === "j") { next = row.nextElementSibling; }
    if (event.key === "ArrowUp" || event.key === "k") { next = row.previousElementSibling; }
    if (next) { event.preventDefault(); next.focus(); return; }
    if (event.key === "Enter" && row.dataset.diff) { event.preventDefault(); showDiff(row.dataset.diff); }
  });

  bindPage();
  if (list && list.dataset.status !== "running") { scrollConsoleToEnd(); }
})();
