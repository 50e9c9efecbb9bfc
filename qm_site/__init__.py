"""qm-site: a static site generator for China's Quality Month (质量月) campaigns.

The package is laid out as the pipeline runs, one sub-package per stage:

    source/     read and validate content/: yamlio (YAML 1.2 with file:line:column) -> schema (the model's
                rules) -> model (frozen dataclasses); content (the folder, safely), markup (Markdown), when (dates);
                folders (a new campaign folder's id, field labels and writer) and editor_form (the web editor's
                form of a YAML file), which `new` and `import` share
    site/       make the site: pages (the site map) and render (Jinja) feed builder, whose producers list every
                output as graph.Output records; graph executes them; output writes and swaps the folder;
                feeds and calendar_export are outputs too; admin is /admin/, the web editor (Decap CMS) whose
                config.yml is generated from the model
    printing/   posters (fitting, artwork), linebreak (phrases, slogan lines), fonts (metrics, subsets), pdf (print-ready files):
                prepress (PDF/X-1a, CMYK) and preflight (its check) for posters, gongwen (the notice as a 公文)
    authoring/  scaffold (`new`: next year's structure), serve (live preview), cms (`serve --cms`: Decap's local backend),
                fmt (`fmt`: content/ in the web editor's form)
    importing/  `import`: readers (Word, PDF, text -> blocks) -> recognise, attachments, facts (the 公文's
                parts, pure) -> write (a draft campaign folder with the report as ⚠ comments)

    commands/   what runs several stages: pdf (build the site, then print its sheets into it)

and beside them what every stage shares (the core): errors (the one error type), i18n (messages in Chinese and
English), cache (the on-disk cache), parallel (forked workers), heap (the garbage collector during a build), urls
(where every page and file lives), headers (the HTTP headers the hosts send). cli is the command line.
The layers, each importing only those below it (tests/test_layers.py):
cli -> commands -> {site, authoring, importing} -> {printing, source} -> core.
templates/, assets/, admin/ (the web editor's widgets) and locale/ are package data.
"""

__version__ = "0.1.0"
