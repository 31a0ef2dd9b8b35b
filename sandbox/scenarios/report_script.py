"""The HTML report's one script (its filter box) and the CSP hash that lets a server allow exactly it.
Kept apart from the report writer so the server can name the hash without importing the runner."""
from __future__ import annotations

import base64
import hashlib

# Hides index rows and sections whose name and tags do not contain the typed text.
FILTER_JS = """const box=document.getElementById('filter');box.addEventListener('input',()=>{
const q=box.value.trim().toLowerCase();document.querySelectorAll('[data-key]').forEach(el=>{
el.hidden=q!==''&&!el.dataset.key.includes(q)})});"""
FILTER_JS_HASH = "sha256-" + base64.b64encode(hashlib.sha256(FILTER_JS.encode()).digest()).decode()  # for a CSP
