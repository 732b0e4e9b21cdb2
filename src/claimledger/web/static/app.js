// claimledger's only script: small conveniences; every page works without it.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Ingest: say that work is under way, and stop double submits.
  var form = document.getElementById("ingest-form");
  if (form) {
    form.addEventListener("submit", function () {
      var button = document.getElementById("i-submit");
      var progress = document.getElementById("i-progress");
      if (button) { button.disabled = true; }
      if (progress) { progress.textContent = "Reading, finding attributions and updating the ledger…"; }
    });
  }
  // Article: hovering or focusing one piece of a statement outlines all of its pieces.
  var marks = document.querySelectorAll("mark.att");
  function toggle(event, on) {
    var n = event.target.getAttribute("data-a");
    document.querySelectorAll('mark.att[data-a="' + n + '"]').forEach(function (m) {
      m.classList.toggle("active", on);
    });
  }
  marks.forEach(function (mark) {
    mark.addEventListener("mouseenter", function (e) { toggle(e, true); });
    mark.addEventListener("mouseleave", function (e) { toggle(e, false); });
    mark.addEventListener("focus", function (e) { toggle(e, true); });
    mark.addEventListener("blur", function (e) { toggle(e, false); });
  });
});
