"""Team forms: write Word forms with content controls from the catalogue, and read them back."""
