// /admin/start.html: 新建活动 and 导入通知 from the browser (qm_site/authoring/start.py does the work).
// In the preview (`serve --cms`) config.yml names the local backend; its /new and /import beside it start the
// campaign on disk. Without it (the deployed site) the page shows the inbox path instead (README, 网页编辑).
(function () {
  "use strict";
  var WAIT_MS = 60000;  // the preview rebuilds within a second or two; a slow disk may take longer

  function $(id) { return document.getElementById(id); }

  function say(where, text, bad) {
    var box = $(where);
    box.textContent = text;
    box.className = bad ? "msg bad" : "msg";
  }

  function config() {
    return fetch("config.yml", {cache: "no-store"}).then(function (r) { return r.text(); });
  }

  function campaigns(text) {  // the campaign ids config.yml lists, newest first
    var found = [], re = /file: (?:\S+\/)?([0-9]{4}-[a-z0-9-]+)\/campaign\.yaml/g, m;
    while ((m = re.exec(text)) !== null) found.push(m[1]);
    return found.sort().reverse();
  }

  function backend(text) {  // the preview's proxy URL, …/admin/api/<secret>/v1, or null when deployed
    var m = /^local_backend:\s*\n\s+url:\s*(\S+)/m.exec(text);
    return m ? m[1].replace(/\/v1$/, "") : null;
  }

  function campaignId(form) {
    return form.elements.year.value.trim() + "-" + form.elements.slug.value.trim();
  }

  function answer(response) {  // the JSON answer, or an Error with its Chinese message and hint
    return response.json().then(function (body) {
      if (response.ok) return body;
      throw new Error(body.error + (body.hint ? "（" + body.hint + "）" : ""));
    });
  }

  function openWhenListed(id, where) {  // the preview lists the new campaign in config.yml once it has rebuilt
    var deadline = Date.now() + WAIT_MS;
    say(where, "已建立 " + id + "，正在等预览重新生成……");
    (function poll() {
      config().then(function (text) {
        if (campaigns(text).indexOf(id) >= 0) {
          location.href = "./#/collections/campaigns/entries/" + id;
        } else if (Date.now() < deadline) {
          setTimeout(poll, 500);
        } else {
          say(where, "已建立 content/" + id + "/，但预览还没有列出它：请看运行 serve 的终端里的提示。", true);
        }
      });
    })();
  }

  function submit(form, where, send) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button");
      button.disabled = true;
      say(where, "请稍候……");
      send().then(answer).then(function (body) { openWhenListed(body.id, where); }, function (error) {
        button.disabled = false;
        say(where, error.message, true);
      });
    });
  }

  function local(api, ids) {
    var select = $("new-from");
    ids.forEach(function (id) { select.add(new Option(id, id)); });
    var year = String(new Date().getFullYear());
    $("new-year").value = $("import-year").value = year;
    submit($("new"), "new-msg", function () {
      return fetch(api + "/new", {method: "POST", headers: {"Content-Type": "application/json"},
                                  body: JSON.stringify({id: campaignId($("new")), from: select.value})});
    });
    submit($("import"), "import-msg", function () {
      var file = $("import-file").files[0];
      var query = "?id=" + encodeURIComponent(campaignId($("import"))) + "&name=" + encodeURIComponent(file.name);
      return fetch(api + "/import" + query, {method: "POST", headers: {"Content-Type": "application/octet-stream"}, body: file});
    });
    $("local").hidden = false;
  }

  config().then(function (text) {
    var api = backend(text);
    if (api) local(api, campaigns(text)); else $("deployed").hidden = false;
  });
})();
