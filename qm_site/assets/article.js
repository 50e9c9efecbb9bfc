// The 公众号 article page: copy the article (#article) to the clipboard as HTML and as plain text.
// The async Clipboard API first; where it is missing or refused (older browsers, WeChat's own browser), the article
// is selected and copied with execCommand; where that fails too, it stays selected and the page says what to do.
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

  function fallback() {
    select();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (e) {
      copied = false;
    }
    say(copied ? "copied" : "failed");
  }

  button.addEventListener("click", function () {
    var html = article.innerHTML;
    var text = article.innerText;
    if (navigator.clipboard && navigator.clipboard.write && window.ClipboardItem) {
      var item = new ClipboardItem({
        "text/html": new Blob([html], { type: "text/html" }),
        "text/plain": new Blob([text], { type: "text/plain" })
      });
      navigator.clipboard.write([item]).then(function () { say("copied"); }, fallback);
    } else {
      fallback();
    }
  });
})();
