/* Sabueso entity page: the interactive network (Cytoscape.js; the map is map.js).
 * The library comes from npm (make frontend). Everything the page says is already in the
 * server-rendered HTML; this script only draws. Text from the store is always inserted with
 * textContent, never as HTML. */
(function () {
  "use strict";

  var MODALITY_COLOR = { asserted: "#1f6f43", reported: "#8a5a00", hedged: "#9c4221", denied: "#6b4fa3" };
  var MODALITY_LINE = { asserted: "solid", reported: "dashed", hedged: "dashed", denied: "dotted" };
  var TYPE_COLOR = {
    CriminalGroup: "#b42318", Person: "#0b5cad", Place: "#1f6f43", Prison: "#6d4c2f",
    GovernmentBody: "#6b4fa3", Organization: "#8a5a00", Commodity: "#5f6368"
  };
  var TYPE_SHAPE = {
    CriminalGroup: "hexagon", Person: "ellipse", Place: "round-rectangle", Prison: "rectangle",
    GovernmentBody: "diamond", Organization: "round-triangle", Commodity: "tag"
  };

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (attrs) Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function safePath(href) {
    // only paths on this site reach an href
    return (typeof href === "string" && href.charAt(0) === "/" && href.charAt(1) !== "/") ? href : "#";
  }

  /* ------------------------------------------------------------------ network */
  function initNetwork() {
    var box = document.getElementById("cy");
    if (!box || typeof window.cytoscape !== "function") return;
    var info = document.getElementById("cy-info");
    var controls = document.getElementById("net-controls");
    var relBox = document.getElementById("relation-filter");
    var center = box.getAttribute("data-center");
    var expanded = {};
    box.textContent = "";

    var styleSheet = [
      { selector: "node", style: {
        "label": "data(label)", "font-size": 9, "text-wrap": "wrap", "text-max-width": 110,
        "text-valign": "bottom", "text-margin-y": 3, "color": "#1d1d1f", "min-zoomed-font-size": 6,
        "background-color": function (n) { return TYPE_COLOR[n.data("type")] || "#888"; },
        "shape": function (n) { return TYPE_SHAPE[n.data("type")] || "ellipse"; },
        "width": 18, "height": 18, "border-width": 1, "border-color": "#fff" } },
      { selector: "node[?center]", style: { "width": 32, "height": 32, "font-size": 12,
        "font-weight": "bold", "border-width": 3, "border-color": "#20252b" } },
      { selector: "node.expanded", style: { "border-width": 2, "border-color": "#20252b" } },
      { selector: "node:selected", style: { "overlay-color": "#0b5cad", "overlay-opacity": 0.15 } },
      { selector: "edge", style: {
        "width": 1.6, "curve-style": "bezier", "target-arrow-shape": "triangle",
        "arrow-scale": 0.7, "label": "data(label)", "font-size": 7, "color": "#5f6368",
        "min-zoomed-font-size": 8,
        "text-rotation": "autorotate", "text-background-color": "#fff",
        "text-background-opacity": 0.8, "text-background-padding": 1,
        "line-color": function (e) { return MODALITY_COLOR[e.data("modality")] || "#888"; },
        "target-arrow-color": function (e) { return MODALITY_COLOR[e.data("modality")] || "#888"; },
        "line-style": function (e) { return MODALITY_LINE[e.data("modality")] || "solid"; } } },
      { selector: "edge[?confirmed]", style: { "width": 4 } },
      { selector: "edge:selected", style: { "overlay-color": "#0b5cad", "overlay-opacity": 0.2,
        "font-size": 10, "min-zoomed-font-size": 0 } },
      { selector: ".filtered", style: { "display": "none" } }
    ];

    var cy = window.cytoscape({
      container: box, elements: [], style: styleSheet, minZoom: 0.15, maxZoom: 3,
      boxSelectionEnabled: false
    });
    window.sabuesoNetwork = cy;

    // fitting one or two nodes would blow them up to the box's size: the zoom is capped
    var MAX_FIT_ZOOM = 1.25;
    function fitCapped() {
      cy.fit(undefined, 24);
      if (cy.zoom() > MAX_FIT_ZOOM) {
        cy.zoom(MAX_FIT_ZOOM);
        cy.center();
      }
    }

    function layout(fresh) {
      var run = cy.layout({ name: "cose", animate: false, randomize: !!fresh, nodeRepulsion: function () { return 400000; },
                  idealEdgeLength: function () { return 80; }, nodeOverlap: 20, gravity: 60,
                  componentSpacing: 60, padding: 24, fit: false });
      run.one("layoutstop", fitCapped);
      run.run();
    }

    function syncLegend() {
      var present = {};
      cy.nodes().forEach(function (n) { present[n.data("type")] = true; });
      document.querySelectorAll("#node-legend [data-type]").forEach(function (key) {
        key.hidden = !present[key.getAttribute("data-type")];
      });
    }

    function checked(fieldset) {
      var out = {};
      fieldset.querySelectorAll("input[type=checkbox]").forEach(function (i) { out[i.value] = i.checked; });
      return out;
    }

    function applyFilters() {
      var mods = checked(document.getElementById("modality-filter"));
      var rels = checked(relBox);
      cy.batch(function () {
        cy.edges().forEach(function (e) {
          var show = mods[e.data("modality")] !== false && rels[e.data("type")] !== false;
          e.toggleClass("filtered", !show);
        });
        cy.nodes().forEach(function (n) {
          var visible = n.data("center") || n.connectedEdges().some(function (e) { return !e.hasClass("filtered"); });
          n.toggleClass("filtered", !visible);
        });
      });
      box.setAttribute("data-visible-edges", String(cy.edges().not(".filtered").length));
    }

    function syncRelations() {
      var have = {};
      relBox.querySelectorAll("input").forEach(function (i) { have[i.value] = true; });
      var types = {};
      cy.edges().forEach(function (e) { types[e.data("type")] = e.data("label") || e.data("type"); });
      Object.keys(types).sort().forEach(function (t) {
        if (have[t]) return;
        var label = el("label");
        var input = el("input", null, { type: "checkbox", name: "relation", value: t });
        input.checked = true;
        label.appendChild(input);
        label.appendChild(document.createTextNode(" " + types[t]));
        relBox.appendChild(label);
      });
    }

    function say(parts) {
      info.textContent = "";
      parts.forEach(function (p) { info.appendChild(p); info.appendChild(document.createTextNode(" ")); });
    }

    function showNode(n) {
      var link = el("a", "open its page", { href: safePath(n.data("href")) });
      say([el("strong", n.data("label")), el("span", "(" + (n.data("kind") || n.data("type") || "entity") + ")"),
           el("span", expanded[n.id()] ? "— neighbourhood shown;" : "— loading its neighbourhood…"), link]);
    }

    function showEdge(e) {
      var s = cy.getElementById(e.data("source")).data("label");
      var t = cy.getElementById(e.data("target")).data("label");
      var parts = [el("strong", s + " " + (e.data("label") || e.data("type")) + " " + t),
                   el("span", "(" + (e.data("status") || e.data("modality")) + ")")];
      if (e.data("confirmed")) parts.push(el("span", "confirmed by a reviewer", { "class": "badge status status-confirmed" }));
      if (e.data("evidence")) parts.push(el("q", e.data("evidence")));
      parts.push(el("a", e.data("count") > 1 ? "first source (" + e.data("count") + " claims)" : "source",
                    { href: safePath(e.data("href")) }));
      say(parts);
    }

    function expand(id, api) {
      if (expanded[id]) return Promise.resolve();
      var first = cy.nodes().length === 0;
      box.setAttribute("data-loading", "1");
      return fetch(api, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
        .then(function (data) {
          expanded[id] = true;
          var origin = cy.getElementById(id);
          var pos = origin.nonempty() ? origin.position() : { x: 0, y: 0 };
          var add = [];
          data.nodes.forEach(function (n, i) {
            if (cy.getElementById(n.data.id).empty()) {
              var angle = (2 * Math.PI * i) / Math.max(1, data.nodes.length);
              n.data.center = n.data.id === center;
              add.push({ group: "nodes", data: n.data,
                         position: { x: pos.x + 120 * Math.cos(angle), y: pos.y + 120 * Math.sin(angle) } });
            }
          });
          data.edges.forEach(function (e) {
            if (cy.getElementById(e.data.id).empty()) add.push({ group: "edges", data: e.data });
          });
          cy.add(add);
          cy.getElementById(id).addClass("expanded");
          syncRelations();
          syncLegend();
          applyFilters();
          layout(first);
          box.setAttribute("data-nodes", String(cy.nodes().length));
          box.setAttribute("data-edges", String(cy.edges().length));
          box.setAttribute("data-expanded", Object.keys(expanded).join(" "));
        })
        .catch(function (err) { say([el("span", "Could not load the network: " + err.message)]); })
        .then(function () { box.removeAttribute("data-loading"); });
    }

    cy.on("tap", "node", function (evt) {
      var n = evt.target;
      showNode(n);
      expand(n.id(), safePath(n.data("api"))).then(function () { showNode(n); });
    });
    cy.on("tap", "edge", function (evt) { showEdge(evt.target); });
    controls.hidden = false;
    controls.addEventListener("change", applyFilters);
    document.getElementById("net-fit").addEventListener("click", fitCapped);
    document.getElementById("net-reset").addEventListener("click", function () {
      controls.querySelectorAll("input[type=checkbox]").forEach(function (i) { i.checked = true; });
      cy.elements().remove();
      expanded = {};
      expand(center, box.getAttribute("data-api"));
    });
    expand(center, box.getAttribute("data-api")).then(function () {
      box.setAttribute("data-ready", "1");
    });
  }

  function start() {
    try { initNetwork(); } catch (e) { if (window.console) console.error(e); }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
