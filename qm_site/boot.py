"""The one inline script of every reader page: 关怀模式 and the WeChat hint, applied before the first paint.

It runs in <head>, before the body is parsed, so a reader who chose 关怀模式 never sees the page drawn small first (no
layout shift) and costs no request. The site's Content-Security-Policy allows this exact text by its hash
(`CSP_SOURCE`, in headers.SITE_CSP and so in netlify.toml): no 'unsafe-inline'. It does three things:
- puts `care` on <html> when the reader turned 关怀模式 on (localStorage; the choice holds across pages and reloads);
- puts `wechat` on <html> inside WeChat's browser (MicroMessenger), which cannot download files or open calendars:
  site.css then shows the hints beside those links;
- makes every `.care-toggle` button switch the mode (one listener on the document: the button is not parsed yet).
Without JavaScript the toggle is hidden (base.html's <noscript>) and the page is as it always was.
"""

from __future__ import annotations

import base64
import hashlib

STORAGE_KEY = "qm-care"

SCRIPT = (
    "(function(){var d=document.documentElement,k='" + STORAGE_KEY + "';"
    "function sync(){var on=d.classList.contains('care');"
    "document.querySelectorAll('.care-toggle').forEach(function(b){b.setAttribute('aria-pressed',on?'true':'false')})}"
    "try{if(localStorage.getItem(k)==='on')d.classList.add('care')}catch(e){}"
    "if(/MicroMessenger/i.test(navigator.userAgent))d.classList.add('wechat');"
    "document.addEventListener('DOMContentLoaded',sync);"
    "document.addEventListener('click',function(e){"
    "if(!(e.target instanceof Element)||!e.target.closest('.care-toggle'))return;"
    "var on=d.classList.toggle('care');"
    "try{if(on)localStorage.setItem(k,'on');else localStorage.removeItem(k)}catch(e){}"
    "sync()})})();"
)

CSP_SOURCE = "'sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode() + "'"
