(function () {
  "use strict";
  // Added to every page by the preview server (preview/server.py), never written to output/.
  var OVERLAY_ID = "apercu-problemes";
  function servedFile(pathname) {
    var path = decodeURIComponent(pathname).replace(/^\/+/, "");
    return path === "" || path.slice(-1) === "/" ? path + "index.html" : path;
  }
  function show(problems) {
    var old = document.getElementById(OVERLAY_ID);
    if (old) old.remove();
    if (!problems || problems.length === 0) return;
    var box = document.createElement("div");
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alert");
    box.style.cssText =
      "position:fixed;left:0;right:0;bottom:0;max-height:50vh;overflow:auto;z-index:2147483647;" +
      "background:#3b0d0d;color:#fff;font:14px/1.4 monospace;padding:1em;white-space:pre-wrap";
    var title = document.createElement("strong");
    title.textContent = problems.some(function (p) { return p.blocking; })
      ? "Aperçu : modification refusée, la page montre la version précédente"
      : "Aperçu : problèmes de la dernière construction";
    box.appendChild(title);
    problems.forEach(function (p) {
      var line = document.createElement("div");
      line.className = "probleme";
      var where = p.path ? p.path + (p.line ? ":" + p.line : "") + " : " : "";
      line.textContent = where + p.message;
      box.appendChild(line);
    });
    document.body.appendChild(box);
  }
  var here = servedFile(location.pathname);
  var events = new EventSource("/_live/events");
  events.addEventListener("state", function (e) { show(JSON.parse(e.data).problems); });
  events.addEventListener("build", function (e) {
    var news = JSON.parse(e.data);
    if (news.all || news.files.indexOf(here) >= 0) {
      location.reload();
    } else {
      show(news.problems);
    }
  });
})();
