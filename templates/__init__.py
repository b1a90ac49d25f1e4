"""The document templates (protocol.docx, kaart.docx, overzicht.html.j2), kept at the top of
the repository and installed as the package `pipeline.templates` (setup.py maps the folder), so
a checkout, an editable install and an installed wheel all find them with importlib.resources."""
