"""The PDF side of a build: .docx -> PDF/A-2b through LibreOffice (`convert`, with its process
registry `processes` and warm profiles `profile`), LibreOffice and its fonts (`soffice`),
the checks of each PDF (`verify`, reading it with `read`) and the independent validator
(`validate`)."""
