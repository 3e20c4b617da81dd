/* Sabueso entity page: the map (Leaflet, from npm: make frontend). No tile server: country
 * outlines (Natural Earth via npm, when installed) or a plain graticule, the places on top,
 * each labelled where its label covers no other label or dot (the rest on hover), and no
 * view past the date line. Text from the store is inserted with textContent only. */
(function () {
  "use strict";

  var MODALITY_COLOR = { asserted: "#1f6f43", reported: "#8a5a00", hedged: "#9c4221", denied: "#6b4fa3" };

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (attrs) Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function safePath(href) {
    return (typeof href === "string" && href.charAt(0) === "/" && href.charAt(1) !== "/") ? href : "#";
  }

  function initMap() {
    var box = document.getElementById("map");
    if (!box || !window.L) return;
    var points;
    try { points = JSON.parse(box.getAttribute("data-points") || "[]"); } catch (e) { return; }
    if (!points.length) return;
    box.textContent = "";
    var L = window.L;
    // No tile server: country outlines (Natural Earth via npm, when installed) or a plain
    // graticule for orientation, the points on top.
    var map = L.map(box, { attributionControl: false, zoomSnap: 0.25, worldCopyJump: false, maxZoom: 12 });
    var grid = { color: "#c3d2df", weight: 1, interactive: false };
    for (var lat = -80; lat <= 80; lat += 10) L.polyline([[lat, -180], [lat, 180]], grid).addTo(map);
    for (var lon = -180; lon <= 180; lon += 10) L.polyline([[-85, lon], [85, lon]], grid).addTo(map);
    var outlines = box.getAttribute("data-outlines");
    if (outlines && window.topojson && window.fetch) {
      fetch(outlines, { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
        .then(function (topo) {
          var land = window.topojson.feature(topo, topo.objects.countries);
          L.geoJSON(land, { interactive: false, style: { color: "#9fb0c2", weight: 0.7,
            fillColor: "#f4f1e8", fillOpacity: 1 } }).addTo(map).bringToBack();
          box.setAttribute("data-outlines-ready", "1");
        })
        .catch(function () { /* the graticule stays */ });
    }
    var markers = points.map(function (p) {
      var color = MODALITY_COLOR[p.modality] || "#555";
      var m = L.circleMarker([p.lat, p.lon], {
        radius: 7, color: color, weight: 2, fillColor: color, fillOpacity: 0.55,
        dashArray: p.modality === "denied" ? "2 3" : (p.modality === "asserted" ? null : "5 3")
      });
      m.bindTooltip(el("span", p.name), { permanent: true, direction: "right", className: "map-label",
                                          offset: [6, 0] });
      var pop = el("div");
      var a = el("a", p.name, { href: safePath(p.href) });
      pop.appendChild(a);
      pop.appendChild(el("div", (p.relations || []).join(", ")));
      if (p.approximate) pop.appendChild(el("div", "approximate: shown at " + p.approximate));
      pop.appendChild(el("a", "evidence", { href: safePath(p.evidence) }));
      m.bindPopup(pop);
      return m.addTo(map);
    });
    // the whole world fills the box at the lowest zoom, and no view goes past ±180°: no blank
    // strip beside the date line
    var world = L.latLngBounds([[-85, -180], [85, 180]]);
    function fitWorld() {
      var width = Math.max(box.clientWidth, 256);
      map.setMinZoom(Math.log(width / 256) / Math.LN2);
    }
    fitWorld();
    map.setMaxBounds(world);
    map.options.maxBoundsViscosity = 1.0;
    var group = L.featureGroup(markers);
    if (points.length === 1) map.setView([points[0].lat, points[0].lon], 6);
    else map.fitBounds(group.getBounds().pad(0.25), { maxZoom: 7 });
    map.on("resize", fitWorld);
    placeLabels(map, markers, box);
    var pending = null;
    map.on("zoomend moveend resize", function () {
      if (pending) return;
      pending = window.requestAnimationFrame(function () { pending = null; placeLabels(map, markers, box); });
    });
    window.sabuesoMap = map;
    box.setAttribute("data-markers", String(markers.length));
    box.setAttribute("data-ready", "1");
  }

  /* Labels that would cover another label (or another place's dot) try the other sides of
   * their dot, in the map's order (strongest claims first); a label with no free side is
   * hidden and shown while its dot is hovered. */
  var SIDES = [["right", [6, 0]], ["left", [-6, 0]], ["top", [0, -6]], ["bottom", [0, 6]]];

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  function placeLabels(map, markers, box) {
    var frame = box.getBoundingClientRect();
    var dots = markers.map(function (m) {
      var p = map.latLngToContainerPoint(m.getLatLng());
      var r = m.getRadius() + 1;
      return { left: frame.left + p.x - r, right: frame.left + p.x + r,
               top: frame.top + p.y - r, bottom: frame.top + p.y + r };
    });
    var placed = [], shown = 0, hidden = 0;
    markers.forEach(function (m, i) {
      var tip = m.getTooltip();
      if (!tip) return;
      var node = tip.getElement();
      if (!node) return;
      node.classList.remove("map-label-hidden");
      var spot = null;
      for (var k = 0; k < SIDES.length && !spot; k++) {
        tip.options.direction = SIDES[k][0];
        tip.options.offset = window.L.point(SIDES[k][1]);
        tip.update();
        var r = node.getBoundingClientRect();
        var inside = r.left >= frame.left && r.right <= frame.right && r.top >= frame.top &&
                     r.bottom <= frame.bottom;
        var free = placed.every(function (q) { return !overlaps(r, q); }) &&
                   dots.every(function (d, j) { return j === i || !overlaps(r, d); });
        if (inside && free) spot = r;
      }
      if (spot) { placed.push(spot); shown += 1; }
      else { node.classList.add("map-label-hidden"); hidden += 1; }
      if (!m._labelHover) {
        m._labelHover = true;
        m.on("mouseover", function () { node.classList.add("map-label-hover"); });
        m.on("mouseout", function () { node.classList.remove("map-label-hover"); });
      }
    });
    box.setAttribute("data-labels-shown", String(shown));
    box.setAttribute("data-labels-hidden", String(hidden));
  }

  function start() {
    try { initMap(); } catch (e) { if (window.console) console.error(e); }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
