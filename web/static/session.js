// The session page's only script: the live console and the "copy diff" button.
(function () {
  "use strict";
  var list = document.getElementById("console");
  if (list && list.dataset.stream && window.EventSource) {
    var source = new EventSource(list.dataset.stream + "?after=" + (list.dataset.after || "0"));
    source.addEventListener("line", function (event) {
      var line = JSON.parse(event.data);
      if (list.querySelector('li[data-seq="' + line.seq + '"]')) { return; }
      var item = document.createElement("li");
      item.dataset.seq = String(line.seq);
      var stage = document.createElement("span");
      stage.className = "stage";
      stage.textContent = line.stage;
      item.appendChild(stage);
      item.appendChild(document.createTextNode(" " + line.message));
      list.appendChild(item);
      list.scrollTop = list.scrollHeight;
    });
    source.addEventListener("end", function (event) {
      // Without close() EventSource would reconnect to a stream that has already ended.
      source.close();
      var status = JSON.parse(event.data).status;
      var badge = document.getElementById("status");
      if (badge) { badge.textContent = status; badge.className = "status status-" + status; }
      var note = document.getElementById("console-note");
      if (note) { note.textContent = "Session finished (" + status + "). Reload for candidates and diff."; }
    });
  }
  var copy = document.getElementById("copy-diff");
  if (copy) {
    copy.addEventListener("click", function () {
      var text = document.getElementById(copy.dataset.target).textContent;
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
    });
  }
})();
