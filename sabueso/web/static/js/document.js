/* Sabueso document view. Brings the cited sentence (#ev) into view; clicking (or Enter on)
 * an underlined passage lists only its claims in the side panel; Confirm / Reject call the
 * JSON API (POST /api/claims/{id}/review, the same judgement as the forms) and update the
 * claim in place. Without JavaScript every claim is listed and the forms post as usual.
 * Text from the store is only ever inserted with textContent. */
(function () {
  "use strict";

  function qsa(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  function centreEvidence() {
    var ev = document.getElementById("ev");
    if (!ev) return;
    ev.classList.add("current");
    ev.scrollIntoView({ block: "center", behavior: "instant" });
    try { ev.focus({ preventScroll: true }); } catch (e) { /* old browsers */ }
  }

  function say(text) {
    var status = document.getElementById("panel-status");
    if (status) status.textContent = text;
  }

  function claimItems() { return qsa("#doc-claims > li.claim"); }

  function showAll() {
    claimItems().forEach(function (li) { li.hidden = false; });
    qsa(".ev-span.selected").forEach(function (s) { s.classList.remove("selected"); });
    var title = document.getElementById("panel-title");
    title.textContent = "Claims in this document (" + claimItems().length + ")";
    document.getElementById("panel-actions").hidden = true;
    say("");
  }

  function select(span) {
    var ids = (span.getAttribute("data-claims") || "").split(" ").filter(Boolean);
    var wanted = {};
    ids.forEach(function (id) { wanted["claim-" + id] = true; });
    var shown = 0;
    claimItems().forEach(function (li) {
      li.hidden = !wanted[li.id];
      if (!li.hidden) shown += 1;
    });
    qsa(".ev-span.selected").forEach(function (s) { s.classList.remove("selected"); });
    qsa(".ev-span").forEach(function (s) {
      var own = (s.getAttribute("data-claims") || "").split(" ");
      if (own.some(function (id) { return wanted["claim-" + id]; })) s.classList.add("selected");
    });
    document.getElementById("panel-title").textContent =
      "Claims on the selected passage (" + shown + ")";
    document.getElementById("panel-actions").hidden = false;
    var m = span.querySelector(".ment");
    say(m ? "Names " + (m.getAttribute("title") || "") + "." : "");
    var panel = document.getElementById("claim-panel");
    var box = panel.getBoundingClientRect();
    if (box.top < 0 || box.top > window.innerHeight) panel.scrollIntoView({ block: "start" });
  }

  function reviewerName(form) {
    var own = form.querySelector("[name=reviewer]");
    if (own && own.value.trim()) return own.value.trim();
    var shared = document.querySelector(".reviewer-form input[name=reviewer]");
    return shared ? shared.value.trim() : "";
  }

  function updateClaim(li, out) {
    li.classList.remove("status-open", "status-confirmed", "status-rejected");
    li.classList.add("status-" + out.status);
    var badge = li.querySelector(".badge.status");
    if (badge) {
      badge.className = "badge status status-" + out.status;
      badge.textContent = out.status + " by " + out.reviewer;
    }
    qsa("button[name=action]", li).forEach(function (b) {
      b.hidden = (b.value === "confirm" && out.status === "confirmed") ||
                 (b.value === "reject" && out.status === "rejected");
    });
    qsa(".ev-span").forEach(function (s) {
      var ids = (s.getAttribute("data-claims") || "").split(" ");
      if (ids.indexOf(out.claim) < 0) return;
      var all = ids.every(function (id) {
        var item = document.getElementById("claim-" + id);
        return item && item.classList.contains("status-rejected");
      });
      s.classList.toggle("all-rejected", all);
    });
  }

  function review(evt) {
    var form = evt.target;
    if (!form.classList || !form.classList.contains("review-form")) return;
    var button = evt.submitter;
    var li = form.closest("li.claim");
    if (!button || !li || !window.fetch) return;       // plain form post
    evt.preventDefault();
    var reviewer = reviewerName(form);
    if (!reviewer) {
      say("Type your name under “Reviewing as” first.");
      var field = document.querySelector(".reviewer-form input[name=reviewer]");
      if (field) field.focus();
      return;
    }
    var id = li.id.replace(/^claim-/, "");
    button.disabled = true;
    fetch("/api/claims/" + encodeURIComponent(id) + "/review", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ action: button.value, reviewer: reviewer })
    }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) throw new Error(typeof body.detail === "string" ? body.detail : "HTTP " + r.status);
        return body;
      });
    }).then(function (out) {
      updateClaim(li, out);
      say((out.status === "confirmed" ? "Confirmed" : "Rejected") + " by " + out.reviewer +
          "; the judgement is stored.");
    }).catch(function (err) {
      say("Could not save the judgement: " + err.message);
    }).then(function () { button.disabled = false; });
  }

  /* one name for every claim: the "Reviewing as" field fills each form's own name field */
  function syncReviewer() {
    var shared = document.querySelector(".reviewer-form input[name=reviewer]");
    if (!shared) return;
    function copy() {
      qsa(".review-form input[type=text][name=reviewer]").forEach(function (input) {
        input.value = shared.value.trim();
        input.removeAttribute("required");
        input.classList.add("synced");
      });
    }
    shared.addEventListener("input", copy);
    copy();
  }

  function start() {
    centreEvidence();
    syncReviewer();
    var text = document.getElementById("doctext");
    if (!text) return;
    text.addEventListener("click", function (evt) {
      var span = evt.target.closest ? evt.target.closest(".ev-span") : null;
      if (span && text.contains(span)) select(span);
    });
    text.addEventListener("keydown", function (evt) {
      if (evt.key !== "Enter" && evt.key !== " ") return;
      var span = evt.target.closest ? evt.target.closest(".ev-span") : null;
      if (span) { evt.preventDefault(); select(span); }
    });
    var all = document.getElementById("show-all");
    if (all) all.addEventListener("click", showAll);
    document.addEventListener("submit", review);
    text.setAttribute("data-ready", "1");
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
