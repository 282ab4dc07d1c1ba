"""Python sources of the DOCX templates in templates/docx/ (rebuild with `make templates`)."""
