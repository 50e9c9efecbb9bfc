// The 公众号 article page: copy the article (#article) to the clipboard as HTML and as plain text.
// The async Clipboard API first. Where it is missing or refused, execCommand('copy') with our own data put on the
// clipboard by the copy event (a plain selection copy would add every computed style, which the editor would get).
// Where that fails too (WeChat's own browser), the article is left selected and the page says what to do.
(function () {
  "use strict";
  var button = document.querySelector(".article-copy button");
  var article = document.getElementById("article");
  var status = document.querySelector(".article-status");
  if (!button || !article || !status) return;

  function say(key) {
    status.textContent = button.getAttribute("data-" + key);
  }

  function select() {
    var range = document.createRange();
    range.selectNodeContents(article);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function fallback(html, text) {
    var written = false;
    function onCopy(event) {
      event.clipboardData.setData("text/html", html);
      event.clipboardData.setData("text/plain", text);
      event.preventDefault();
      written = true;
    }
    select();
    document.addEventListener("copy", onCopy);
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (e) {
      copied = false;
    }
    document.removeEventListener("copy", onCopy);
    say(copied && written ? "copied" : "failed");
  }

  button.addEventListener("click", function () {
    var html = article.innerHTML;
    var text = article.innerText;
    if (navigator.clipboard && navigator.clipboard.write && window.ClipboardItem) {
      var item = new ClipboardItem({
        "text/html": new Blob([html], { type: "text/html" }),
        "text/plain": new Blob([text], { type: "text/plain" })
      });
      navigator.clipboard.write([item]).then(function () { say("copied"); }, function () { fallback(html, text); });
    } else {
      fallback(html, text);
    }
  });
})();
