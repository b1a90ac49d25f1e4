"""Shared by every test folder: `tests/` itself is on sys.path (pytest puts a conftest's
folder there), so helper modules beside this file, such as `docx_surgery`, import by name."""
